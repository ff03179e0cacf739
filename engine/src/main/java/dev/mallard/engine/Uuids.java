package dev.mallard.engine;

import java.security.SecureRandom;
import java.util.UUID;

/** UUID version 7 (time-ordered), as DuckDB uses for table uuids and file names. */
public final class Uuids {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Uuids() {}

  public static UUID v7() {
    long millis = System.currentTimeMillis();
    long randA = RANDOM.nextInt(1 << 12);
    long high = (millis << 16) | (0x7L << 12) | randA;
    long low = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(high, low);
  }
}
