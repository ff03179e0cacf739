package dev.mallard.benchmarks.tpch;

import dev.mallard.testing.DuckDb;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Whether Mallard's result of a query equals DuckDB's, row by row in order.
 *
 * <p>Exact values (integers, DECIMALs, text, dates) must be equal. Where either engine returns a
 * floating-point number (DuckDB's {@code avg}, and its division of DECIMALs, are DOUBLE; Mallard's
 * may be DECIMAL), the two may differ by a relative 1e-9, or by half a unit in the last place of
 * the side that is a DECIMAL. 1e-9 is above the rounding a sum of at most 6 million doubles can
 * accumulate in another order (n × 2^-53 ≈ 7e-10 at SF1); half a unit is what rounding an exact
 * quotient to the DECIMAL's scale can move it.
 */
final class ResultCheck {
  private static final BigDecimal RELATIVE = new BigDecimal("1e-9");

  private ResultCheck() {}

  /** Reads every row of {@code rs} into comparable values, reading columns as DuckDB typed them. */
  static List<List<Object>> read(ResultSet rs, List<String> duckdbTypes) throws SQLException {
    int n = rs.getMetaData().getColumnCount();
    List<List<Object>> rows = new ArrayList<>();
    while (rs.next()) {
      List<Object> row = new ArrayList<>(n);
      for (int i = 1; i <= n; i++) {
        Object v = rs.getObject(i);
        if (v != null && i <= duckdbTypes.size() && duckdbTypes.get(i - 1).equals("DATE")) {
          v = LocalDate.parse(rs.getString(i));
        }
        row.add(v);
      }
      rows.add(row);
    }
    return rows;
  }

  /** Null when the rows are the same; otherwise what differs, first difference first. */
  static String difference(DuckDb.Result expected, List<List<Object>> actual) {
    List<List<Object>> want = expected.rows();
    int columns = expected.columns().size();
    if (!actual.isEmpty() && actual.get(0).size() != columns) {
      return "DuckDB has " + columns + " columns, Mallard " + actual.get(0).size();
    }
    if (want.size() != actual.size()) {
      return "DuckDB has " + want.size() + " rows, Mallard " + actual.size() + firstRows(want, actual);
    }
    for (int r = 0; r < want.size(); r++) {
      for (int c = 0; c < columns; c++) {
        if (!same(want.get(r).get(c), actual.get(r).get(c))) {
          String order = sameAsMultisets(want, actual) ? " (the same rows in another order)" : "";
          return String.format(Locale.ROOT, "row %d column %s (%s): DuckDB %s, Mallard %s%s%n  DuckDB row:  %s%n"
              + "  Mallard row: %s", r + 1, expected.columns().get(c), expected.types().get(c), show(want.get(r).get(c)),
              show(actual.get(r).get(c)), order, want.get(r), actual.get(r));
        }
      }
    }
    return null;
  }

  private static String firstRows(List<List<Object>> want, List<List<Object>> got) {
    return String.format(Locale.ROOT, "%n  DuckDB first rows:  %s%n  Mallard first rows: %s",
        want.subList(0, Math.min(3, want.size())), got.subList(0, Math.min(3, got.size())));
  }

  private static boolean sameAsMultisets(List<List<Object>> want, List<List<Object>> got) {
    List<List<Object>> a = new ArrayList<>(want);
    List<List<Object>> b = new ArrayList<>(got);
    Comparator<List<Object>> byText = Comparator.comparing(ResultCheck::key);
    a.sort(byText);
    b.sort(byText);
    for (int r = 0; r < a.size(); r++) {
      for (int c = 0; c < a.get(r).size(); c++) {
        if (!same(a.get(r).get(c), b.get(r).get(c))) {
          return false;
        }
      }
    }
    return true;
  }

  /** A sort key that puts rows equal under {@link #same} next to each other (exact columns first). */
  private static String key(List<Object> row) {
    StringBuilder s = new StringBuilder();
    for (Object v : row) {
      if (!(v instanceof Double) && !(v instanceof Float)) {
        s.append(v instanceof Number n ? decimal(n).stripTrailingZeros().toPlainString() : String.valueOf(v));
      }
      s.append('|');
    }
    return s.toString();
  }

  private static String show(Object v) {
    return v == null ? "NULL" : v + " (" + v.getClass().getSimpleName() + ")";
  }

  static boolean same(Object want, Object got) {
    if (want == null || got == null) {
      return want == got;
    }
    if (want instanceof Number a && got instanceof Number b) {
      BigDecimal x = decimal(a);
      BigDecimal y = decimal(b);
      if (x.compareTo(y) == 0) {
        return true;
      }
      boolean floating = isFloating(a) || isFloating(b);
      if (!floating) {
        return false;
      }
      BigDecimal tolerance = x.abs().max(y.abs()).multiply(RELATIVE);
      for (Number exact : List.of(a, b)) {
        if (exact instanceof BigDecimal d && d.scale() > 0) {
          tolerance = tolerance.max(BigDecimal.ONE.movePointLeft(d.scale()).divide(BigDecimal.valueOf(2)));
        }
      }
      return x.subtract(y).abs().compareTo(tolerance) <= 0;
    }
    return want.equals(got);
  }

  private static boolean isFloating(Number n) {
    return n instanceof Double || n instanceof Float;
  }

  private static BigDecimal decimal(Number n) {
    if (n instanceof BigDecimal d) {
      return d;
    }
    if (n instanceof BigInteger i) {
      return new BigDecimal(i);
    }
    if (isFloating(n)) {
      return new BigDecimal(n.doubleValue());
    }
    return BigDecimal.valueOf(n.longValue());
  }
}
