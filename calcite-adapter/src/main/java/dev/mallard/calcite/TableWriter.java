package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.txn.TableAppender;
import dev.mallard.engine.txn.Transaction;
import java.util.List;
import org.apache.calcite.DataContext;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.core.TableModify;

/**
 * What a {@link DuckLakeTableModify} does when its statement runs: feeds its input rows into the
 * connection's transaction and, with auto-commit on, commits.
 */
public final class TableWriter {
  private final DuckLakeTable table;
  private final TableModify.Operation operation;
  private final List<String> updateColumns;
  private final int tableWidth;

  TableWriter(DuckLakeTable table, TableModify.Operation operation, List<String> updateColumns, int tableWidth) {
    this.table = table;
    this.operation = operation;
    this.updateColumns = updateColumns == null ? List.of() : List.copyOf(updateColumns);
    this.tableWidth = tableWidth;
  }

  /** Called by generated code: writes the rows, returns how many were written. */
  public Enumerable<Long> write(DataContext root, Enumerable<Object[]> rows) {
    LakeContext lake = table.lake();
    try {
      Transaction txn = lake.transaction();
      TableInfo target = txn.view().tableById(table.info().id()).orElseThrow(() ->
          new UserException("Table " + table.info().qualifiedName()
              + " no longer exists"));
      long count = switch (operation) {
        case INSERT -> insert(txn, target, rows);
        default -> throw new UnsupportedFeatureException(operation + " is not supported yet");
      };
      lake.statementDone();
      return Linq4j.singletonEnumerable(count);
    } catch (ExceptionInInitializerError e) {
      // Calcite computes constant expressions once, in a static initializer: a bad cast there
      // (INSERT ... VALUES ('x') into a number) surfaces wrapped.
      lake.statementFailed();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      throw new UserException("Invalid value: " + cause.getMessage(), cause);
    } catch (RuntimeException | Error e) {
      lake.statementFailed();
      throw e;
    }
  }

  private static long insert(Transaction txn, TableInfo target, Enumerable<Object[]> rows) {
    List<ColumnInfo> columns = target.columns();
    TableAppender appender = new TableAppender(txn, target);
    try (Enumerator<Object[]> e = rows.enumerator()) {
      while (e.moveNext()) {
        Object[] in = e.current();
        Object[] out = new Object[columns.size()];
        for (int i = 0; i < out.length; i++) {
          out[i] = EngineValues.toEngine(columns.get(i), in[i]);
        }
        appender.add(out);
      }
      appender.finish();
    } catch (RuntimeException ex) {
      appender.abort();
      throw ex;
    }
    return appender.rowCount();
  }
}
