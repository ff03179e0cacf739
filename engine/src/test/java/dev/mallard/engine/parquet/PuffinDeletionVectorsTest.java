package dev.mallard.engine.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.engine.storage.LocalFileIO;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Puffin deletion vectors: round trips through every Roaring container kind and above 2^32, the
 * multi-snapshot puffin container of the reference's main branch, and corrupt files refused. That
 * DuckDB 1.5.5's files read identically is DeletionVectorsInteropTest (jdbc-driver).
 */
class PuffinDeletionVectorsTest {
  @TempDir Path dir;

  private long[] readBack(byte[] file, long snapshot) throws Exception {
    Path path = dir.resolve("d" + System.nanoTime() + ".puffin");
    Files.write(path, file);
    return DeleteFileReader.deletedPositions(new LocalInputFile(path), path.toString(), "puffin", snapshot);
  }

  @Test
  void roundTripsArrayAndBitmapContainersAndPositionsAbove32Bits() throws Exception {
    long[] positions = LongStream.concat(LongStream.concat(
        LongStream.range(0, 10_000).map(i -> i * 3), // one key: a bitmap container (> 4096 values) then arrays
        LongStream.of(70_000, 70_001, 1L << 31, (1L << 32) - 1)),
        LongStream.of(1L << 32, (5L << 32) + 65_537)).toArray();
    Path path = dir.resolve("w.puffin");
    WrittenDeleteFile written = PuffinDeletionVectors.write(new LocalFileIO(), path.toString(), positions);
    assertThat(written.recordCount()).isEqualTo(positions.length);
    assertThat(written.fileSizeBytes()).isEqualTo(Files.size(path));
    assertThat(readBack(Files.readAllBytes(path), 1)).containsExactly(positions);
  }

  @Test
  void decodesRunContainers() throws Exception {
    // A Roaring bitmap with run containers (cookie 12347), as CRoaring writes after run optimization:
    // one container, key 0, runs [5, 9] and [100, 100].
    ByteBuffer roaring = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
    roaring.putInt(12347); // cookie, (containers - 1) << 16
    roaring.put((byte) 1); // the run flags: container 0 is a run container
    roaring.putShort((short) 0).putShort((short) 5); // key 0, cardinality 6 - 1
    roaring.putShort((short) 2).putShort((short) 5).putShort((short) 4).putShort((short) 100).putShort((short) 0);
    byte[] bitmap = java.util.Arrays.copyOf(roaring.array(), roaring.position());
    ByteBuffer body = ByteBuffer.allocate(4 + 8 + 4 + bitmap.length).order(ByteOrder.LITTLE_ENDIAN);
    body.put(new byte[] {(byte) 0xD1, (byte) 0xD3, 0x39, 0x64}).putLong(1).putInt(0).put(bitmap);
    assertThat(readBack(withLengthAndCrc(body.array()), 1)).containsExactly(5, 6, 7, 8, 9, 100);
  }

  @Test
  void readsAMultiSnapshotPuffinContainerAsOfEachSnapshot() throws Exception {
    // As the reference's main branch writes it: one cumulative blob per deleting snapshot.
    byte[] file = container(List.of(new long[] {1, 2}, new long[] {1, 2, 7}), List.of(4L, 6L));
    assertThat(readBack(file, 3)).isEmpty();
    assertThat(readBack(file, 4)).containsExactly(1, 2);
    assertThat(readBack(file, 5)).containsExactly(1, 2);
    assertThat(readBack(file, 6)).containsExactly(1, 2, 7);
    Path path = dir.resolve("c.puffin");
    Files.write(path, file);
    DeleteFileReader.Deletions all = DeleteFileReader.deletions(new LocalInputFile(path), "c", "puffin", 3);
    assertThat(all.positions()).containsExactly(1, 2, 7);
    assertThat(all.snapshotIds()).containsExactly(4, 4, 6);
  }

  @Test
  void refusesCorruptFilesWithAClearError() throws Exception {
    byte[] blob = PuffinDeletionVectors.blob(new long[] {1, 2, 3});
    blob[blob.length - 6] ^= 1; // a bitmap byte: the CRC no longer matches
    assertThatThrownBy(() -> readBack(blob, 1)).isInstanceOf(FormatException.class).hasMessageContaining("CRC");
    assertThatThrownBy(() -> readBack("not a deletion vector".getBytes(StandardCharsets.US_ASCII), 1))
        .isInstanceOf(FormatException.class).hasMessageContaining("neither a puffin file nor a deletion vector");
    byte[] file = container(List.of(new long[] {1}), List.of(4L));
    file[file.length - 8] = 1; // footer flags: an LZ4-compressed footer
    assertThatThrownBy(() -> readBack(file, 9)).isInstanceOf(FormatException.class).hasMessageContaining("flags");
  }

  @Test
  void refusesDeleteFileFormatsItDoesNotKnow() {
    assertThatThrownBy(() -> DeleteFileReader.deletedPositions(new LocalInputFile(dir.resolve("x")), "x", "orc", 1))
        .hasMessageContaining("format 'orc'");
  }

  private static byte[] withLengthAndCrc(byte[] magicAndBitmaps) {
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(magicAndBitmaps);
    return ByteBuffer.allocate(magicAndBitmaps.length + 8).putInt(magicAndBitmaps.length).put(magicAndBitmaps)
        .putInt((int) crc.getValue()).array();
  }

  private static byte[] container(List<long[]> blobs, List<Long> snapshots) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes("PFA1".getBytes(StandardCharsets.US_ASCII));
    List<String> entries = new ArrayList<>();
    for (int i = 0; i < blobs.size(); i++) {
      byte[] blob = PuffinDeletionVectors.blob(blobs.get(i));
      entries.add("{\"type\":\"deletion-vector-v1\",\"fields\":[],\"snapshot-id\":-1,\"sequence-number\":-1,"
          + "\"offset\":" + out.size() + ",\"length\":" + blob.length + ",\"properties\":{\"referenced-data-file\":"
          + "\"f.parquet\",\"cardinality\":\"" + blobs.get(i).length + "\",\"ducklake-snapshot-id\":\""
          + snapshots.get(i) + "\"}}");
      out.writeBytes(blob);
    }
    byte[] payload = ("{\"blobs\":[" + String.join(",", entries) + "],\"properties\":{\"created-by\":\"ducklake\"}}")
        .getBytes(StandardCharsets.UTF_8);
    out.writeBytes("PFA1".getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(payload);
    out.writeBytes(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(payload.length).putInt(0).array());
    out.writeBytes("PFA1".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }
}
