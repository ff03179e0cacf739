package dev.mallard.engine.parquet;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;

/**
 * The footers of the Parquet files read lately, so that a query reading a file again (the next
 * query on a table, a file split among several tasks) neither reads nor parses its footer again.
 * Keyed by location and length: DuckLake never rewrites a file in place (a new file has a new
 * name), and a file whose length changed is read afresh. Least recently used footers are dropped
 * once there are more than {@code mallard.parquet.footerCache.entries} (default 4096) or their
 * estimated size passes {@code mallard.parquet.footerCache.bytes} (default 64 MiB); either set to
 * 0 turns the cache off. A footer is only read once it is cached, never modified.
 */
final class FooterCache {
  static final FooterCache INSTANCE = new FooterCache(
      Long.getLong("mallard.parquet.footerCache.entries", 4096),
      Long.getLong("mallard.parquet.footerCache.bytes", 64L << 20));

  /** Rough heap bytes of a footer: a fixed part, plus per column chunk (path, encodings, statistics). */
  private static final long FOOTER_BYTES = 2048;
  private static final long COLUMN_CHUNK_BYTES = 600;

  private record Key(String location, long length) {}

  private record Entry(ParquetMetadata footer, long bytes) {}

  private final long maxEntries;
  private final long maxBytes;
  private final LinkedHashMap<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);
  private long bytes;
  private long hits;

  FooterCache(long maxEntries, long maxBytes) {
    this.maxEntries = maxEntries;
    this.maxBytes = maxBytes;
  }

  boolean enabled() {
    return maxEntries > 0 && maxBytes > 0;
  }

  /** The cached footer of the file, or null. */
  synchronized ParquetMetadata get(String location, long length) {
    Entry e = entries.get(new Key(location, length));
    if (e == null) {
      return null;
    }
    hits++;
    return e.footer();
  }

  synchronized void put(String location, long length, ParquetMetadata footer) {
    if (!enabled()) {
      return;
    }
    long size = estimatedBytes(footer);
    if (size > maxBytes) {
      return;
    }
    Entry old = entries.put(new Key(location, length), new Entry(footer, size));
    bytes += size - (old == null ? 0 : old.bytes());
    var eldest = entries.entrySet().iterator();
    while (entries.size() > maxEntries || bytes > maxBytes) {
      Map.Entry<Key, Entry> e = eldest.next();
      bytes -= e.getValue().bytes();
      eldest.remove();
    }
  }

  /** Footers found in the cache so far. */
  synchronized long hits() {
    return hits;
  }

  synchronized int size() {
    return entries.size();
  }

  private static long estimatedBytes(ParquetMetadata footer) {
    long chunks = 0;
    for (BlockMetaData block : footer.getBlocks()) {
      chunks += block.getColumns().size();
    }
    return FOOTER_BYTES + chunks * COLUMN_CHUNK_BYTES
        + (long) footer.getFileMetaData().getSchema().getColumns().size() * COLUMN_CHUNK_BYTES;
  }
}
