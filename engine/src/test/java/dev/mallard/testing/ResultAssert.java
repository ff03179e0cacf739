package dev.mallard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mallard.engine.types.Interval;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Compares a JDBC result of Mallard with DuckDB's result for the same query, value by value, in
 * the normalized forms of {@link DuckDb}. DuckDB's column types decide how each value is read, so a
 * SQL type that differs between the engines (DuckDB's HUGEINT sum against Mallard's DECIMAL) still
 * compares by value. Doubles compare with a relative tolerance of 1e-12, because the order in which
 * a sum adds its terms may move the last bit.
 */
public final class ResultAssert {
  private ResultAssert() {}

  /** Asserts the same rows; in order when {@code ordered}, as multisets otherwise. */
  public static void assertSameRows(DuckDb.Result expected, ResultSet actual, boolean ordered) throws SQLException {
    int n = expected.types().size();
    assertThat(actual.getMetaData().getColumnCount()).as("column count").isEqualTo(n);
    List<List<Object>> want = new ArrayList<>();
    for (List<Object> row : expected.rows()) {
      List<Object> r = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        r.add(canonical(row.get(i)));
      }
      want.add(r);
    }
    List<List<Object>> got = new ArrayList<>();
    while (actual.next()) {
      List<Object> r = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        r.add(canonical(read(actual, i + 1, expected.types().get(i))));
      }
      got.add(r);
    }
    if (!ordered && got.size() == want.size() && sameInOrder(want, got, n)) {
      return; // equal in order, so equal as multisets: most reads of a table come back in one order from both
    }
    if (!ordered) {
      want = sortedByText(want);
      got = sortedByText(got);
    }
    if (got.size() != want.size()) {
      fail("DuckDB returned %d rows, Mallard %d.%nOnly in DuckDB (first 5): %s%nOnly in Mallard (first 5): %s",
          want.size(), got.size(), onlyIn(want, got), onlyIn(got, want));
    }
    if (!ordered && !sameInOrder(want, got, n) && onlyIn(want, got).isEmpty() && onlyIn(got, want).isEmpty()) {
      return; // the same rows, which sorting by text put in another order (a value's text differs by side)
    }
    for (int r = 0; r < want.size(); r++) {
      for (int c = 0; c < n; c++) {
        if (!same(want.get(r).get(c), got.get(r).get(c))) {
          fail("Row %d column %d (%s): DuckDB has %s, Mallard has %s%nDuckDB: %s%nMallard: %s", r, c + 1,
              expected.types().get(c), want.get(r).get(c), got.get(r).get(c), want.get(r), got.get(r));
        }
      }
    }
  }

  /** The rows sorted by {@link #sortText}, each row's text made once (not once per comparison). */
  private static List<List<Object>> sortedByText(List<List<Object>> rows) {
    List<Map.Entry<String, List<Object>>> keyed = new ArrayList<>(rows.size());
    for (List<Object> row : rows) {
      keyed.add(Map.entry(sortText(row), row));
    }
    keyed.sort(Map.Entry.comparingByKey());
    List<List<Object>> out = new ArrayList<>(rows.size());
    for (Map.Entry<String, List<Object>> e : keyed) {
      out.add(e.getValue());
    }
    return out;
  }

  /**
   * A value's text for sorting, the same for both engines' forms of a struct (DuckDB's is a map of
   * its fields, Mallard's {@link StructValues}): both are written as the list of their values.
   */
  private static String sortText(Object v) {
    if (v instanceof StructValues struct) {
      return sortText(struct.values());
    }
    if (v instanceof java.util.Map<?, ?> map) {
      return sortText(new ArrayList<>(map.values()));
    }
    if (v instanceof List<?> list) {
      StringBuilder b = new StringBuilder("[");
      for (Object e : list) {
        b.append(sortText(e)).append(", ");
      }
      return b.append("]").toString();
    }
    return String.valueOf(v);
  }

  private static boolean sameInOrder(List<List<Object>> want, List<List<Object>> got, int n) {
    for (int r = 0; r < want.size(); r++) {
      for (int c = 0; c < n; c++) {
        if (!same(want.get(r).get(c), got.get(r).get(c))) {
          return false;
        }
      }
    }
    return true;
  }

  private static List<List<Object>> onlyIn(List<List<Object>> a, List<List<Object>> b) {
    List<List<Object>> rest = new ArrayList<>(b);
    List<List<Object>> out = new ArrayList<>();
    for (List<Object> row : a) {
      int i = indexOfSame(rest, row);
      if (i >= 0) {
        rest.remove(i);
      } else if (out.size() < 5) {
        out.add(row);
      }
    }
    return out;
  }

  private static int indexOfSame(List<List<Object>> rows, List<Object> row) {
    for (int i = 0; i < rows.size(); i++) {
      List<Object> candidate = rows.get(i);
      boolean match = candidate.size() == row.size();
      for (int c = 0; match && c < row.size(); c++) {
        match = same(row.get(c), candidate.get(c));
      }
      if (match) {
        return i;
      }
    }
    return -1;
  }

  /** Reads a Mallard value into the normalized form DuckDB's type calls for. */
  private static Object read(ResultSet rs, int i, String duckType) throws SQLException {
    Object v = rs.getObject(i);
    if (v == null) {
      return null;
    }
    String t = duckType.toUpperCase(Locale.ROOT);
    if (t.endsWith("]")) {
      return v; // a list (TIMESTAMP[] starts like a TIMESTAMP)
    }
    if ((t.equals("DATE") || t.startsWith("TIMESTAMP")) && INFINITIES.contains(rs.getString(i))) {
      return rs.getString(i); // DuckDB's form too
    }
    if (t.equals("DATE")) {
      return LocalDate.parse(rs.getString(i));
    }
    if (t.equals("TIME")) {
      return LocalTime.parse(rs.getString(i));
    }
    if (t.equals("TIMESTAMP WITH TIME ZONE")) {
      // Shown in the connection's time zone, which defaults to the JVM's. (getTimestamp would go
      // through java.sql.Timestamp's Julian calendar for old dates.)
      return LocalDateTime.parse(rs.getString(i).replace(' ', 'T')).atZone(ZoneId.systemDefault())
          .toOffsetDateTime().withOffsetSameInstant(ZoneOffset.UTC);
    }
    if (t.startsWith("TIMESTAMP")) {
      return LocalDateTime.parse(rs.getString(i).replace(' ', 'T'));
    }
    if (t.equals("INTERVAL")) {
      return Interval.parse(rs.getString(i));
    }
    if (t.equals("TIME WITH TIME ZONE")) {
      return DuckDb.normalize(duckType, rs.getString(i));
    }
    return v;
  }

  /**
   * A struct as Mallard's JDBC results hand it out ({@code java.sql.Struct}): its field values in
   * order. It matches DuckDB's struct (a map from field name to value) by those values.
   */
  private record StructValues(List<Object> values) {}

  /**
   * The elements of a JDBC array. Avatica 1.28's {@code getArray()} throws "Unhandled" on a list of
   * lists holding a NULL list (a documented limitation); then the list it wraps is read directly.
   */
  private static List<Object> elements(java.sql.Array a) {
    try {
      return java.util.Arrays.asList((Object[]) a.getArray());
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    } catch (RuntimeException e) {
      try {
        java.lang.reflect.Field list = a.getClass().getDeclaredField("list");
        list.setAccessible(true);
        return new ArrayList<>((List<?>) list.get(a));
      } catch (ReflectiveOperationException inner) {
        e.addSuppressed(inner);
        throw e;
      }
    }
  }

  private static final List<String> INFINITIES = List.of("infinity", "-infinity");

  /** One representation per value, whichever engine produced it. */
  private static Object canonical(Object v) {
    if (LocalDate.MAX.equals(v) || LocalDateTime.MAX.equals(v) || OffsetDateTime.MAX.equals(v)) {
      return "infinity"; // an infinite date or timestamp in java.time, DuckDB's form (a String) for it
    }
    if (LocalDate.MIN.equals(v) || LocalDateTime.MIN.equals(v) || OffsetDateTime.MIN.equals(v)) {
      return "-infinity";
    }
    if (v instanceof java.sql.Array a) {
      return canonical(elements(a));
    }
    if (v instanceof java.sql.Struct s) {
      try {
        List<Object> values = new ArrayList<>();
        for (Object attribute : s.getAttributes()) {
          values.add(canonical(attribute));
        }
        return new StructValues(values);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      for (Object e : list) {
        out.add(canonical(e));
      }
      return out;
    }
    if (v instanceof java.util.Map<?, ?> map) {
      java.util.Map<Object, Object> out = new java.util.LinkedHashMap<>();
      map.forEach((key, value) -> out.put(canonical(key), canonical(value)));
      return out;
    }
    if (v instanceof BigInteger i) {
      return new BigDecimal(i).stripTrailingZeros();
    }
    if (v instanceof BigDecimal d) {
      return d.compareTo(BigDecimal.ZERO) == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
    }
    if (v instanceof Float f) {
      return (double) f;
    }
    if (v instanceof Byte || v instanceof Short || v instanceof Integer || v instanceof Long) {
      return BigDecimal.valueOf(((Number) v).longValue()).stripTrailingZeros();
    }
    if (v instanceof byte[] b) {
      return "X'" + HexFormat.of().formatHex(b) + "'";
    }
    if (v != null && v.getClass().getName().equals("org.apache.calcite.avatica.util.ByteString")) {
      // Avatica's java.sql.Struct hands out binary fields in this form (documented); its text is hex.
      return "X'" + v + "'";
    }
    if (v instanceof OffsetDateTime o) {
      return o.withOffsetSameInstant(ZoneOffset.UTC);
    }
    if (v instanceof OffsetTime o) {
      return o;
    }
    return v;
  }

  /** Whether two canonical values are equal: doubles to 12 digits, decimals by value, nested values element-wise. */
  public static boolean same(Object want, Object got) {
    if (want == null || got == null) {
      return want == got;
    }
    if (want instanceof Double a && got instanceof Double b) {
      if (a.isNaN() || b.isNaN() || a.isInfinite() || b.isInfinite()) {
        return a.equals(b);
      }
      return a.doubleValue() == b.doubleValue() || Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b));
    }
    if (want instanceof BigDecimal a && got instanceof BigDecimal b) {
      return a.compareTo(b) == 0;
    }
    if (want instanceof java.util.Map<?, ?> fields && got instanceof StructValues struct) {
      return same(new ArrayList<>(fields.values()), struct.values());
    }
    if (want instanceof StructValues struct && got instanceof java.util.Map<?, ?> fields) {
      return same(fields, struct);
    }
    if (want instanceof List<?> a && got instanceof List<?> b) {
      if (a.size() != b.size()) {
        return false;
      }
      for (int i = 0; i < a.size(); i++) {
        if (!same(a.get(i), b.get(i))) {
          return false;
        }
      }
      return true;
    }
    if (want instanceof java.util.Map<?, ?> a && got instanceof java.util.Map<?, ?> b) {
      // Both engines keep a map's entries in insertion order.
      return a.size() == b.size() && same(new ArrayList<>(a.keySet()), new ArrayList<>(b.keySet()))
          && same(new ArrayList<>(a.values()), new ArrayList<>(b.values()));
    }
    return want.equals(got);
  }
}
