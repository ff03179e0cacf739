package dev.mallard.maintenance.cli;

import dev.mallard.engine.MallardException;
import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.maintenance.Intervals;
import dev.mallard.maintenance.MaintenanceCalls;
import dev.mallard.maintenance.MaintenanceOperation;
import dev.mallard.maintenance.ProgressListener;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code maintenance} command of the standalone jar:
 * <pre>
 * java -jar mallard.jar maintenance OPERATION URL [--option value | --flag ...]
 * </pre>
 * OPERATION is one of {@link MaintenanceCalls#OPERATIONS} (dashes or underscores, with or without
 * {@code ducklake_}); options are the SQL call's named arguments with dashes ({@code --dry-run},
 * {@code --older-than '7 days'} or a timestamp, {@code --cleanup-all}, {@code --versions 1,2},
 * {@code --retain-last 5}, {@code --table t}, {@code --schema s}, {@code --target-file-size 64MB},
 * {@code --max-compacted-files 100}, {@code --delete-threshold 0.5}). A progress bar goes to
 * standard error, the result table to standard output.
 */
public final class MaintenanceCli {
  public static final String USAGE = String.join("\n",
      "Usage: java -jar mallard.jar maintenance OPERATION URL [options]",
      "  OPERATION: " + String.join(", ", MaintenanceCalls.OPERATIONS),
      "  URL:       jdbc:ducklake:sqlite:/path/lake.sqlite[?data_path=...] (the jdbc:ducklake: prefix is optional)",
      "  options:   --dry-run  --older-than '7 days'|2026-01-31T00:00:00Z  --cleanup-all  --versions 1,2,3",
      "             --retain-last N  --schema S  --table T  --target-file-size 64MB  --min-file-size B",
      "             --max-file-size B  --max-compacted-files N  --max-files-per-commit N  --delete-threshold 0.95");
  private static final List<String> FLAGS = List.of("dry_run", "cleanup_all");

  private MaintenanceCli() {}

  /** Runs the command; returns the process exit status. */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length > 0 && (args[0].equals("--help") || args[0].equals("help"))) {
      out.println(USAGE);
      return 0;
    }
    if (args.length < 2) {
      err.println(USAGE);
      return 2;
    }
    String operation = MaintenanceCalls.operation(args[0]);
    if (operation == null) {
      err.println("Unknown maintenance operation: " + args[0]);
      err.println(USAGE);
      return 2;
    }
    String url = args[1].startsWith("jdbc:ducklake:") ? args[1].substring("jdbc:ducklake:".length()) : args[1];
    List<Object> positional = new ArrayList<>();
    Map<String, Object> named = new LinkedHashMap<>();
    try {
      for (int i = 2; i < args.length; i++) {
        if (!args[i].startsWith("--")) {
          throw new MallardException.UserException("Unexpected argument '" + args[i] + "'; options start with --");
        }
        String name = args[i].substring(2).replace('-', '_').toLowerCase(Locale.ROOT);
        if (FLAGS.contains(name) && (i + 1 == args.length || args[i + 1].startsWith("--"))) {
          named.put(name, true);
          continue;
        }
        if (i + 1 == args.length) {
          throw new MallardException.UserException("Option --" + args[i].substring(2) + " needs a value");
        }
        String value = args[++i];
        if (name.equals("table") && (operation.equals("merge_adjacent_files") || operation.equals("rewrite_data_files"))) {
          positional.add(value);
        } else if (operation.equals("flush_inlined_data") && (name.equals("table") || name.equals("schema"))) {
          named.put(name + "_name", value);
        } else if (name.equals("older_than")) {
          named.put(name, olderThan(value));
        } else {
          named.put(name, value);
        }
      }
      ProgressBar bar = new ProgressBar(err, System.console() != null);
      MaintenanceCalls.Result result;
      try (DuckLakeCatalog catalog = DuckLakeCatalog.open(CatalogConfig.parse(url, Map.of()))) {
        result = MaintenanceCalls.run(catalog, operation, positional, named, bar);
      } finally {
        bar.finish();
      }
      print(result, out);
      return 0;
    } catch (MallardException e) {
      err.println("Error: " + e.getMessage());
      return 1;
    }
  }

  /** An interval ({@code 7 days}: that long ago) or a timestamp. */
  private static Object olderThan(String value) {
    try {
      return Instant.now().minus(Intervals.parse(value));
    } catch (MallardException.UserException notAnInterval) {
      return value;
    }
  }

  private static void print(MaintenanceCalls.Result result, PrintStream out) {
    int n = result.columns().size();
    int[] width = new int[n];
    List<String[]> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      width[i] = result.columns().get(i).name().length();
    }
    for (Object[] r : result.rows()) {
      String[] cells = new String[n];
      for (int i = 0; i < n; i++) {
        cells[i] = String.valueOf(r[i]);
        width[i] = Math.max(width[i], cells[i].length());
      }
      rows.add(cells);
    }
    StringBuilder header = new StringBuilder();
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < n; i++) {
      header.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", result.columns().get(i).name()));
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(header.toString().stripTrailing());
    out.println(rule);
    for (String[] cells : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < n; i++) {
        line.append(i == 0 ? "" : " | ").append(String.format("%-" + width[i] + "s", cells[i]));
      }
      out.println(line.toString().stripTrailing());
    }
    out.println("(" + rows.size() + (rows.size() == 1 ? " row)" : " rows)"));
  }

  /**
   * A text progress bar: redrawn in place on a terminal; otherwise one line per tenth of the work,
   * so logs stay short.
   */
  static final class ProgressBar implements ProgressListener {
    private static final int WIDTH = 30;
    private final PrintStream err;
    private final boolean terminal;
    private long lastTenth = -1;
    private boolean drawn;

    ProgressBar(PrintStream err, boolean terminal) {
      this.err = err;
      this.terminal = terminal;
    }

    @Override
    public void onProgress(Progress p) {
      if (p.unit().equals(MaintenanceOperation.SKIPPED)) {
        finish();
        err.println(p.operation() + " skipped " + p.detail()); // in full: it says what to do about it
        return;
      }
      String line = render(p);
      if (terminal) {
        err.print("\r" + line + "\u001b[K");
        drawn = true;
        return;
      }
      long tenth = p.total() == 0 ? 0 : p.done() * 10 / p.total();
      if (tenth != lastTenth) {
        lastTenth = tenth;
        err.println(line);
      }
    }

    static String render(Progress p) {
      int filled = p.total() == 0 ? 0 : (int) Math.min(WIDTH, p.done() * WIDTH / p.total());
      String detail = p.detail() == null ? "" : p.detail();
      if (detail.length() > 60) {
        detail = "..." + detail.substring(detail.length() - 57);
      }
      return String.format("%s [%s%s] %d/%d %s %s", p.operation(), "#".repeat(filled), ".".repeat(WIDTH - filled),
          p.done(), p.total(), p.unit(), detail).stripTrailing();
    }

    void finish() {
      if (drawn) {
        err.println();
        drawn = false;
      }
    }
  }
}
