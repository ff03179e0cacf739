package dev.mallard.engine.catalog;

import dev.mallard.engine.MallardException.CatalogException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * Creates a new, empty DuckLake catalog of version 1.0 exactly as DuckDB's {@code ducklake}
 * extension does: the same 28 tables with their columns in the same order (the reference inserts
 * positionally), the same initial rows, the same counters.
 */
final class CatalogCreator {
  /**
   * The tables of a 1.0 catalog, as the reference creates them. {@code {UUID}}, {@code {BOOLEAN}}
   * and {@code {TIMESTAMPTZ}} become each database's type for them; column names that are SQL
   * keywords are quoted, as the reference quotes them.
   */
  static final List<String> TABLES = List.of(
      "CREATE TABLE ducklake_metadata(\"key\" VARCHAR NOT NULL, \"value\" VARCHAR NOT NULL, \"scope\" VARCHAR,"
          + " scope_id BIGINT)",
      "CREATE TABLE ducklake_snapshot(snapshot_id BIGINT PRIMARY KEY, snapshot_time {TIMESTAMPTZ},"
          + " schema_version BIGINT, next_catalog_id BIGINT, next_file_id BIGINT)",
      "CREATE TABLE ducklake_snapshot_changes(snapshot_id BIGINT PRIMARY KEY, changes_made VARCHAR, author VARCHAR,"
          + " commit_message VARCHAR, commit_extra_info VARCHAR)",
      "CREATE TABLE ducklake_schema(schema_id BIGINT PRIMARY KEY, schema_uuid {UUID}, begin_snapshot BIGINT,"
          + " end_snapshot BIGINT, schema_name VARCHAR, path VARCHAR, path_is_relative {BOOLEAN})",
      "CREATE TABLE ducklake_table(table_id BIGINT, table_uuid {UUID}, begin_snapshot BIGINT, end_snapshot BIGINT,"
          + " schema_id BIGINT, table_name VARCHAR, path VARCHAR, path_is_relative {BOOLEAN})",
      "CREATE TABLE ducklake_view(view_id BIGINT, view_uuid {UUID}, begin_snapshot BIGINT, end_snapshot BIGINT,"
          + " schema_id BIGINT, view_name VARCHAR, dialect VARCHAR, \"sql\" VARCHAR, column_aliases VARCHAR)",
      "CREATE TABLE ducklake_tag(object_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT, \"key\" VARCHAR,"
          + " \"value\" VARCHAR)",
      "CREATE TABLE ducklake_column_tag(table_id BIGINT, column_id BIGINT, begin_snapshot BIGINT,"
          + " end_snapshot BIGINT, \"key\" VARCHAR, \"value\" VARCHAR)",
      "CREATE TABLE ducklake_data_file(data_file_id BIGINT PRIMARY KEY, table_id BIGINT, begin_snapshot BIGINT,"
          + " end_snapshot BIGINT, file_order BIGINT, path VARCHAR, path_is_relative {BOOLEAN}, file_format VARCHAR,"
          + " record_count BIGINT, file_size_bytes BIGINT, footer_size BIGINT, row_id_start BIGINT,"
          + " partition_id BIGINT, encryption_key VARCHAR, mapping_id BIGINT, partial_max BIGINT)",
      "CREATE TABLE ducklake_file_column_stats(data_file_id BIGINT, table_id BIGINT, column_id BIGINT,"
          + " column_size_bytes BIGINT, value_count BIGINT, null_count BIGINT, min_value VARCHAR, max_value VARCHAR,"
          + " contains_nan {BOOLEAN}, extra_stats VARCHAR)",
      "CREATE TABLE ducklake_file_variant_stats(data_file_id BIGINT, table_id BIGINT, column_id BIGINT,"
          + " variant_path VARCHAR, shredded_type VARCHAR, column_size_bytes BIGINT, value_count BIGINT,"
          + " null_count BIGINT, min_value VARCHAR, max_value VARCHAR, contains_nan {BOOLEAN}, extra_stats VARCHAR)",
      "CREATE TABLE ducklake_delete_file(delete_file_id BIGINT PRIMARY KEY, table_id BIGINT, begin_snapshot BIGINT,"
          + " end_snapshot BIGINT, data_file_id BIGINT, path VARCHAR, path_is_relative {BOOLEAN}, format VARCHAR,"
          + " delete_count BIGINT, file_size_bytes BIGINT, footer_size BIGINT, encryption_key VARCHAR,"
          + " partial_max BIGINT)",
      "CREATE TABLE ducklake_column(column_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT, table_id BIGINT,"
          + " column_order BIGINT, column_name VARCHAR, column_type VARCHAR, initial_default VARCHAR,"
          + " default_value VARCHAR, nulls_allowed {BOOLEAN}, parent_column BIGINT, default_value_type VARCHAR,"
          + " default_value_dialect VARCHAR)",
      "CREATE TABLE ducklake_table_stats(table_id BIGINT, record_count BIGINT, next_row_id BIGINT,"
          + " file_size_bytes BIGINT)",
      "CREATE TABLE ducklake_table_column_stats(table_id BIGINT, column_id BIGINT, contains_null {BOOLEAN},"
          + " contains_nan {BOOLEAN}, min_value VARCHAR, max_value VARCHAR, extra_stats VARCHAR)",
      "CREATE TABLE ducklake_partition_info(partition_id BIGINT, table_id BIGINT, begin_snapshot BIGINT,"
          + " end_snapshot BIGINT)",
      "CREATE TABLE ducklake_partition_column(partition_id BIGINT, table_id BIGINT, partition_key_index BIGINT,"
          + " column_id BIGINT, \"transform\" VARCHAR)",
      "CREATE TABLE ducklake_file_partition_value(data_file_id BIGINT, table_id BIGINT, partition_key_index BIGINT,"
          + " partition_value VARCHAR)",
      "CREATE TABLE ducklake_files_scheduled_for_deletion(data_file_id BIGINT, path VARCHAR,"
          + " path_is_relative {BOOLEAN}, schedule_start {TIMESTAMPTZ})",
      "CREATE TABLE ducklake_inlined_data_tables(table_id BIGINT, table_name VARCHAR, schema_version BIGINT)",
      "CREATE TABLE ducklake_column_mapping(mapping_id BIGINT, table_id BIGINT, \"type\" VARCHAR)",
      "CREATE TABLE ducklake_name_mapping(mapping_id BIGINT, column_id BIGINT, source_name VARCHAR,"
          + " target_field_id BIGINT, parent_column BIGINT, is_partition {BOOLEAN})",
      "CREATE TABLE ducklake_schema_versions(begin_snapshot BIGINT, schema_version BIGINT, table_id BIGINT)",
      "CREATE TABLE ducklake_macro(schema_id BIGINT, macro_id BIGINT, macro_name VARCHAR, begin_snapshot BIGINT,"
          + " end_snapshot BIGINT)",
      "CREATE TABLE ducklake_macro_impl(macro_id BIGINT, impl_id BIGINT, dialect VARCHAR, \"sql\" VARCHAR,"
          + " \"type\" VARCHAR)",
      "CREATE TABLE ducklake_macro_parameters(macro_id BIGINT, impl_id BIGINT, column_id BIGINT,"
          + " parameter_name VARCHAR, parameter_type VARCHAR, default_value VARCHAR, default_value_type VARCHAR)",
      "CREATE TABLE ducklake_sort_info(sort_id BIGINT, table_id BIGINT, begin_snapshot BIGINT, end_snapshot BIGINT)",
      "CREATE TABLE ducklake_sort_expression(sort_id BIGINT, table_id BIGINT, sort_key_index BIGINT,"
          + " expression VARCHAR, dialect VARCHAR, sort_direction VARCHAR, null_order VARCHAR)");

