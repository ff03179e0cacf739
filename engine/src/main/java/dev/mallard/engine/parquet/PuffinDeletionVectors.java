package dev.mallard.engine.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.engine.Uuids;
import dev.mallard.engine.storage.FileIO;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;
import java.util.zip.CRC32;

/**
 * DuckLake delete files in puffin format ({@code ducklake_delete_file.format = 'puffin'}): Iceberg
 * v3 deletion vectors, as the reference writes them with {@code WRITE_DELETION_VECTORS}. A file is
 * either one bare {@code deletion-vector-v1} blob (what DuckDB 1.5.5 always writes; its positions
 * belong to the file's {@code begin_snapshot}) or a puffin container ({@code PFA1}, blobs, JSON
 * footer) whose blobs each carry a {@code ducklake-snapshot-id} property and hold every position
 * deleted as of that snapshot (cumulative), so a reader at snapshot S takes the blobs up to S and a
 * position belongs to the first blob holding it. Mallard writes bare blobs ({@link #write}).
 *
 * <p>A blob is: its length (big-endian, counting magic and bitmaps), the magic {@code D1 D3 39 64},
 * the number of bitmaps (64-bit little-endian), per bitmap its key (the positions' upper 32 bits,
 * little-endian) and a portable 32-bit Roaring bitmap ({@link RoaringBitmap32}), then the CRC-32 of
 * magic and bitmaps (big-endian).
 */
public final class PuffinDeletionVectors {
  static final String FORMAT = "puffin";
  private static final byte[] PUFFIN_MAGIC = {'P', 'F', 'A', '1'};
  private static final byte[] BLOB_MAGIC = {(byte) 0xD1, (byte) 0xD3, 0x39, 0x64};
  private static final String BLOB_TYPE = "deletion-vector-v1";
  private static final String SNAPSHOT_PROPERTY = "ducklake-snapshot-id";
  /** Payload size, flags and the trailing magic. */
  private static final int FOOTER_TAIL = 12;
  private static final ObjectMapper JSON = new ObjectMapper();

  private PuffinDeletionVectors() {}

  /** A new delete file name, {@code ducklake-<uuid v7>-delete.puffin}, as DuckDB names them. */
  public static String newFileName() {
    return "ducklake-" + Uuids.v7() + "-delete.puffin";
  }

  /**
   * Hands every position deleted as of {@code snapshotId} to {@code sink} with the snapshot that
   * deleted it (null for a bare blob: the file's {@code begin_snapshot}).
   */
  static void read(byte[] file, String location, long snapshotId, DeleteFileReader.DeletionSink sink) {
    List<Blob> blobs = blobs(file, location);
    if (blobs.isEmpty()) {
      throw new FormatException("Deletion vector file " + location + " holds no deletion vector");
    }
    long withSnapshot = blobs.stream().filter(b -> b.snapshotId() != null).count();
    if (withSnapshot == 0) {
      for (Blob blob : blobs) {
        decode(file, blob, location, position -> sink.accept(position, null));
      }
      return;
    }
    if (withSnapshot != blobs.size()) {
      throw new FormatException("Deletion vector file " + location
          + " mixes deletion vectors with and without a " + SNAPSHOT_PROPERTY);
    }
    TreeMap<Long, Long> deletedAt = new TreeMap<>();
    blobs.stream().sorted(Comparator.comparing(Blob::snapshotId)).filter(b -> b.snapshotId() <= snapshotId)
        .forEach(b -> decode(file, b, location, position -> deletedAt.putIfAbsent(position, b.snapshotId())));
    deletedAt.forEach(sink::accept);
  }

  /**
   * Writes a delete file of one bare deletion vector: what DuckDB 1.5.5 writes and reads (it does not
   * read puffin containers), and the reference's main branch reads as well.
   *
   * @param positions strictly increasing, non-negative
   */
  public static WrittenDeleteFile write(FileIO io, String location, long[] positions) {
    for (int i = 0; i < positions.length; i++) {
      if (positions[i] < 0 || (i > 0 && positions[i] <= positions[i - 1])) {
        throw new IllegalArgumentException("positions must be non-negative and strictly increasing");
      }
    }
    byte[] bytes = blob(positions);
    try (OutputStream out = io.newOutputFile(location).createOrOverwrite(bytes.length)) {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the deletion vector file " + location, e);
    }
    return new WrittenDeleteFile(location, positions.length, bytes.length, 0);
  }

  private record Blob(int offset, int length, Long snapshotId) {}

  private static List<Blob> blobs(byte[] file, String location) {
    if (file.length >= 2 * PUFFIN_MAGIC.length + FOOTER_TAIL && startsWith(file, 0, PUFFIN_MAGIC)) {
      return containerBlobs(file, location);
    }
    if (file.length >= 8 && startsWith(file, 4, BLOB_MAGIC)) {
      return List.of(new Blob(0, file.length, null));
    }
    throw new FormatException("Delete file " + location + " is neither a puffin file nor a deletion vector");
  }

