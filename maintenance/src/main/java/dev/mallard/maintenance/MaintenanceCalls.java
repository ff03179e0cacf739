package dev.mallard.maintenance;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.Snapshot;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The operations by the reference's names with its arguments, as SQL's {@code CALL} and the
 * command line give them: positional arguments after the catalog name (the table, for merge and
 * rewrite) and named ones ({@code older_than}, {@code dry_run}, ...). Results come back as a table.
 */
public final class MaintenanceCalls {
  /** Operations by name, each with the reference's {@code ducklake_} prefix optional. */
  public static final List<String> OPERATIONS = List.of("expire_snapshots", "cleanup_old_files",
      "delete_orphaned_files", "flush_inlined_data", "merge_adjacent_files", "rewrite_data_files", "checkpoint");

  /** A result column: {@code Long} or {@code String} values. */
  public record Column(String name, Class<?> type) {}

  public record Result(List<Column> columns, List<Object[]> rows) {}

  private MaintenanceCalls() {}

  /** The operation a name means ({@code ducklake_merge_adjacent_files}, {@code merge_adjacent_files}, {@code merge-adjacent-files}), or null. */
  public static String operation(String name) {
    String n = name.toLowerCase(Locale.ROOT).replace('-', '_');
    if (n.startsWith("ducklake_")) {
      n = n.substring("ducklake_".length());
    }
    return OPERATIONS.contains(n) ? n : null;
  }

  /**
   * Runs an operation.
   *
   * @param positional arguments after the catalog name
   * @param named values: Boolean, Long, Double, String, Instant, or List of Long
   */
  public static Result run(DuckLakeCatalog catalog, String operation, List<Object> positional,
      Map<String, Object> named, ProgressListener listener) {
    String op = operation(operation);
    if (op == null) {
      throw new UserException("Unknown maintenance operation '" + operation + "'; one of " + OPERATIONS);
    }
    Args args = new Args(op, positional, named);
    Maintenance m = Maintenance.of(catalog);
    boolean dryRun = args.bool("dry_run", false);
    Result result = switch (op) {
      case "expire_snapshots" -> {
        ExpireSnapshots e = m.expireSnapshots();
        args.instant("older_than").ifPresent(e::olderThan);
        args.longs("versions").ifPresent(e::versions);
        args.longValue("retain_last").ifPresent(n -> e.retainLast(Math.toIntExact(n)));
        args.noPositional();
        List<Object[]> rows = new ArrayList<>();
        for (Snapshot s : e.dryRun(dryRun).progress(listener).commit()) {
          rows.add(new Object[] {s.id(), s.time().toString(), s.schemaVersion()});
        }
        yield new Result(List.of(new Column("snapshot_id", Long.class), new Column("snapshot_time", String.class),
            new Column("schema_version", Long.class)), rows);
      }
      case "cleanup_old_files", "delete_orphaned_files" -> {
        List<String> paths;
        boolean all = args.bool("cleanup_all", false);
        Instant olderThan = args.instant("older_than").orElse(null);
        args.noPositional();
        if (op.equals("cleanup_old_files")) {
          paths = m.cleanupOldFiles().olderThan(olderThan).cleanupAll(all).dryRun(dryRun).progress(listener).commit();
        } else {
          paths = m.deleteOrphanedFiles().olderThan(olderThan).cleanupAll(all).dryRun(dryRun).progress(listener)
              .commit();
        }
        yield new Result(List.of(new Column("path", String.class)),
            paths.stream().map(p -> new Object[] {p}).toList());
      }
      case "flush_inlined_data" -> {
        FlushInlinedData f = select(m.flushInlinedData(), args.string("schema_name"), args.string("table_name"));
        args.noPositional();
        List<Object[]> rows = new ArrayList<>();
        for (FlushInlinedData.Result r : f.dryRun(dryRun).progress(listener).commit()) {
          rows.add(new Object[] {r.schemaName(), r.tableName(), r.rowsFlushed()});
        }
        yield new Result(List.of(new Column("schema_name", String.class), new Column("table_name", String.class),
            new Column("rows_flushed", Long.class)), rows);
      }
      case "merge_adjacent_files" -> {
        MergeAdjacentFiles mg = select(m.mergeAdjacentFiles(), args.string("schema"), args.positionalTable());
        args.bytes("min_file_size").ifPresent(mg::minFileSize);
        args.bytes("max_file_size").ifPresent(mg::maxFileSize);
        args.bytes("target_file_size").ifPresent(mg::targetFileSize);
        args.longValue("max_compacted_files").ifPresent(mg::maxCompactedFiles);
        args.longValue("max_files_per_commit").ifPresent(n -> mg.maxFilesPerCommit(Math.toIntExact(n)));
        List<Object[]> rows = new ArrayList<>();
        for (MergeAdjacentFiles.Result r : mg.dryRun(dryRun).progress(listener).commit()) {
          rows.add(new Object[] {r.schemaName(), r.tableName(), r.filesProcessed(), r.filesCreated()});
        }
        yield compactionResult(rows);
      }
      case "rewrite_data_files" -> {
        RewriteDataFiles rw = select(m.rewriteDataFiles(), args.string("schema"), args.positionalTable());
        args.doubleValue("delete_threshold").ifPresent(rw::deleteThreshold);
        args.longValue("max_compacted_files").ifPresent(rw::maxCompactedFiles);
        args.longValue("max_files_per_commit").ifPresent(n -> rw.maxFilesPerCommit(Math.toIntExact(n)));
        List<Object[]> rows = new ArrayList<>();
        for (RewriteDataFiles.Result r : rw.dryRun(dryRun).progress(listener).commit()) {
          rows.add(new Object[] {r.schemaName(), r.tableName(), r.filesProcessed(), r.filesCreated()});
        }
        yield compactionResult(rows);
      }
      case "checkpoint" -> {
        args.noPositional();
        List<Object[]> rows = new ArrayList<>();
        for (Checkpoint.Step s : m.checkpoint().dryRun(dryRun).progress(listener).commit()) {
          rows.add(new Object[] {s.operation(), s.items(), s.unit()});
        }
        yield new Result(List.of(new Column("operation", String.class), new Column("items", Long.class),
            new Column("unit", String.class)), rows);
      }
      default -> throw new IllegalStateException(op);
    };
    args.checkAllUsed();
    return result;
  }

