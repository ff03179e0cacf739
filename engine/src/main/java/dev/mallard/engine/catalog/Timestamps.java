package dev.mallard.engine.catalog;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.time.Instant;

/** Snapshot times as the catalog stores them: DuckDB's TIMESTAMPTZ text, UTC when no offset is given. */
public final class Timestamps {
  private static final DuckLakeType TIMESTAMPTZ = DuckLakeType.of(TypeKind.TIMESTAMPTZ);

  private Timestamps() {}

  /** Now, as the text DuckDB stores for a snapshot time: {@code 2026-11-21 17:03:58.386014+00}. */
  public static String now() {
    return format(Instant.now());
  }

  public static String format(Instant t) {
    long micros = Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1000);
    return Values.format(TIMESTAMPTZ, micros);
  }

  static Instant parseInstant(String text) {
    long micros = (Long) Values.parse(TIMESTAMPTZ, text);
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
  }
}
