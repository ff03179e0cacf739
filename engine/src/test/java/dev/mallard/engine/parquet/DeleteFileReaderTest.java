package dev.mallard.engine.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.testing.DuckDb;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.LongStream;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeleteFileReaderTest {
  private static final String IDS = "FIELD_IDS {file_path: 2147483646, pos: 2147483645,"
      + " _ducklake_internal_snapshot_id: 2147483539}";
  private static DuckDb db;
  @TempDir Path dir;

  @BeforeAll
  static void startDuckDb() {
    db = DuckDb.start(DuckDb.Version.V1_5_5);
  }

  @AfterAll
  static void stopDuckDb() {
    db.close();
  }

  private static long[] read(Path file, long snapshotId) {
    return DeleteFileReader.deletedPositions(new LocalInputFile(file), file.toString(), "parquet", snapshotId);
  }

  private Path write(String query) {
    Path file = dir.resolve("d" + System.nanoTime() + ".parquet");
    db.execute("COPY (" + query + ") TO '" + file + "' (FORMAT parquet, FIELD_IDS {file_path: 2147483646,"
        + " pos: 2147483645})");
    return file;
  }

  /** Deletes rows of one data file in two commits; returns the delete file paths, oldest first. */
  private List<Path> deleteTwice(String alias) {
    Path data = dir.resolve(alias + "_data");
    db.execute("ATTACH 'ducklake:sqlite:" + dir.resolve(alias + ".db") + "' AS " + alias + " (DATA_PATH '" + data
        + "/', DATA_INLINING_ROW_LIMIT 0)");
    db.execute("CREATE TABLE " + alias + ".t AS SELECT i FROM range(100) t(i)"); // snapshot 1 (2 with the table)
    db.execute("DELETE FROM " + alias + ".t WHERE i % 10 = 3");
    Path first = deleteFiles(alias).get(0);
    Path firstCopy = dir.resolve(alias + "_first_delete.parquet");
    try {
      Files.copy(first, firstCopy); // the second delete replaces (and may remove) it
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    db.execute("DELETE FROM " + alias + ".t WHERE i % 10 = 7");
    return List.of(firstCopy, deleteFiles(alias).get(0));
  }

  private List<Path> deleteFiles(String alias) {
    return db.query("SELECT s.path || t.path || f.path FROM __ducklake_metadata_" + alias + ".ducklake_delete_file f"
        + " JOIN __ducklake_metadata_" + alias + ".ducklake_table t USING (table_id)"
        + " JOIN __ducklake_metadata_" + alias + ".ducklake_schema s USING (schema_id)"
        + " ORDER BY f.begin_snapshot DESC").rows().stream()
        .map(r -> Path.of(db.query("SELECT value FROM __ducklake_metadata_" + alias
            + ".ducklake_metadata WHERE key = 'data_path'").rows().get(0).get(0) + (String) r.get(0)))
        .toList();
  }

  @Test
  void readsEveryPositionOfADeleteFileWithoutSnapshots() {
    List<Path> files = deleteTwice("plain");
    long[] expected = LongStream.range(0, 10).map(i -> i * 10 + 3).toArray();
    assertThat(read(files.get(0), 1)).containsExactly(expected); // no snapshot column: every position counts
    assertThat(read(files.get(0), Long.MAX_VALUE)).containsExactly(expected);
  }

  @Test
  void keepsOnlyPositionsDeletedAsOfTheSnapshot() {
    List<Path> files = deleteTwice("merged");
    long secondDelete = ((BigInteger) db.query("SELECT max(snapshot_id) FROM __ducklake_metadata_merged"
        + ".ducklake_snapshot").scalar()).longValue();
    long firstDelete = secondDelete - 1; // each DELETE committed one snapshot
    Path merged = files.get(1);
    assertThat(db.query("SELECT name FROM parquet_schema('" + merged + "') WHERE field_id = 2147483539").rows())
        .hasSize(1);
    long[] first = LongStream.range(0, 10).map(i -> i * 10 + 3).toArray();
    long[] both = LongStream.range(0, 100).filter(i -> i % 10 == 3 || i % 10 == 7).toArray();
    assertThat(read(merged, secondDelete)).containsExactly(both);
    assertThat(read(merged, firstDelete)).containsExactly(first);
    assertThat(read(merged, firstDelete - 1)).isEmpty();
  }

  @Test
  void returnsPositionsSortedAndDistinct() {
    Path file = write("SELECT 'x.parquet' AS file_path, p::BIGINT AS pos FROM (VALUES (9), (2), (5), (2)) t(p)");
    assertThat(read(file, 1)).containsExactly(2, 5, 9);
  }

  @Test
  void ignoresAThirdColumnOfAnotherName() {
    Path file = dir.resolve("iceberg_like.parquet");
    db.execute("COPY (SELECT 'x.parquet' AS file_path, p::BIGINT AS pos, 999 AS row FROM (VALUES (1), (4)) t(p)) TO '" + file
        + "' (FORMAT parquet, FIELD_IDS {file_path: 2147483646, pos: 2147483645, row: 2147483544})");
    assertThat(read(file, 1)).containsExactly(1, 4);
  }

  @Test
  void rejectsFilesOfAnotherShape() {
    Path wrongType = write("SELECT 'x.parquet' AS file_path, '1' AS pos");
    assertThatThrownBy(() -> read(wrongType, 1)).isInstanceOf(FormatException.class)
        .hasMessageContaining(wrongType.toString());
    Path oneColumn = dir.resolve("one.parquet");
    db.execute("COPY (SELECT 1::BIGINT AS pos) TO '" + oneColumn + "' (FORMAT parquet)");
    assertThatThrownBy(() -> read(oneColumn, 1)).isInstanceOf(FormatException.class);
    Path badSnapshot = dir.resolve("bad_snapshot.parquet");
    db.execute("COPY (SELECT 'x' AS file_path, 1::BIGINT AS pos, 'two' AS _ducklake_internal_snapshot_id) TO '"
        + badSnapshot + "' (FORMAT parquet, " + IDS + ")");
    assertThatThrownBy(() -> read(badSnapshot, 1)).isInstanceOf(FormatException.class)
        .hasMessageContaining("_ducklake_internal_snapshot_id");
    Path nullPosition = write("SELECT 'x.parquet' AS file_path, NULL::BIGINT AS pos");
    assertThatThrownBy(() -> read(nullPosition, 1)).isInstanceOf(FormatException.class)
        .hasMessageContaining("NULL");
    Path nullSnapshot = dir.resolve("null_snapshot.parquet");
    db.execute("COPY (SELECT 'x' AS file_path, 1::BIGINT AS pos, NULL::BIGINT AS _ducklake_internal_snapshot_id) TO '"
        + nullSnapshot + "' (FORMAT parquet, " + IDS + ")");
    assertThatThrownBy(() -> read(nullSnapshot, 1)).isInstanceOf(FormatException.class)
        .hasMessageContaining("NULL _ducklake_internal_snapshot_id");
  }

  @Test
  void failsOnTruncatedFilesWithFormatException() throws IOException {
    Path file = write("SELECT 'x.parquet' AS file_path, i AS pos FROM range(1000) t(i)");
    byte[] bytes = Files.readAllBytes(file);
    Path truncated = dir.resolve("truncated.parquet");
    Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 10));
    assertThatThrownBy(() -> read(truncated, 1)).isInstanceOf(FormatException.class)
        .hasMessageContaining(truncated.toString());
  }
}
