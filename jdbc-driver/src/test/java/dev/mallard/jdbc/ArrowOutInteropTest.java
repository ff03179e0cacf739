package dev.mallard.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.calcite.ArrowScan;
import dev.mallard.testing.DuckDb;
import dev.mallard.testing.TestLakes;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Query results as Arrow record batches ({@link Mallard#arrow}) hold DuckDB's answers. */
class ArrowOutInteropTest {
  @TempDir static Path dir;
  private static DuckDb duckdb;
  private static Connection mallard;
  private static BufferAllocator allocator;

  @BeforeAll
  static void writeLake() throws Exception {
    duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
    Path catalog = TestLakes.attachNew(duckdb, dir);
    duckdb.execute("CREATE TABLE t (id BIGINT, small INTEGER, name VARCHAR, amount DECIMAL(12,2), ratio DOUBLE,"
        + " day DATE, flag BOOLEAN)");
    // Two files, NULLs in every column, and deleted rows (so batches arrive with rows dropped).
    for (int f = 0; f < 2; f++) {
      duckdb.execute("INSERT INTO t SELECT i, i::INTEGER, CASE WHEN i % 11 = 0 THEN NULL ELSE 'n' || (i % 13) END,"
          + " CASE WHEN i % 17 = 0 THEN NULL ELSE i / 4 END, CASE WHEN i % 19 = 0 THEN NULL ELSE i * 0.5 END,"
          + " CASE WHEN i % 23 = 0 THEN NULL ELSE DATE '2020-01-01' + i::INTEGER END,"
          + " CASE WHEN i % 29 = 0 THEN NULL ELSE i % 2 = 0 END FROM range(" + f * 6000 + ", " + (f + 1) * 6000
          + ") r(i)");
    }
    duckdb.execute("DELETE FROM t WHERE id % 7 = 3");
    mallard = Mallard.connect("sqlite:" + catalog);
    allocator = new RootAllocator();
  }

  @AfterAll
  static void close() throws Exception {
    if (mallard != null) {
      mallard.close();
    }
    if (allocator != null) {
      allocator.close();
    }
    if (duckdb != null) {
      duckdb.close();
    }
  }

  /** Every row of the reader, each value as text (dates ISO, decimals plain), null for NULL. */
  private static List<List<String>> read(ArrowReader reader) throws Exception {
    List<List<String>> rows = new ArrayList<>();
    try (reader) {
      while (reader.loadNextBatch()) {
        VectorSchemaRoot root = reader.getVectorSchemaRoot();
        for (int r = 0; r < root.getRowCount(); r++) {
          List<String> row = new ArrayList<>();
          for (FieldVector v : root.getFieldVectors()) {
            row.add(text(v, r));
          }
          rows.add(row);
        }
      }
    }
    return rows;
  }

  private static String text(FieldVector v, int r) {
    if (v.isNull(r)) {
      return null;
    }
    if (v instanceof DateDayVector d) {
      return LocalDate.ofEpochDay(d.get(r)).toString();
    }
    Object o = v.getObject(r);
    return o instanceof BigDecimal d ? d.toPlainString() : o.toString();
  }

  /** DuckDB's rows of {@code sql}, every column cast to text. */
  private static List<List<String>> duckDbText(String columns, String rest) {
    StringBuilder select = new StringBuilder();
    for (String c : columns.split(", ")) {
      select.append(select.length() == 0 ? "" : ", ").append("CAST(").append(c).append(" AS VARCHAR)");
    }
    List<List<String>> rows = new ArrayList<>();
    for (List<Object> row : duckdb.query("SELECT " + select + " FROM (SELECT " + columns + " " + rest + ")").rows()) {
      rows.add(row.stream().map(v -> v == null ? null : v.toString()).toList());
    }
    return rows;
  }

  private static List<List<String>> sorted(List<List<String>> rows) {
    List<List<String>> copy = new ArrayList<>(rows);
    copy.sort(Comparator.comparing(Object::toString));
    return copy;
  }

  @Test
  void aScanStreamsTheEnginesBatchesWithItsColumnsAndFilters() throws Exception {
    String columns = "id, small, name, amount, ratio, day, flag";
    String rest = "FROM t WHERE id >= 100 AND amount < 2000";
    ArrowReader reader = Mallard.arrow(mallard, "SELECT " + columns + " " + rest, allocator);
    assertThat(reader.getClass().getEnclosingClass()).isEqualTo(ArrowScan.class); // no row conversion
    assertThat(reader.getVectorSchemaRoot().getSchema().findField("amount").getType())
        .isEqualTo(new ArrowType.Decimal(12, 2, 128));
    List<List<String>> got = read(reader);
    assertThat(got).hasSizeGreaterThan(5000);
    assertThat(sorted(got)).isEqualTo(sorted(duckDbText(columns, rest)));
    // Run through JDBC first, the same text still streams the scan's batches (not the cached plan).
    mallard.createStatement().executeQuery("SELECT " + columns + " " + rest).close();
    ArrowReader again = Mallard.arrow(mallard, "SELECT " + columns + " " + rest, allocator);
    assertThat(again.getClass().getEnclosingClass()).isEqualTo(ArrowScan.class);
    assertThat(sorted(read(again))).isEqualTo(sorted(got));
  }

  @Test
  void otherQueriesHaveTheirRowsWrittenIntoBatches() throws Exception {
    String columns = "name, n, total, first_day";
    String rest = "FROM (SELECT name, count(*) AS n, sum(amount) AS total, min(day) AS first_day FROM t GROUP BY name)";
    ArrowReader reader = Mallard.arrow(mallard, "SELECT " + columns + " " + rest, allocator);
    assertThat(reader.getClass().getEnclosingClass()).isNotEqualTo(ArrowScan.class);
    assertThat(sorted(read(reader))).isEqualTo(sorted(duckDbText(columns, rest)));
  }

  @Test
  void anEmptyResultHasItsSchemaAndNoBatches() throws Exception {
    try (ArrowReader reader = Mallard.arrow(mallard, "SELECT id, name FROM t WHERE id > 1000000", allocator)) {
      assertThat(reader.getVectorSchemaRoot().getSchema().getFields()).extracting(f -> f.getName())
          .containsExactly("id", "name");
      assertThat(reader.loadNextBatch()).isFalse();
    }
  }
}
