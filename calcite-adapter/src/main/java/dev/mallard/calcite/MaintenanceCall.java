package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.maintenance.Intervals;
import dev.mallard.maintenance.MaintenanceCalls;
import dev.mallard.maintenance.ProgressListener;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.MetaImpl;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * DuckLake's maintenance calls in SQL, as DuckDB users write them:
 * {@code CALL ducklake_expire_snapshots('lake', older_than => NOW() - INTERVAL '7' DAY)},
 * {@code CALL ducklake_merge_adjacent_files('lake', 'events', max_compacted_files => 100)},
 * {@code CALL ducklake_cleanup_old_files('lake', dry_run => true)}. The first argument names the
 * lake (any name is accepted: a connection has one lake); further positional arguments and named
 * ones ({@code name => value} or {@code name := value}) are the operation's. Values are literals:
 * strings, numbers, booleans, {@code [1, 2]} lists, {@code TIMESTAMP '...'}, {@code NOW()} or
 * {@code CURRENT_TIMESTAMP} plus or minus {@code INTERVAL '7' DAY} / {@code INTERVAL '7 days'}.
 * The statement returns the operation's result rows. Each call runs when the statement executes,
 * in its own commits, apart from the connection's transaction. {@code CHECKPOINT} (optionally
 * naming the lake) is {@code CALL ducklake_checkpoint(...)}, as DuckDB's CHECKPOINT of a DuckLake.
 */
public final class MaintenanceCall {
  private static final Pattern CALL = Pattern.compile("(?is)^\\s*CALL\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*\\((.*)\\)\\s*;?\\s*$");
  /**
   * DuckDB's {@code CHECKPOINT [name]} (and {@code FORCE CHECKPOINT}), which on a DuckLake runs
   * the maintenance steps in the reference's order: here {@code ducklake_checkpoint}. Recognized
   * before parsing, like the calls, so the grammar does not change.
   */
  private static final Pattern CHECKPOINT = Pattern.compile(
      "(?is)^\\s*(?:FORCE\\s+)?CHECKPOINT(?:\\s+(\"(?:[^\"]|\"\")+\"|[A-Za-z_][A-Za-z0-9_]*))?\\s*;?\\s*$");

  private MaintenanceCall() {}

  /** Whether a statement is a maintenance call this class handles. */
  public static boolean matches(String sql) {
    if (CHECKPOINT.matcher(sql).matches()) {
      return true;
    }
    Matcher m = CALL.matcher(sql);
    return m.matches() && m.group(1).toLowerCase(Locale.ROOT).startsWith("ducklake_")
        && MaintenanceCalls.operation(m.group(1)) != null;
  }

  /** A signature whose execution runs the call and returns its result rows. */
  @SuppressWarnings("unchecked")
  public static <T> CalcitePrepare.CalciteSignature<T> prepare(CalcitePrepare.Context context, String sql) {
    String operation;
    List<Object[]> parsed;
    Matcher m = CALL.matcher(sql);
    Matcher checkpoint = CHECKPOINT.matcher(sql);
    if (checkpoint.matches()) {
      operation = "checkpoint";
      String lake = checkpoint.group(1) == null ? "lake" : checkpoint.group(1);
      parsed = List.<Object[]>of(new Object[] {null, (Expr) now -> lake});
    } else if (m.matches()) {
      operation = MaintenanceCalls.operation(m.group(1));
      parsed = new ArgumentParser(m.group(2)).arguments(); // checked now, evaluated at execution
    } else {
      throw new UserException("Not a maintenance call: " + sql);
    }
    DuckLakeCatalog catalog = catalog(context.getRootSchema());
    List<MaintenanceCalls.Column> columns = columnsOf(operation);
    RelDataTypeFactory types = context.getTypeFactory();
    RelDataTypeFactory.Builder row = types.builder();
    List<ColumnMetaData> metadata = new ArrayList<>();
    for (int i = 0; i < columns.size(); i++) {
      MaintenanceCalls.Column c = columns.get(i);
      row.add(c.name(), c.type() == Long.class ? SqlTypeName.BIGINT : SqlTypeName.VARCHAR).nullable(true);
      metadata.add(MetaImpl.columnMetaData(c.name(), i, c.type(), true));
    }
    RelDataType rowType = row.build();
    Bindable<Object[]> bindable = dataContext -> {
      List<Object> positional = new ArrayList<>();
      Map<String, Object> named = new LinkedHashMap<>();
      Instant now = Instant.now();
      for (Object[] arg : parsed) {
        Object value = ((Expr) arg[1]).eval(now);
        if (arg[0] == null) {
          positional.add(value);
        } else {
          named.put((String) arg[0], value);
        }
      }
      if (positional.isEmpty()) {
        throw new UserException("ducklake_" + operation + " needs the lake's name as its first argument");
      }
      positional.remove(0);
      MaintenanceCalls.Result result = MaintenanceCalls.run(catalog, operation, positional, named,
          ProgressListener.NONE);
      return Linq4j.asEnumerable(result.rows());
    };
    return new CalcitePrepare.CalciteSignature<>(sql, List.of(), Map.of(), rowType, metadata,
        Meta.CursorFactory.ARRAY, context.getRootSchema(), List.of(), -1, (Bindable<T>) (Bindable<?>) bindable,
        Meta.StatementType.SELECT);
  }

