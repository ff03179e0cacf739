package dev.mallard.calcite.ddl;

import dev.mallard.calcite.LakeContext;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.txn.Transaction;
import dev.mallard.engine.types.DuckLakeType;
import java.util.List;
import java.util.function.Consumer;

/**
 * DDL against one connection's lake: each statement changes the connection's transaction and,
 * with auto-commit on, commits it.
 */
final class LakeDdl implements DdlTarget {
  private final LakeContext lake;
  private final String defaultSchema;

  LakeDdl(LakeContext lake, String defaultSchema) {
    this.lake = lake;
    this.defaultSchema = defaultSchema;
  }

  private void run(Consumer<Transaction> change) {
    try {
      change.accept(lake.transaction());
      lake.statementDone();
    } catch (RuntimeException e) {
      lake.statementFailed();
      throw e;
    }
  }

  /** The schema of a table name: its own, or the connection's default. */
  private String schema(List<String> name) {
    return name.size() >= 2 ? name.get(name.size() - 2) : defaultSchema;
  }

  private static String last(List<String> name) {
    return name.get(name.size() - 1);
  }

  @Override
  public void createSchema(String name, boolean ifNotExists) {
    run(t -> t.createSchema(name, ifNotExists));
  }

  @Override
  public void dropSchema(String name, boolean ifExists, boolean cascade) {
    run(t -> t.dropSchema(name, ifExists, cascade));
  }

  @Override
  public void createTable(List<String> name, List<NewColumn> columns, boolean ifNotExists, boolean orReplace) {
    run(t -> {
      if (orReplace) {
        t.dropTable(schema(name), last(name), true);
      }
      t.createTable(schema(name), last(name), columns, ifNotExists);
    });
  }

  @Override
  public void createTableAs(List<String> name, List<String> columnNames, String querySql, boolean ifNotExists,
      boolean orReplace) {
    throw new UnsupportedFeatureException("CREATE TABLE ... AS is not supported yet");
  }

  @Override
  public void dropTable(List<String> name, boolean ifExists) {
    run(t -> t.dropTable(schema(name), last(name), ifExists));
  }

  @Override
  public void createView(List<String> name, List<String> columnAliases, String querySql, boolean orReplace) {
    throw notYet("CREATE VIEW");
  }

  @Override
  public void dropView(List<String> name, boolean ifExists) {
    throw notYet("DROP VIEW");
  }

  @Override
  public void addColumn(List<String> table, List<String> columnPath, NewColumn column, boolean ifNotExists) {
    throw notYet("ALTER TABLE ... ADD COLUMN");
  }

  @Override
  public void dropColumn(List<String> table, List<String> columnPath, boolean ifExists) {
    throw notYet("ALTER TABLE ... DROP COLUMN");
  }

  @Override
  public void renameColumn(List<String> table, List<String> columnPath, String newName) {
    throw notYet("ALTER TABLE ... RENAME COLUMN");
  }

  @Override
  public void renameTable(List<String> table, String newName) {
    throw notYet("ALTER TABLE ... RENAME TO");
  }

  @Override
  public void setColumnType(List<String> table, List<String> columnPath, DuckLakeType type) {
    throw notYet("ALTER TABLE ... SET DATA TYPE");
  }

  @Override
  public void setNotNull(List<String> table, List<String> columnPath, boolean notNull) {
    throw notYet("ALTER TABLE ... SET/DROP NOT NULL");
  }

  @Override
  public void setDefault(List<String> table, List<String> columnPath, String defaultValue) {
    throw notYet("ALTER TABLE ... SET/DROP DEFAULT");
  }

  @Override
  public void setPartitionedBy(List<String> table, List<PartitionKey> keys) {
    throw notYet("ALTER TABLE ... SET PARTITIONED BY");
  }

  @Override
  public void comment(CommentTarget target, List<String> name, String comment) {
    throw notYet("COMMENT ON");
  }

  @Override
  public void truncate(List<String> table) {
    throw notYet("TRUNCATE");
  }

  private static UnsupportedFeatureException notYet(String what) {
    return new UnsupportedFeatureException(what + " is not supported yet");
  }

  static UserException noLake() {
    return new UserException("DDL needs a DuckLake connection (jdbc:ducklake:...)");
  }
}
