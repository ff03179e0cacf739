package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.CatalogView;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.SchemaInfo;
import dev.mallard.engine.catalog.TableInfo;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.apache.calcite.schema.Table;
import org.apache.calcite.schema.impl.AbstractSchema;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

/**
 * One DuckLake schema as a Calcite schema. Its tables are looked up in the lake's current state at
 * every lookup (register it with caching off), so tables created or changed by other writers show up.
 */
public final class DuckLakeSchema extends AbstractSchema {
  private final LakeContext lake;
  private final String name;

  private final LakeViews views;

  public DuckLakeSchema(LakeContext lake, String name) {
    this.lake = lake;
    this.name = name;
    this.views = new LakeViews(lake, name);
  }

  /** The lake this schema belongs to. */
  public LakeContext lake() {
    return lake;
  }

  @Override
  public Lookup<Table> tables() {
    return new Lookup<>() {
      @Override
      public Table get(String tableName) {
        return find(tableName, true).orElse(null);
      }

      @Override
      public Named<Table> getIgnoreCase(String tableName) {
        return find(tableName, false).map(t -> new Named<Table>(t.info().name(), t)).orElse(null);
      }

      @Override
      public Set<String> getNames(LikePattern pattern) {
        Set<String> names = new LinkedHashSet<>();
        CatalogView view = view();
        view.schema(name).ifPresent(s -> view.tables(s).stream().map(TableInfo::name)
            .filter(n -> pattern.matcher().apply(n)).forEach(names::add));
        // Calcite looks tables up in a statement's snapshot of these names
        TRAVEL_NAMES.get().stream().filter(n -> pattern.matcher().apply(n) && find(n, true).isPresent())
            .forEach(names::add);
        return names;
      }
    };
  }

  /**
   * The schema's views (Calcite takes views as functions without parameters, see {@link LakeViews}) and
   * DuckLake's introspection functions ({@code ducklake_snapshots(...)} etc., see {@link LakeFunctions}).
   */
  @Override
  protected com.google.common.collect.Multimap<String, org.apache.calcite.schema.Function> getFunctionMultimap() {
    return views.functions();
  }

  private Optional<DuckLakeTable> find(String tableName, boolean caseSensitive) {
    int mark = tableName.indexOf(AT_SNAPSHOT);
    if (mark >= 0) {
      return findAt(tableName.substring(0, mark), tableName.substring(mark + AT_SNAPSHOT.length()), caseSensitive);
    }
    return find(view(), tableName, caseSensitive);
  }

  /**
   * Marks a table name the validator rewrote for a time travel clause whose snapshot is known when
   * the statement is prepared (see {@link MallardValidator}): {@code <name><mark>v<snapshot id>} or
   * {@code <name><mark>t<microseconds since the epoch>}. Such a table has the columns it had then.
   */
  static final String AT_SNAPSHOT = "\u001fat\u001f";

  /**
   * The time travel names of the statement being validated on this thread: Calcite finds a table
   * only under a name the schema lists, so they are listed while it is validated.
   */
  private static final ThreadLocal<Set<String>> TRAVEL_NAMES = ThreadLocal.withInitial(java.util.HashSet::new);

  /** Lists {@code names} (time travel names) until {@link #forgetTravelNames} while validating. */
  static void listTravelNames(Set<String> names) {
    TRAVEL_NAMES.get().addAll(names);
  }

  static void forgetTravelNames(Set<String> names) {
    TRAVEL_NAMES.get().removeAll(names);
  }

  /** The name under which the table {@code name} has its columns as of snapshot {@code id}. */
  static String atVersion(String name, long id) {
    return name + AT_SNAPSHOT + "v" + id;
  }

  /** The name under which the table {@code name} has its columns as of the instant {@code micros}. */
  static String atMicros(String name, long micros) {
    return name + AT_SNAPSHOT + "t" + micros;
  }

  /**
   * The table as of a snapshot: found by its name then, with its columns then. When there is no such
   * snapshot or table, the table as it is now, whose scan reports the problem when it runs.
   */
  private Optional<DuckLakeTable> findAt(String tableName, String when, boolean caseSensitive) {
    Optional<DuckLakeTable> then;
    try {
      long value = Long.parseLong(when.substring(1));
      Snapshot snapshot = when.charAt(0) == 'v' ? lake.catalog().snapshot(value)
          : lake.catalog().snapshotAt(Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L),
              Math.floorMod(value, 1_000_000L) * 1000L));
      then = find(lake.catalog().view(snapshot), tableName, caseSensitive);
    } catch (UserException | NumberFormatException | IndexOutOfBoundsException e) {
      then = Optional.empty(); // no such snapshot: reported when the scan runs
    }
    return then.isPresent() ? then : find(view(), tableName, caseSensitive);
  }

  private Optional<DuckLakeTable> find(CatalogView view, String tableName, boolean caseSensitive) {
    Optional<SchemaInfo> schema = view.schema(name);
    return schema.flatMap(s -> view.table(s, tableName))
        .filter(t -> !caseSensitive || t.name().equals(tableName))
        .map(t -> new DuckLakeTable(lake, t, view.schemaVersion()));
  }

  private CatalogView view() {
    return lake.view();
  }
}
