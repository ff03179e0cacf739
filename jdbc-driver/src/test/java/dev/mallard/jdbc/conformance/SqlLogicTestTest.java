package dev.mallard.jdbc.conformance;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.jdbc.conformance.SqlLogicTest.Expect;
import dev.mallard.jdbc.conformance.SqlLogicTest.Kind;
import dev.mallard.jdbc.conformance.SqlLogicTest.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqlLogicTestTest {
  @TempDir Path dir;

  private SqlLogicTest parse(String text) throws IOException {
    Path file = dir.resolve("x.test");
    Files.writeString(file, text);
    return SqlLogicTest.parse(file);
  }

  @Test
  void readsRecordsRequirementsAndEnvironment() throws IOException {
    SqlLogicTest t = parse("""
        # name: x
        require ducklake

        require-env S3_TEST_SERVER_AVAILABLE 1

        test-env DATA_PATH {TEST_DIR}

        statement ok
        CREATE TABLE t AS
        SELECT 1 AS i

        statement error
        SELECT nope
        ----
        Binder Error

        query II rowsort
        SELECT *
        FROM t
        ----
        1\t2

        statement ok con1
        BEGIN

        unzip data/x.db.gz {TEST_DIR}/x.db
        """);
    assertThat(t.requires).containsExactly("ducklake");
    assertThat(t.requiredEnv).containsExactly("S3_TEST_SERVER_AVAILABLE");
    assertThat(t.testEnv).containsEntry("DATA_PATH", "{TEST_DIR}");
    assertThat(t.records).containsExactly(
        new Record(Kind.STATEMENT, 8, "CREATE TABLE t AS\nSELECT 1 AS i", Expect.OK, null, null),
        new Record(Kind.STATEMENT, 12, "SELECT nope", Expect.ERROR, null, null),
        new Record(Kind.QUERY, 17, "SELECT *\nFROM t", Expect.OK, null, "rowsort"),
        new Record(Kind.STATEMENT, 23, "BEGIN", Expect.OK, "con1", null),
        new Record(Kind.UNZIP, 26, "data/x.db.gz {TEST_DIR}/x.db", Expect.OK, null, null));
  }

  @Test
  void unrollsLoopsAndAppliesConditions() throws IOException {
    SqlLogicTest t = parse("""
        loop i 0 2

        foreach kind a b

        skipif i=1
        statement ok
        INSERT INTO t_${kind} VALUES (${i}, {i})

        endloop

        endloop

        onlyif postgres
        statement ok
        SELECT 'not for DuckDB'

        mode skip

        statement ok
        SELECT 'skipped'

        mode unskip

        onlyif duckdb
        statement maybe
        SELECT 'for DuckDB'
        """);
    assertThat(t.records).extracting(Record::sql).containsExactly(
        "INSERT INTO t_a VALUES (0, 0)", "INSERT INTO t_b VALUES (0, 0)", "SELECT 'for DuckDB'");
    assertThat(t.records.get(2).expect()).isEqualTo(Expect.MAYBE);
  }
}
