package dev.mallard.calcite;

import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.exec.TableChanges;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.calcite.DataContext;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.impl.TableFunctionImpl;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * DuckLake's change feed as table functions, with DuckDB's names, arguments and columns:
 * {@code ducklake_table_insertions|deletions|changes(catalog, schema, table, start, end)}, where
 * {@code start} and {@code end} are both snapshot ids or both timestamps, written as text
 * ({@code '2025-01-06 10:00:00+00'}; then {@code start} is the first snapshot at or after it,
 * {@code end} the last at or before it). The rows come from the
 * engine's {@link TableChanges}.
 *
 * <p>As in DuckDB, {@code ducklake_table_changes} has the columns {@code snapshot_id, rowid,
 * change_type} and then the table's columns as of {@code end}; the insertions and deletions
 * functions have {@code snapshot_id} and {@code rowid} too, but like virtual columns: a query gets
 * them by naming them, and {@code *} shows only the table's columns (see {@link MallardValidator}).
 */
public final class ChangeFeed extends AbstractTable implements ScannableTable {
  /** The function names whose {@code snapshot_id} and {@code rowid} columns {@code *} leaves out. */
  static final Set<String> HIDDEN_ID_FUNCTIONS = Set.of("ducklake_table_insertions", "ducklake_table_deletions");

  static final Multimap<String, org.apache.calcite.schema.Function> FUNCTIONS =
      ImmutableMultimap.<String, org.apache.calcite.schema.Function>builder()
          .put("ducklake_table_insertions", TableFunctionImpl.create(ChangeFeed.class, "insertions"))
          .put("ducklake_table_insertions", TableFunctionImpl.create(ChangeFeed.class, "insertionsBetweenTimes"))
          .put("ducklake_table_deletions", TableFunctionImpl.create(ChangeFeed.class, "deletions"))
          .put("ducklake_table_deletions", TableFunctionImpl.create(ChangeFeed.class, "deletionsBetweenTimes"))
          .put("ducklake_table_changes", TableFunctionImpl.create(ChangeFeed.class, "changes"))
          .put("ducklake_table_changes", TableFunctionImpl.create(ChangeFeed.class, "changesBetweenTimes"))
          .build();

  private enum Feed { INSERTIONS, DELETIONS, CHANGES }

  /** A snapshot bound of the range: an id, or a time. */
  private record Bound(Long id, String time) {}

  private final Feed feed;
  private final String catalog;
  private final String schema;
  private final String table;
  private final Bound start;
  private final Bound end;

  private ChangeFeed(Feed feed, String catalog, String schema, String table, Bound start, Bound end) {
    this.feed = feed;
    this.catalog = catalog;
    this.schema = schema;
    this.table = table;
    this.start = start;
    this.end = end;
  }

  public static ScannableTable insertions(String catalog, String schema, String table, Long start, Long end) {
    return new ChangeFeed(Feed.INSERTIONS, catalog, schema, table, new Bound(start, null), new Bound(end, null));
  }

  public static ScannableTable insertionsBetweenTimes(String catalog, String schema, String table, String start,
      String end) {
    return new ChangeFeed(Feed.INSERTIONS, catalog, schema, table, new Bound(null, start), new Bound(null, end));
  }

  public static ScannableTable deletions(String catalog, String schema, String table, Long start, Long end) {
    return new ChangeFeed(Feed.DELETIONS, catalog, schema, table, new Bound(start, null), new Bound(end, null));
  }

  public static ScannableTable deletionsBetweenTimes(String catalog, String schema, String table, String start,
      String end) {
    return new ChangeFeed(Feed.DELETIONS, catalog, schema, table, new Bound(null, start), new Bound(null, end));
  }

  public static ScannableTable changes(String catalog, String schema, String table, Long start, Long end) {
    return new ChangeFeed(Feed.CHANGES, catalog, schema, table, new Bound(start, null), new Bound(end, null));
  }

  public static ScannableTable changesBetweenTimes(String catalog, String schema, String table, String start,
      String end) {
    return new ChangeFeed(Feed.CHANGES, catalog, schema, table, new Bound(null, start), new Bound(null, end));
  }