  /** The result columns of an operation (as {@link MaintenanceCalls#run} returns them). */
  private static List<MaintenanceCalls.Column> columnsOf(String operation) {
    MaintenanceCalls.Column schema = new MaintenanceCalls.Column("schema_name", String.class);
    MaintenanceCalls.Column table = new MaintenanceCalls.Column("table_name", String.class);
    return switch (operation) {
      case "expire_snapshots" -> List.of(new MaintenanceCalls.Column("snapshot_id", Long.class),
          new MaintenanceCalls.Column("snapshot_time", String.class),
          new MaintenanceCalls.Column("schema_version", Long.class));
      case "cleanup_old_files", "delete_orphaned_files" -> List.of(new MaintenanceCalls.Column("path", String.class));
      case "flush_inlined_data" -> List.of(schema, table, new MaintenanceCalls.Column("rows_flushed", Long.class));
      case "merge_adjacent_files", "rewrite_data_files" -> List.of(schema, table,
          new MaintenanceCalls.Column("files_processed", Long.class),
          new MaintenanceCalls.Column("files_created", Long.class));
      case "checkpoint" -> List.of(new MaintenanceCalls.Column("operation", String.class),
          new MaintenanceCalls.Column("items", Long.class), new MaintenanceCalls.Column("unit", String.class));
      default -> throw new IllegalStateException(operation);
    };
  }

  private static DuckLakeCatalog catalog(CalciteSchema root) {
    for (CalciteSchema sub : root.getSubSchemaMap().values()) {
      if (sub.schema instanceof DuckLakeSchema lake) {
        return lake.lake().catalog();
      }
      if (sub.schema instanceof DuckLakeCatalogSchema lake) {
        return lake.lake().catalog();
      }
    }
    throw new UserException("This connection has no DuckLake to maintain");
  }

  /** An argument value, evaluated when the statement runs (NOW() is then). */
  private interface Expr {
    Object eval(Instant now);
  }

  /** Reads the argument list: {@code [name =>] value, ...}. */
  private static final class ArgumentParser {
    private static final Pattern TOKEN = Pattern.compile(
        "\\s*(?:('(?:[^']|'')*')|(\\d+(?:\\.\\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(=>|:=|::|[-+(),\\[\\]]))");
    private final List<String> tokens = new ArrayList<>();
    private int at;

    ArgumentParser(String text) {
      Matcher m = TOKEN.matcher(text);
      int pos = 0;
      while (pos < text.length()) {
        if (text.substring(pos).isBlank()) {
          break;
        }
        if (!m.find(pos) || m.start() != pos) {
          throw new UserException("Cannot read the call's arguments at: " + text.substring(pos).trim());
        }
        tokens.add(m.group().trim());
        pos = m.end();
      }
    }

    List<Object[]> arguments() {
      List<Object[]> out = new ArrayList<>();
      if (tokens.isEmpty()) {
        return out;
      }
      while (true) {
        String name = null;
        if (at + 1 < tokens.size() && isIdentifier(tokens.get(at))
            && (tokens.get(at + 1).equals("=>") || tokens.get(at + 1).equals(":="))) {
          name = tokens.get(at);
          at += 2;
        }
        out.add(new Object[] {name, expression()});
        if (at == tokens.size()) {
          return out;
        }
        expect(",");
      }
    }

    private Expr expression() {
      Expr left = term();
      while (at < tokens.size() && (tokens.get(at).equals("+") || tokens.get(at).equals("-"))) {
        boolean minus = tokens.get(at++).equals("-");
        Expr l = left;
        Expr r = term();
        left = now -> arithmetic(l.eval(now), r.eval(now), minus);
      }
      return left;
    }

