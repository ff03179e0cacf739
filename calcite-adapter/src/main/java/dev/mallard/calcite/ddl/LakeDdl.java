package dev.mallard.calcite.ddl;

import dev.mallard.calcite.LakeContext;
import dev.mallard.calcite.MallardPrepare;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.txn.Transaction;
import dev.mallard.engine.types.DuckLakeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Consumer;
import org.apache.calcite.jdbc.CalcitePrepare;

/**
 * DDL against one connection's lake: each statement changes the connection's transaction and,
 * with auto-commit on, commits it.
 */
final class LakeDdl implements DdlTarget {
  private final LakeContext lake;
  private final String defaultSchema;
  /** The statement's context: CREATE TABLE ... AS validates and runs its query in it. */
  private final CalcitePrepare.Context context;

  LakeDdl(LakeContext lake, String defaultSchema, CalcitePrepare.Context context) {
    this.lake = lake;
    this.defaultSchema = defaultSchema;
    this.context = context;
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
    String schema = schema(name);
    String table = last(name);
    // A query that does not validate fails here, before anything changes.
    List<NewColumn> columns = QueryColumns.of(new MallardPrepare().convert(context, querySql).rowType, columnNames);
    Transaction txn = lake.transaction();
    if (ifNotExists && txn.view().table(schema, table).isPresent()) {
      lake.statementDone();
      return;
    }
    boolean created = false;
    try {
      if (orReplace) {
        txn.dropTable(schema, table, true);
      }
      txn.createTable(schema, table, columns, false);
      created = true;
      // The rows go in through the connection's own INSERT, in the same transaction: with
      // auto-commit on, the INSERT commits the new table and its rows as one snapshot.
      try (Statement insert = connection().createStatement()) {
        insert.executeUpdate("INSERT INTO " + quote(schema) + "." + quote(table) + " " + querySql);
      }
      lake.statementDone();
    } catch (SQLException | RuntimeException e) {
      if (lake.autoCommit()) {
        lake.statementFailed();
      } else if (created) {
        // The transaction goes on without the half-made table.
        txn.dropTable(schema, table, true);
      }
      if (e instanceof SQLException sql) {
        throw new UserException(sql.getMessage(), sql);
      }
      throw (RuntimeException) e;
    }
  }

  /** The statement's own connection, so that the INSERT shares the lake and its transaction. */
  private Connection connection() {
    Object provider = context.getDataContext().getQueryProvider();
    if (provider instanceof Connection connection) {
      return connection;
    }
    throw new IllegalStateException("CREATE TABLE ... AS needs the statement's JDBC connection, found " + provider);
  }

  private static String quote(String identifier) {
    return '"' + identifier.replace("\"", "\"\"") + '"';
  }

  @Override
  public void dropTable(List<String> name, boolean ifExists) {
    run(t -> t.dropTable(schema(name), last(name), ifExists));
  }

  @Override
  public void createView(List<String> name, List<String> columnAliases, String querySql, boolean orReplace) {
    run(txn -> txn.createView(schema(name), last(name), querySql, columnAliases, orReplace));
  }

  @Override
  public void dropView(List<String> name, boolean ifExists) {
    run(txn -> txn.dropView(schema(name), last(name), ifExists));
  }

  @Override
  public void addColumn(List<String> table, List<String> columnPath, NewColumn column, boolean ifNotExists) {
    checkTopLevel(columnPath, "ADD COLUMN");
    run(txn -> txn.addColumn(table(txn, table), column, ifNotExists));
  }

  @Override
  public void dropColumn(List<String> table, List<String> columnPath, boolean ifExists) {
    checkTopLevel(columnPath, "DROP COLUMN");
    run(txn -> txn.dropColumn(table(txn, table), last(columnPath), ifExists));
  }

  @Override
  public void renameColumn(List<String> table, List<String> columnPath, String newName) {
    checkTopLevel(columnPath, "RENAME COLUMN");
    run(txn -> txn.renameColumn(table(txn, table), last(columnPath), newName));
  }

  @Override
  public void renameTable(List<String> table, String newName) {
    run(txn -> txn.renameTable(table(txn, table), newName));
  }

  @Override
  public void setColumnType(List<String> table, List<String> columnPath, DuckLakeType type) {
    checkTopLevel(columnPath, "SET DATA TYPE");
    run(txn -> txn.setColumnType(table(txn, table), last(columnPath), type));
  }

  @Override
  public void setNotNull(List<String> table, List<String> columnPath, boolean notNull) {
    checkTopLevel(columnPath, notNull ? "SET NOT NULL" : "DROP NOT NULL");
    run(txn -> txn.setNullable(table(txn, table), last(columnPath), !notNull));
  }

  @Override
  public void setDefault(List<String> table, List<String> columnPath, String defaultValue) {
    checkTopLevel(columnPath, "SET DEFAULT");
    run(txn -> txn.setDefault(table(txn, table), last(columnPath), defaultValue));
  }

  @Override
  public void setPartitionedBy(List<String> table, List<PartitionKey> keys) {
    run(txn -> txn.setPartitionedBy(table(txn, table), keys.stream().map(PartitionKey::column).toList(),
        keys.stream().map(PartitionKey::transform).toList()));
  }

  @Override
  public void comment(CommentTarget target, List<String> name, String comment) {
    switch (target) {
      case TABLE -> run(txn -> txn.comment(table(txn, name), null, comment));
      case COLUMN -> {
        if (name.size() < 2) {
          throw new UserException("COMMENT ON COLUMN needs table.column, not " + String.join(".", name));
        }
        List<String> table = name.subList(0, name.size() - 1);
        run(txn -> txn.comment(table(txn, table), last(name), comment));
      }
      default -> throw notYet("COMMENT ON " + target);
    }
  }

  @Override
  public void truncate(List<String> table) {
    run(txn -> txn.truncate(table(txn, table)));
  }

  /** The table as the connection's transaction sees it, or a clear error. */
  private dev.mallard.engine.catalog.TableInfo table(Transaction txn, List<String> name) {
    String schema = schema(name);
    return txn.view().table(schema, last(name)).orElseThrow(() -> new UserException("Table \"" + schema + "\".\""
        + last(name) + "\" does not exist"));
  }

  private static void checkTopLevel(List<String> columnPath, String what) {
    if (columnPath.size() != 1) {
      throw notYet(what + " of a struct field (" + String.join(".", columnPath) + ")");
    }
  }

  private static UnsupportedFeatureException notYet(String what) {
    return new UnsupportedFeatureException(what + " is not supported yet");
  }

  static UserException noLake() {
    return new UserException("DDL needs a DuckLake connection (jdbc:ducklake:...)");
  }
}
