package dev.mallard.calcite;

import dev.mallard.calcite.parser.MallardMerge;
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
    Transaction txn = null;
    long changesBefore = 0;
    try {
      txn = lake.transaction();
      changesBefore = txn.rowChanges();
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
      Throwable cause = e.getCause() == null ? e : e.getCause();
      UserException failure = new UserException("Invalid value: " + cause.getMessage(), cause);
      failed(lake, txn, changesBefore, failure);
      throw failure;
    } catch (RuntimeException | Error e) {
      failed(lake, txn, changesBefore, e);
      throw e;
    }
  }

  /** A statement that failed before changing the transaction leaves it going on, as if never run. */
  private static void failed(LakeContext lake, Transaction txn, long changesBefore, Throwable cause) {
    if (txn != null && txn.rowChanges() != changesBefore) {
      lake.statementFailedHalfway(cause);
    } else {
      lake.statementFailed();
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
    List<Object[]> newRows = new ArrayList<>();
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
          } else if (Transaction.isLocal(rowId)) {
            newRows.add(row); // in a file this transaction wrote: a new row, as the reference has it
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
      append(txn, target, newRows);
    }
    return count;
  }

  /**
   * MERGE: each input row is a source row joined with the target row it matched (either may be
   * missing in an outer join), laid out by {@link MergeClauses}: the target row, a placeholder, each
   * WHEN clause's code, condition and values, then whether a source row is there and the target
   * row's address. The first clause for the row's kind (matched, not matched, not matched by source)
   * whose condition holds acts. Every row is read, and every value checked, before anything is
   * written: the statement reads the table as it was before it, and a failing MERGE changes nothing.
   */
  private long merge(Transaction txn, TableInfo target, Enumerable<Object[]> rows) {
    List<ColumnInfo> columns = target.columns();
    Map<Long, List<Long>> deletedPositions = new HashMap<>();
    List<Long> deletedInlined = new ArrayList<>();
    List<Object[]> updatedCommitted = new ArrayList<>();
    List<Long> updatedCommittedIds = new ArrayList<>();
    List<Object[]> inserts = new ArrayList<>();
    Map<Long, MallardMerge.Action> actedOn = new HashMap<>();
    long count = 0;
    try (Enumerator<Object[]> e = rows.enumerator()) {
      while (e.moveNext()) {
        Object[] in = e.current();
        int address = in.length - ScanPlan.ADDRESS_COLUMNS;
        boolean sourceRow = Boolean.TRUE.equals(in[address - 1]);
        boolean targetRow = in[address + 1] != null;
        MallardMerge.When when = sourceRow && targetRow ? MallardMerge.When.MATCHED
            : sourceRow ? MallardMerge.When.NOT_MATCHED : MallardMerge.When.NOT_MATCHED_BY_SOURCE;
        int at = tableWidth + 1;
        while (at < address - 1) {
          int code = ((Number) in[at]).intValue();
          MallardMerge.Action action = MergeClauses.action(code);
          int values = at + 2;
          at = values + MergeClauses.valueCount(action, tableWidth);
          if (MergeClauses.when(code) != when || !Boolean.TRUE.equals(in[values - 1])) {
            continue;
          }
          switch (action) {
            case ERROR -> throw new UserException("MERGE INTO " + target.qualifiedName() + ": error condition "
                + when.sql + (in[values] == null ? "" : ": " + in[values]));
            case INSERT -> inserts.add(engineRow(columns, in, values));
            case UPDATE, DELETE -> {
              Long file = (Long) in[address];
              long position = (Long) in[address + 1];
              long rowId = (Long) in[address + 2];
              MallardMerge.Action before = actedOn.put(rowId, action);
              if (before != null && !(before == MallardMerge.Action.DELETE && action == MallardMerge.Action.DELETE)) {
                throw new UserException("MERGE INTO: a row of " + target.qualifiedName() + " matches more than one"
                    + " source row; a target row can be updated once (deleted by several source rows, it is deleted"
                    + " once)");
              }
              if (before == null) {
                if (file == null) {
                  deletedInlined.add(position);
                } else {
                  deletedPositions.computeIfAbsent(file, k -> new ArrayList<>()).add(position);
                }
              }
              if (action == MallardMerge.Action.UPDATE) {
                // New versions of committed rows, inlined or not, go together (to Parquet past the
                // inlining limit, as DuckDB's); a row this transaction inserted is inserted anew.
                if (Transaction.isLocal(rowId)) {
                  inserts.add(engineRow(columns, in, values));
                } else {
                  updatedCommitted.add(engineRow(columns, in, values));
                  updatedCommittedIds.add(rowId);
                }
              }
            }
            default -> { }
          }
          if (action != MallardMerge.Action.DO_NOTHING) {
            count++;
          }
          break;
        }
      }
    }
    Map<Long, long[]> byFile = new HashMap<>();
    deletedPositions.forEach((file, list) -> byFile.put(file, list.stream().mapToLong(Long::longValue).toArray()));
    if (!byFile.isEmpty() || !deletedInlined.isEmpty()) {
      txn.delete(target, byFile, deletedInlined.stream().mapToLong(Long::longValue).toArray());
    }
    if (!updatedCommitted.isEmpty()) {
      TableAppender updates = TableAppender.forUpdates(txn, target);
      try {
        for (int i = 0; i < updatedCommitted.size(); i++) {
          updates.addUpdated(updatedCommitted.get(i), updatedCommittedIds.get(i));
        }
        updates.finish();
      } catch (RuntimeException ex) {
        updates.abort();
        throw ex;
      }
    }
    append(txn, target, inserts);
    return count;
  }

  /** Inserts rows, inline or to Parquet as their number decides. */
  private static void append(Transaction txn, TableInfo target, List<Object[]> rows) {
    if (rows.isEmpty()) {
      return;
    }
    TableAppender appender = new TableAppender(txn, target);
    try {
      rows.forEach(appender::add);
      appender.finish();
    } catch (RuntimeException ex) {
      appender.abort();
      throw ex;
    }
  }

  /** The table's columns from {@code in[from]} on, as the engine writes them (checked: NOT NULL, ranges). */
  private static Object[] engineRow(List<ColumnInfo> columns, Object[] in, int from) {
    Object[] row = new Object[columns.size()];
    for (int i = 0; i < row.length; i++) {
      row[i] = EngineValues.toEngine(columns.get(i), in[from + i]);
    }
    return row;
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
