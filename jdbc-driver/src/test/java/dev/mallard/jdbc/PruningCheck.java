package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.ScanMetrics;
import dev.mallard.testing.DuckDb;
import java.math.BigInteger;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Runs a query through Mallard, compares its rows with DuckDB's, and checks how many data files
 * Mallard's scans opened and how many they skipped for their partition values.
 */
final class PruningCheck {
  private final DuckDb duckdb;
  private final Connection mallard;
  private final ScanMetrics metrics;

  PruningCheck(DuckDb duckdb, Connection mallard) throws SQLException {
    this.duckdb = duckdb;
    this.mallard = mallard;
    this.metrics = Mallard.scanMetrics(mallard);
  }

  /** The number of data files of a table of the lake attached in DuckDB as {@code lake}. */
  long files(String table) {
    return ((BigInteger) duckdb.query("SELECT count(*) FROM ducklake_list_files('lake', '" + table + "')").scalar())
        .longValue();
  }

  /** Mallard answers {@code sql} as DuckDB answers {@code oracleSql}, opening and pruning so many files. */
  void check(String sql, String oracleSql, long opened, long prunedByPartition) throws SQLException {
    long openedBefore = metrics.dataFilesOpened();
    long prunedBefore = metrics.dataFilesPrunedByPartition();
    try (ResultSet rs = mallard.createStatement().executeQuery(sql)) {
      assertSameRows(duckdb.query(oracleSql), rs, false);
    }
    assertThat(metrics.dataFilesOpened() - openedBefore).as("files opened by %s", sql).isEqualTo(opened);
    assertThat(metrics.dataFilesPrunedByPartition() - prunedBefore).as("files pruned by partition for %s", sql)
        .isEqualTo(prunedByPartition);
  }
}
