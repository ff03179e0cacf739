package dev.mallard.calcite.ddl;

import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.types.DuckLakeType;
import java.util.List;

/**
 * What DDL statements do to a lake, once parsed: the seam between the SQL grammar and the
 * lake's transactions. Names are as written (unquoted identifiers keep their case; lookups are
 * case-insensitive); a one-part table name is in the connection's default schema.
 */
public interface DdlTarget {
  void createSchema(String name, boolean ifNotExists);

  void dropSchema(String name, boolean ifExists, boolean cascade);

  void createTable(List<String> name, List<NewColumn> columns, boolean ifNotExists, boolean orReplace);

  /** {@code CREATE TABLE name [(columns)] AS query}: the query's SQL text as written. */
  void createTableAs(List<String> name, List<String> columnNames, String querySql, boolean ifNotExists,
      boolean orReplace);

  void dropTable(List<String> name, boolean ifExists);

  void createView(List<String> name, List<String> columnAliases, String querySql, boolean orReplace);

  void dropView(List<String> name, boolean ifExists);

  void addColumn(List<String> table, List<String> columnPath, NewColumn column, boolean ifNotExists);

  void dropColumn(List<String> table, List<String> columnPath, boolean ifExists);

  void renameColumn(List<String> table, List<String> columnPath, String newName);

  void renameTable(List<String> table, String newName);

  void setColumnType(List<String> table, List<String> columnPath, DuckLakeType type);

  void setNotNull(List<String> table, List<String> columnPath, boolean notNull);

  /** @param defaultValue the DEFAULT literal as DuckDB's text; null drops the default */
  void setDefault(List<String> table, List<String> columnPath, String defaultValue);

  /** @param keys empty for RESET PARTITIONED BY */
  void setPartitionedBy(List<String> table, List<PartitionKey> keys);

  /** @param comment null removes it */
  void comment(CommentTarget target, List<String> name, String comment);

  void truncate(List<String> table);

  /** A partition key: a column and a transform ({@code identity}, {@code year}, {@code bucket(8)}...). */
  record PartitionKey(String column, String transform) {}

  /** What COMMENT ON is about. */
  enum CommentTarget { TABLE, VIEW, COLUMN, SCHEMA }
}