  private static <T extends TableOperation<T, ?>> T select(T operation, Optional<String> schema,
      Optional<String> table) {
    if (table.isPresent()) {
      return operation.table(schema.orElse(null), table.get());
    }
    return schema.isPresent() ? operation.schema(schema.get()) : operation;
  }

  private static Result compactionResult(List<Object[]> rows) {
    return new Result(List.of(new Column("schema_name", String.class), new Column("table_name", String.class),
        new Column("files_processed", Long.class), new Column("files_created", Long.class)), rows);
  }

  /** Arguments, checked: every named one must be used, and of the right type. */
  private static final class Args {
    private final String op;
    private final List<Object> positional;
    private final Map<String, Object> named = new LinkedHashMap<>();
    private final Set<String> used = new HashSet<>();

    Args(String op, List<Object> positional, Map<String, Object> named) {
      this.op = op;
      this.positional = positional;
      named.forEach((k, v) -> this.named.put(k.toLowerCase(Locale.ROOT), v));
    }

    private Object get(String name) {
      used.add(name);
      return named.get(name);
    }

    /** The named value converted, or empty if absent; {@code convert} gives null for a value of the wrong type. */
    private <T> Optional<T> typed(String name, String what, Function<Object, T> convert) {
      Object v = get(name);
      if (v == null) {
        return Optional.empty();
      }
      T value;
      try {
        value = convert.apply(v);
      } catch (NumberFormatException e) {
        value = null;
      }
      if (value == null) {
        throw bad(name, v, what);
      }
      return Optional.of(value);
    }

    boolean bool(String name, boolean fallback) {
      return typed(name, "a boolean", v -> v instanceof Boolean b ? b
          : v instanceof String s && (s.equalsIgnoreCase("true") || s.equalsIgnoreCase("false"))
              ? Boolean.valueOf(s) : null).orElse(fallback);
    }

    Optional<Long> longValue(String name) {
      return typed(name, "an integer", v -> v instanceof Long || v instanceof Integer
          ? Long.valueOf(((Number) v).longValue()) : v instanceof String s ? Long.valueOf(s.trim()) : null);
    }

    Optional<Long> bytes(String name) {
      return typed(name, "a size in bytes", v -> v instanceof Long || v instanceof Integer
          ? Long.valueOf(((Number) v).longValue()) : v instanceof String s ? Long.valueOf(LakeOptions.parseBytes(s))
          : null);
    }

    Optional<Double> doubleValue(String name) {
      return typed(name, "a number", v -> v instanceof Number n ? Double.valueOf(n.doubleValue())
          : v instanceof String s ? Double.valueOf(s.trim()) : null);
    }

    Optional<String> string(String name) {
      return typed(name, "a string", v -> v instanceof String s ? s : null);
    }

    Optional<Instant> instant(String name) {
      return typed(name, "a timestamp", v -> v instanceof Instant i ? i
          : v instanceof String s ? parseInstant(s, name) : null);
    }

    Optional<List<Long>> longs(String name) {
      Object v = get(name);
      if (v == null) {
        return Optional.empty();
      }
      List<Long> out = new ArrayList<>();
      List<?> items = v instanceof List<?> l ? l : List.of(String.valueOf(v).split(","));
      for (Object item : items) {
        try {
          out.add(item instanceof Number n ? n.longValue() : Long.parseLong(String.valueOf(item).trim()));
        } catch (NumberFormatException e) {
          throw bad(name, v, "a list of snapshot ids");
        }
      }
      return Optional.of(out);
    }

    /** Merge and rewrite take an optional table name after the catalog name. */
    Optional<String> positionalTable() {
      if (positional.size() > 1) {
        throw new UserException(op + " takes at most one argument after the catalog name (a table name)");
      }
      if (positional.isEmpty()) {
        return Optional.empty();
      }
      if (!(positional.get(0) instanceof String s)) {
        throw new UserException(op + ": the table name must be a string");
      }
      return Optional.of(s);
    }

    void noPositional() {
      if (!positional.isEmpty()) {
        throw new UserException(op + " takes no argument after the catalog name but named ones (name => value)");
      }
    }

    void checkAllUsed() {
      for (String name : named.keySet()) {
        if (!used.contains(name)) {
          throw new UserException(op + " has no argument named '" + name + "'");
        }
      }
    }

    private UserException bad(String name, Object v, String what) {
      return new UserException(op + ": " + name + " must be " + what + ", not '" + v + "'");
    }
  }

  /** An ISO timestamp ({@code 2026-01-02T03:04:05Z}, or a date and time with an offset or in UTC). */
  static Instant parseInstant(String text, String name) {
    String s = text.trim().replace(' ', 'T');
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return java.time.LocalDateTime.parse(s).toInstant(java.time.ZoneOffset.UTC);
      } catch (DateTimeParseException e2) {
        try {
          return java.time.LocalDate.parse(s).atStartOfDay().toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException e3) {
          throw new UserException(name + ": cannot read the timestamp '" + text + "'; write e.g. 2026-01-31 12:00:00");
        }
      }
    }
  }
}