  /** What DuckDB writes as {@code created_by}; DuckDB prints it, nothing reads it. */
  static final String CREATED_BY = "Mallard 0.1.0";

  private CatalogCreator() {}

  /**
   * Writes the tables and the initial rows: snapshot 0 that created schema {@code main}.
   *
   * @param dataPath the lake's data path, ending with '/'
   */
  static void create(Connection c, Dialect dialect, String dataPath, java.time.Instant snapshotTime) throws SQLException {
    boolean autoCommit = c.getAutoCommit();
    c.setAutoCommit(false);
    try (Statement s = c.createStatement()) {
      for (String sql : dialect.prepareNewCatalog()) {
        s.execute(sql);
      }
      for (String ddl : TABLES) {
        s.execute(dialect.createTable(ddl));
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + dialect.table("ducklake_snapshot")
          + " VALUES (0, ?, 0, 1, 0)")) {
        dialect.bindTimestamp(ps, 1, snapshotTime);
        ps.executeUpdate();
      }
      s.execute("INSERT INTO " + dialect.table("ducklake_snapshot_changes")
          + " VALUES (0, 'created_schema:\"main\"', NULL, NULL, NULL)");
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + dialect.table("ducklake_metadata")
          + " (\"key\", \"value\") VALUES ('version', '1.0'), ('created_by', ?), ('data_path', ?),"
          + " ('encrypted', 'false')")) {
        ps.setString(1, CREATED_BY);
        ps.setString(2, dataPath);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + dialect.table("ducklake_schema")
          + " VALUES (0, ?, 0, NULL, 'main', 'main/', ?)")) {
        ps.setString(1, UUID.randomUUID().toString());
        ps.setBoolean(2, true);
        ps.executeUpdate();
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      c.rollback();
      throw e;
    } finally {
      c.setAutoCommit(autoCommit);
    }
  }

  static void checkEmpty(Connection c, Dialect dialect, String description) throws SQLException {
    if (dialect.tableExists(c, "ducklake_metadata")) {
      throw new CatalogException(description + " already holds a DuckLake catalog; open it without create=true");
    }
  }
}
