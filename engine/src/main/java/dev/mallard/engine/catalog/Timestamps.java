package dev.mallard.engine.catalog;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.time.Instant;

/** Snapshot times as the catalog stores them: DuckDB's TIMESTAMPTZ text, UTC when no offset is given. */
final class Timestamps {
  private static final DuckLakeType TIMESTAMPTZ = DuckLakeType.of(TypeKind.TIMESTAMPTZ);

  private Timestamps() {}

  static Instant parseInstant(String text) {
    long micros = (Long) Values.parse(TIMESTAMPTZ, text);
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}