    private Expr term() {
      String t = next();
      String upper = t.toUpperCase(Locale.ROOT);
      Expr value;
      if (t.startsWith("'")) {
        String s = unquote(t);
        value = now -> s;
      } else if (Character.isDigit(t.charAt(0))) {
        Object n = t.contains(".") ? (Object) Double.parseDouble(t) : (Object) Long.parseLong(t);
        value = now -> n;
      } else if (t.equals("-")) {
        Expr inner = term();
        value = now -> arithmetic(0L, inner.eval(now), true);
      } else if (t.equals("(")) {
        value = expression();
        expect(")");
      } else if (t.equals("[")) {
        List<Expr> items = new ArrayList<>();
        if (!peek("]")) {
          do {
            items.add(expression());
          } while (accept(","));
        }
        expect("]");
        value = now -> items.stream().map(e -> e.eval(now)).toList();
      } else if (upper.equals("TRUE") || upper.equals("FALSE")) {
        boolean b = upper.equals("TRUE");
        value = now -> b;
      } else if (upper.equals("NULL")) {
        value = now -> null;
      } else if (upper.equals("NOW") || upper.equals("CURRENT_TIMESTAMP") || upper.equals("GET_CURRENT_TIMESTAMP")) {
        if (accept("(")) {
          expect(")");
        }
        value = now -> now;
      } else if ((upper.equals("TIMESTAMP") || upper.equals("TIMESTAMPTZ") || upper.equals("DATE"))
          && peekString()) {
        Instant i = timestamp(unquote(next()));
        value = now -> i;
      } else if (upper.equals("INTERVAL")) {
        String amount = unquote(next());
        Duration d;
        if (at < tokens.size() && isIdentifier(tokens.get(at))) {
          d = Intervals.parse(amount + " " + next());
        } else {
          d = Intervals.parse(amount);
        }
        value = now -> d;
      } else if (isIdentifier(t)) {
        value = now -> t; // a bare name, such as the lake's
      } else {
        throw new UserException("Unexpected '" + t + "' in the call's arguments");
      }
      if (accept("::")) {
        String type = next().toUpperCase(Locale.ROOT);
        Expr v = value;
        if (type.startsWith("TIMESTAMP") || type.equals("DATE")) {
          value = now -> {
            Object o = v.eval(now);
            return o instanceof String s ? timestamp(s) : o;
          };
        } else if (type.equals("INTERVAL")) {
          value = now -> {
            Object o = v.eval(now);
            return o instanceof String s ? Intervals.parse(s) : o;
          };
        }
      }
      return value;
    }

    private static Object arithmetic(Object left, Object right, boolean minus) {
      if (left instanceof Instant i && right instanceof Duration d) {
        return minus ? i.minus(d) : i.plus(d);
      }
      if (left instanceof Long a && right instanceof Long b) {
        return minus ? a - b : a + b;
      }
      if (left instanceof Number a && right instanceof Number b) {
        return minus ? a.doubleValue() - b.doubleValue() : a.doubleValue() + b.doubleValue();
      }
      throw new UserException("Cannot " + (minus ? "subtract " : "add ") + right + (minus ? " from " : " to ") + left);
    }

    private static Instant timestamp(String text) {
      String s = text.trim().replace(' ', 'T');
      try {
        return OffsetDateTime.parse(s.replaceAll("([+-]\\d\\d)$", "$1:00")).toInstant();
      } catch (RuntimeException e) {
        try {
          return LocalDateTime.parse(s).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e2) {
          try {
            return LocalDate.parse(s).atStartOfDay().toInstant(ZoneOffset.UTC);
          } catch (RuntimeException e3) {
            throw new UserException("Cannot read the timestamp '" + text + "'");
          }
        }
      }
    }

    private static boolean isIdentifier(String t) {
      return Character.isLetter(t.charAt(0)) || t.charAt(0) == '_';
    }

    private static String unquote(String t) {
      if (!t.startsWith("'")) {
        throw new UserException("Expected a quoted string, not " + t);
      }
      return t.substring(1, t.length() - 1).replace("''", "'");
    }

    private boolean peekString() {
      return at < tokens.size() && tokens.get(at).startsWith("'");
    }

    private boolean peek(String t) {
      return at < tokens.size() && tokens.get(at).equals(t);
    }

    private boolean accept(String t) {
      if (peek(t)) {
        at++;
        return true;
      }
      return false;
    }

    private void expect(String t) {
      if (!accept(t)) {
        throw new UserException("Expected '" + t + "' in the call's arguments"
            + (at < tokens.size() ? " before '" + tokens.get(at) + "'" : " at the end"));
      }
    }

    private String next() {
      if (at >= tokens.size()) {
        throw new UserException("The call's arguments end too early");
      }
      return tokens.get(at++);
    }
  }
}