  /** The columns depend on the table as of {@code end}: read from the lake of the statement being prepared. */
  @Override
  public RelDataType getRowType(RelDataTypeFactory f) {
    CalcitePrepare.Context preparing = CalcitePrepare.Dummy.peek();
    if (preparing == null) {
      throw new UserException("ducklake_table_" + feed.name().toLowerCase(Locale.ROOT)
          + " can only be used in a SQL statement");
    }
    DuckLakeCatalog lake = LakeFunctions.lake(preparing.getRootSchema().plus(), catalog).catalog();
    RelDataTypeFactory.Builder b = f.builder();
    b.add("snapshot_id", LakeFunctions.type(f, SqlTypeName.BIGINT));
    b.add("rowid", LakeFunctions.type(f, SqlTypeName.BIGINT));
    if (feed == Feed.CHANGES) {
      b.add("change_type", LakeFunctions.type(f, SqlTypeName.VARCHAR));
    }
    for (ColumnInfo c : tableAt(lake, endSnapshot(lake)).columns()) {
      b.add(c.name(), SqlTypes.of(c, f));
    }
    return b.build();
  }

  @Override
  public Enumerable<Object[]> scan(DataContext root) {
    DuckLakeCatalog lake = LakeFunctions.lake(root, catalog).catalog();
    Snapshot last = endSnapshot(lake);
    long first = startSnapshot(lake);
    TableInfo info = tableAt(lake, last);
    TableChanges changes = new TableChanges(lake, info, first, last.id());
    List<TableChanges.Change> rows = switch (feed) {
      case INSERTIONS -> changes.insertions();
      case DELETIONS -> changes.deletions();
      case CHANGES -> changes.changes();
    };
    List<ColumnInfo> columns = info.columns();
    int lead = feed == Feed.CHANGES ? 3 : 2;
    boolean exactTimestamps = MallardTypeSystem.exactTimestamps(root.getTypeFactory().getTypeSystem());
    List<Object[]> out = new ArrayList<>(rows.size());
    for (TableChanges.Change change : rows) {
      Object[] row = new Object[lead + columns.size()];
      row[0] = change.snapshotId();
      row[1] = change.rowId();
      if (feed == Feed.CHANGES) {
        row[2] = change.kind().text();
      }
      for (int c = 0; c < columns.size(); c++) {
        row[lead + c] = RowConverter.toCalcite(columns.get(c), change.values()[c], exactTimestamps);
      }
      out.add(row);
    }
    return Linq4j.asEnumerable(out);
  }

  private TableInfo tableAt(DuckLakeCatalog lake, Snapshot snapshot) {
    if (schema == null || table == null) {
      throw new UserException("The schema and table of a change feed cannot be NULL");
    }
    return lake.view(snapshot).table(schema, table).orElseThrow(() -> new UserException(
        "Table " + schema + "." + table + " does not exist at snapshot " + snapshot.id()));
  }

  private Snapshot endSnapshot(DuckLakeCatalog lake) {
    if (end.id() != null) {
      return lake.snapshot(end.id());
    }
    return lake.snapshotAt(instant(end.time()));
  }

  /** The first snapshot of the range: a time picks the first snapshot taken at or after it. */
  private long startSnapshot(DuckLakeCatalog lake) {
    if (start.id() != null) {
      return lake.snapshot(start.id()).id();
    }
    Instant from = instant(start.time());
    return lake.metadata().snapshots().stream().filter(s -> !s.time().isBefore(from)).mapToLong(Snapshot::id)
        .min().orElseThrow(() -> new UserException("No snapshot found at or after " + from));
  }

  private static Instant instant(String time) {
    if (time == null) {
      throw new UserException("A change feed's snapshot bound cannot be NULL");
    }
    long micros;
    try {
      micros = (Long) Values.parse(DuckLakeType.of(TypeKind.TIMESTAMPTZ), time.trim());
    } catch (RuntimeException e) {
      throw new UserException("'" + time + "' is not a snapshot id or a timestamp such as '2025-01-06 10:00:00+00'");
    }
    return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000);
  }
}
