package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.txn.TableAppender;
import dev.mallard.engine.txn.Transaction;
import dev.mallard.engine.scan.ScanPlan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        case DELETE -> change(txn, target, rows, false);
        case UPDATE -> change(txn, target, rows, true);
        case MERGE -> merge(txn, target, rows);
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

  /**
   * DELETE and UPDATE: each input row ends with the address of a row (data file id or NULL for an
   * inlined row, position or inlined row id, row id); an UPDATE's rows hold the old values, then the
   * new values of the updated columns, before the address.
   */
  private long change(Transaction txn, TableInfo target, Enumerable<Object[]> rows, boolean update) {
    List<ColumnInfo> columns = target.columns();
    Map<Long, List<Long>> positions = new HashMap<>();
    List<Long> inlined = new ArrayList<>();
    // New versions of committed rows stream to Parquet past the inlining limit; rows this
    // transaction inserted are still inserts.
    TableAppender updates = update ? TableAppender.forUpdates(txn, target) : null;
    List<Object[]> pendingVersions = new ArrayList<>();
    List<Long> pendingRowIds = new ArrayList<>();
    int[] updated = updatedColumnIndexes(columns);
    long count = 0;
    try (Enumerator<Object[]> e = rows.enumerator()) {
      while (e.moveNext()) {
        Object[] in = e.current();
        int address = in.length - ScanPlan.ADDRESS_COLUMNS;
        Long file = (Long) in[address];
        long position = (Long) in[address + 1];
        if (file == null) {
          inlined.add(position);
        } else {
          positions.computeIfAbsent(file, k -> new ArrayList<>()).add(position);
        }
        if (updates != null) {
          Object[] row = new Object[columns.size()];
          for (int i = 0; i < columns.size(); i++) {
            row[i] = in[i];
          }
          for (int u = 0; u < updated.length; u++) {
            row[updated[u]] = in[tableWidth + u];
          }
          for (int i = 0; i < columns.size(); i++) {
            row[i] = EngineValues.toEngine(columns.get(i), row[i]);
          }
          long rowId = (Long) in[address + 2];
          if (file == null) {
            // A version kept in the catalog or pending in this transaction: replaced inline.
            pendingVersions.add(row);
            pendingRowIds.add(rowId);
          } else {
            updates.addUpdated(row, rowId);
          }
        }
        count++;
      }
    } catch (RuntimeException e) {
      if (updates != null) {
        updates.abort();
      }
      throw e;
    }
    Map<Long, long[]> byFile = new HashMap<>();
    positions.forEach((file, list) -> byFile.put(file, list.stream().mapToLong(Long::longValue).toArray()));
    txn.delete(target, byFile, inlined.stream().mapToLong(Long::longValue).toArray());
    if (updates != null) {
      updates.finish();
      if (!pendingVersions.isEmpty()) {
        txn.appendInlinedUpdates(target, pendingVersions, pendingRowIds.stream().mapToLong(Long::longValue).toArray());
      }
    }
    return count;
  }

  /**
   * MERGE: each input row holds the values to insert (when the statement inserts), then the matched
   * target row and the new values of its updated columns (when it updates), then the target row's
   * address, null where no target row matched. Matched rows are updated as an UPDATE's, the others
   * inserted. Every row is read before anything is written, so the statement reads the table as it
   * was before it.
   */
  private long merge(Transaction txn, TableInfo target, Enumerable<Object[]> rows) {
    List<Object[]> updates = new ArrayList<>();
    List<Object[]> inserts = new ArrayList<>();
    java.util.Set<Long> updatedRowIds = new java.util.HashSet<>();
    int updateWidth = updateColumns.isEmpty() ? 0 : tableWidth + updateColumns.size();
    try (Enumerator<Object[]> e = rows.enumerator()) {
      while (e.moveNext()) {
        Object[] in = e.current();
        int address = in.length - ScanPlan.ADDRESS_COLUMNS;
        int insertWidth = address - updateWidth;
        boolean matched = in[address + 1] != null;
        if (matched && updateWidth > 0) {
          if (!updatedRowIds.add((Long) in[address + 2])) {
            throw new UserException("MERGE INTO: a row of " + target.qualifiedName() + " matches more than one"
                + " source row; each target row can be updated once");
          }
          updates.add(java.util.Arrays.copyOfRange(in, insertWidth, in.length));
        } else if (!matched && insertWidth > 0) {
          inserts.add(java.util.Arrays.copyOf(in, insertWidth));
        }
      }
    }
    long count = 0;
    if (!updates.isEmpty()) {
      count += change(txn, target, Linq4j.asEnumerable(updates), true);
    }
    if (!inserts.isEmpty()) {
      count += insert(txn, target, Linq4j.asEnumerable(inserts));
    }
    return count;
  }

  private int[] updatedColumnIndexes(List<ColumnInfo> columns) {
    int[] out = new int[updateColumns.size()];
    for (int u = 0; u < out.length; u++) {
      String name = updateColumns.get(u);
      out[u] = -1;
      for (int i = 0; i < columns.size(); i++) {
        if (columns.get(i).name().equalsIgnoreCase(name)) {
          out[u] = i;
        }
      }
      if (out[u] < 0) {
        throw new UserException("Column " + name + " does not exist in the table");
      }
    }
    return out;
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