  private static List<Blob> containerBlobs(byte[] file, String location) {
    ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
    if (!startsWith(file, file.length - PUFFIN_MAGIC.length, PUFFIN_MAGIC)) {
      throw new FormatException("Puffin file " + location + " is corrupt: its trailing magic is missing");
    }
    int flags = in.getInt(file.length - 8);
    if (flags != 0) {
      throw new FormatException("Puffin file " + location + " has footer flags " + flags
          + " (a compressed footer), which Mallard does not read");
    }
    long payloadSize = Integer.toUnsignedLong(in.getInt(file.length - FOOTER_TAIL));
    long payloadStart = file.length - FOOTER_TAIL - payloadSize;
    if (payloadStart < 2L * PUFFIN_MAGIC.length || !startsWith(file, (int) payloadStart - 4, PUFFIN_MAGIC)) {
      throw new FormatException("Puffin file " + location + " is corrupt: its footer is out of place");
    }
    int blobsEnd = (int) payloadStart - PUFFIN_MAGIC.length;
    JsonNode footer;
    try {
      footer = JSON.readTree(new String(file, (int) payloadStart, (int) payloadSize, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new FormatException("Puffin file " + location + " has a footer that is not JSON: " + e.getMessage());
    }
    JsonNode entries = footer.get("blobs");
    if (entries == null || !entries.isArray()) {
      throw new FormatException("Puffin file " + location + " has no \"blobs\" list in its footer");
    }
    List<Blob> blobs = new ArrayList<>();
    for (JsonNode entry : entries) {
      if (!BLOB_TYPE.equals(entry.path("type").asText())) {
        continue; // other blob types (statistics) say nothing about deletes
      }
      long offset = entry.path("offset").asLong(-1);
      long length = entry.path("length").asLong(-1);
      if (offset < PUFFIN_MAGIC.length || length < 0 || offset + length > blobsEnd) {
        throw new FormatException("Puffin file " + location + " has a blob outside its blob section");
      }
      JsonNode snapshot = entry.path("properties").get(SNAPSHOT_PROPERTY);
      Long snapshotId = null;
      if (snapshot != null) {
        try {
          snapshotId = Long.parseLong(snapshot.asText());
        } catch (NumberFormatException e) {
          throw new FormatException("Puffin file " + location + " has the invalid " + SNAPSHOT_PROPERTY + " '"
              + snapshot.asText() + "'");
        }
      }
      blobs.add(new Blob((int) offset, (int) length, snapshotId));
    }
    return blobs;
  }

  private static void decode(byte[] file, Blob blob, String location, java.util.function.LongConsumer out) {
    if (blob.length() < 20) {
      throw new FormatException("Deletion vector in " + location + " is too short (" + blob.length() + " bytes)");
    }
    ByteBuffer in = ByteBuffer.wrap(file, blob.offset(), blob.length()).slice().order(ByteOrder.BIG_ENDIAN);
    long vectorSize = Integer.toUnsignedLong(in.getInt());
    if (vectorSize != blob.length() - 8L || !startsWith(file, blob.offset() + 4, BLOB_MAGIC)) {
      throw new FormatException("Deletion vector in " + location + " is corrupt: bad length or magic");
    }
    CRC32 crc = new CRC32();
    crc.update(file, blob.offset() + 4, (int) vectorSize);
    int stored = in.getInt(blob.length() - 4);
    if ((int) crc.getValue() != stored) {
      throw new FormatException("Deletion vector in " + location + " is corrupt: its CRC does not match");
    }
    ByteBuffer bitmaps = in.position(8).limit(blob.length() - 4).slice().order(ByteOrder.LITTLE_ENDIAN);
    long count = bitmaps.getLong();
    if (count < 0 || count > bitmaps.remaining()) {
      throw new FormatException("Deletion vector in " + location + " has " + count + " bitmaps");
    }
    for (long i = 0; i < count; i++) {
      long key = Integer.toUnsignedLong(bitmaps.getInt());
      RoaringBitmap32.read(bitmaps, key, out, location);
    }
    if (bitmaps.hasRemaining()) {
      throw new FormatException("Deletion vector in " + location + " has " + bitmaps.remaining() + " trailing bytes");
    }
  }

  /** One deletion-vector-v1 blob of ascending positions. */
  static byte[] blob(long[] positions) {
    List<int[]> ranges = new ArrayList<>(); // per upper 32 bits: [from, to)
    for (int i = 0; i < positions.length; ) {
      int end = i + 1;
      while (end < positions.length && positions[end] >>> 32 == positions[i] >>> 32) {
        end++;
      }
      ranges.add(new int[] {i, end});
      i = end;
    }
    long[] low = Arrays.stream(positions).map(p -> p & 0xFFFFFFFFL).toArray();
    int size = 4 + 4 + 8 + 4;
    for (int[] r : ranges) {
      size += 4 + RoaringBitmap32.size(low, r[0], r[1]);
    }
    ByteBuffer out = ByteBuffer.allocate(size);
    out.order(ByteOrder.BIG_ENDIAN).putInt(size - 8).put(BLOB_MAGIC);
    out.order(ByteOrder.LITTLE_ENDIAN).putLong(ranges.size());
    for (int[] r : ranges) {
      out.order(ByteOrder.LITTLE_ENDIAN).putInt((int) (positions[r[0]] >>> 32));
      RoaringBitmap32.write(out, low, r[0], r[1]);
    }
    CRC32 crc = new CRC32();
    crc.update(out.array(), 4, size - 8);
    out.order(ByteOrder.BIG_ENDIAN).putInt((int) crc.getValue());
    return out.array();
  }

  private static boolean startsWith(byte[] file, int at, byte[] magic) {
    return at >= 0 && at + magic.length <= file.length
        && Arrays.equals(file, at, at + magic.length, magic, 0, magic.length);
  }
}
