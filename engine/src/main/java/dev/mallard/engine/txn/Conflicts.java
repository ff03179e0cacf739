package dev.mallard.engine.txn;

import dev.mallard.engine.MallardException.ConflictException;
import dev.mallard.engine.catalog.SchemaInfo;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.txn.Change.Kind;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongFunction;

/**
 * Whether a transaction may commit after other transactions committed since it started: the
 * reference's conflict matrix (ducklake-format.md §5.2), erring towards a conflict where the
 * reference's finer rules would need more state. A conflict is never retried: it fails naming the
 * snapshot that caused it.
 */
final class Conflicts {
  private static final Set<Kind> ROW_WRITES = EnumSet.of(Kind.INSERTED_INTO_TABLE, Kind.INLINED_INSERT,
      Kind.DELETED_FROM_TABLE, Kind.INLINED_DELETE);
  private static final Set<Kind> MAINTENANCE = EnumSet.of(Kind.INLINE_FLUSH, Kind.FLUSHED_INLINED,
      Kind.MERGE_ADJACENT, Kind.REWRITE_DELETE, Kind.COMPACTED_TABLE);

  private Conflicts() {}

  /** One snapshot's changes. */
  record Committed(long snapshotId, List<Change> changes) {}

  /**
   * @param deletedFilesSince data files that got a new delete file or were dropped in a snapshot
   *     after the transaction started (only asked for when two deletes of one table meet)
   */
  static void check(Transaction txn, List<Committed> since, LongFunction<Set<Long>> deletedFilesSince) {
    for (Committed other : since) {
      for (Change theirs : other.changes()) {
        String clash = clash(txn, theirs, deletedFilesSince);
        if (clash != null) {
          throw new ConflictException("Transaction conflict: this transaction " + clash + ", but snapshot "
              + other.snapshotId() + " committed since it started has " + describe(theirs)
              + ". Run it again on the current state of the lake.");
        }
      }
    }
  }

  /** What of ours clashes with their change, or null. */
  private static String clash(Transaction txn, Change theirs, LongFunction<Set<Long>> deletedFilesSince) {
    switch (theirs.kind()) {
      case CREATED_SCHEMA -> {
        String name = theirs.names().get(0);
        for (SchemaInfo s : txn.newSchemas) {
          if (s.name().equalsIgnoreCase(name)) {
            return "creates schema \"" + s.name() + "\"";
          }
        }
      }
      case CREATED_TABLE, CREATED_VIEW -> {
        List<String> names = theirs.names();
        for (TableInfo t : txn.newTables) {
          if (t.schema().name().equalsIgnoreCase(names.get(0)) && t.name().equalsIgnoreCase(names.get(1))) {
            return "creates table " + t.qualifiedName();
          }
        }
        for (long dropped : txn.droppedSchemas) {
          if (schemaName(txn, dropped).equalsIgnoreCase(names.get(0))) {
            return "drops schema \"" + names.get(0) + "\"";
          }
        }
      }
      case DROPPED_SCHEMA -> {
        long schema = theirs.id();
        if (txn.droppedSchemas.contains(schema)) {
          return "drops the same schema";
        }
        for (TableInfo t : txn.newTables) {
          if (t.schema().id() == schema) {
            return "creates table " + t.qualifiedName() + " in it";
          }
        }
        for (Transaction.TableWrites w : txn.writes.values()) {
          if (w.table.schema().id() == schema && !w.isEmpty()) {
            return "writes to table " + w.table.qualifiedName() + " in it";
          }
        }
      }
      case DROPPED_TABLE, ALTERED_TABLE -> {
        long table = theirs.id();
        if (txn.droppedTables.contains(table)) {
          return "drops the same table";
        }
        Transaction.TableWrites w = txn.writes.get(table);
        if (w != null && !w.isEmpty()) {
          return "writes to table " + w.table.qualifiedName();
        }
      }
      default -> {
        if (ROW_WRITES.contains(theirs.kind()) || MAINTENANCE.contains(theirs.kind())) {
          return rowClash(txn, theirs, deletedFilesSince);
        }
      }
    }
    return null;
  }

  /** Two writes to the rows of one table: only concurrent inserts always go together. */
  private static String rowClash(Transaction txn, Change theirs, LongFunction<Set<Long>> deletedFilesSince) {
    Transaction.TableWrites w = txn.writes.get(theirs.id());
    if (w == null || w.isEmpty()) {
      return null;
    }
    boolean weDelete = w.deletesCommittedPositions() || !w.deletedInlinedRowIds.isEmpty();
    boolean theyInsert = theirs.kind() == Kind.INSERTED_INTO_TABLE || theirs.kind() == Kind.INLINED_INSERT;
    if (!weDelete && (theyInsert || MAINTENANCE.contains(theirs.kind()))) {
      return null; // as in the reference, inserts clash with neither inserts nor flushes and compactions
    }
    if (weDelete && theirs.kind() == Kind.DELETED_FROM_TABLE && w.deletedInlinedRowIds.isEmpty()) {
      // Two deletes clash only when they touch the same data file.
      Set<Long> theirFiles = deletedFilesSince.apply(theirs.id());
      for (Long file : w.deletedPositions.keySet()) {
        if (theirFiles.contains(file)) {
          return "deletes rows of data file " + file + " of table " + w.table.qualifiedName();
        }
      }
      return null;
    }
    return (weDelete ? "deletes rows of " : "inserts into ") + "table " + w.table.qualifiedName();
  }

  private static String schemaName(Transaction txn, long schemaId) {
    return txn.view().schemas().stream().filter(s -> s.id() == schemaId).map(SchemaInfo::name).findFirst()
        .orElseGet(() -> txn.startSnapshotView().schemas().stream().filter(s -> s.id() == schemaId)
            .map(SchemaInfo::name).findFirst().orElse(""));
  }

  private static String describe(Change c) {
    return c.kind().text().replace('_', ' ').toLowerCase(Locale.ROOT) + " " + c.value();
  }
}
