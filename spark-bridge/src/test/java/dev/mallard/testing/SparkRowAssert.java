package dev.mallard.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.mallard.engine.types.Interval;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.unsafe.types.CalendarInterval;

/**
 * Compares Spark's rows with DuckDB's result for the same query, value by value, in the normalized
 * forms of {@link DuckDb} (as {@link ResultAssert} does for JDBC). The session must use Spark's
 * Java 8 time API ({@code spark.sql.datetime.java8API.enabled}), so that dates and timestamps come
 * back as {@code LocalDate}, {@code LocalDateTime} and {@code Instant}, in the proleptic calendar.
 * DuckDB's TIME and TIME WITH TIME ZONE are read by the bridge as DuckDB's text and parsed here.
 */
public final class SparkRowAssert {
  private SparkRowAssert() {}

  public static void assertSameRows(DuckDb.Result expected, Dataset<Row> actual, boolean ordered) {
    int n = expected.types().size();
    assertThat(actual.columns()).as("columns").hasSize(n);
    List<List<Object>> want = new ArrayList<>();
    for (List<Object> row : expected.rows()) {
      List<Object> r = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        r.add(canonical(row.get(i)));
      }
      want.add(r);
    }
    List<List<Object>> got = new ArrayList<>();
    for (Row row : actual.collectAsList()) {
      List<Object> r = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        r.add(canonical(read(row.get(i), expected.types().get(i))));
      }
      got.add(r);
    }
    if (!ordered) {
      Comparator<List<Object>> byText = Comparator.comparing(Object::toString);
      want.sort(byText);
      got.sort(byText);
    }
    if (got.size() != want.size()) {
      fail("DuckDB returned %d rows, Spark %d.%nDuckDB (first 5): %s%nSpark (first 5): %s", want.size(), got.size(),
          want.subList(0, Math.min(5, want.size())), got.subList(0, Math.min(5, got.size())));
    }
    for (int r = 0; r < want.size(); r++) {
      for (int c = 0; c < n; c++) {
        if (!ResultAssert.same(want.get(r).get(c), got.get(r).get(c))) {
          fail("Row %d column %d (%s %s): DuckDB has %s, Spark has %s%nDuckDB: %s%nSpark: %s", r, c + 1,
              expected.columns().get(c), expected.types().get(c), want.get(r).get(c), got.get(r).get(c),
              want.get(r), got.get(r));
        }
      }
    }
  }

  /** A Spark value in the normalized form DuckDB's type calls for. */
  private static Object read(Object v, String duckType) {
    if (v == null) {
      return null;
    }
    String t = duckType.toUpperCase(Locale.ROOT);
    if (v instanceof String s && (t.equals("TIME") || t.equals("TIME_NS"))) {
      return s.startsWith("24:") ? s : LocalTime.parse(s);
    }
    if (v instanceof String s && t.equals("TIME WITH TIME ZONE")) {
      return DuckDb.normalize(duckType, s);
    }
    if (v instanceof Instant i) {
      return i.atOffset(ZoneOffset.UTC);
    }
    if (v instanceof CalendarInterval i) {
      return new Interval(i.months, i.days, i.microseconds);
    }
    // Nested values in DuckDB's forms: a struct a map from field name to value, a list a List.
    if (v instanceof Row struct) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (int f = 0; f < struct.length(); f++) {
        out.put(struct.schema().fieldNames()[f], read(struct.get(f), ""));
      }
      return out;
    }
    if (v instanceof scala.collection.Seq<?> seq) {
      List<Object> out = new ArrayList<>();
      for (var it = seq.iterator(); it.hasNext();) {
        out.add(read(it.next(), ""));
      }
      return out;
    }
    if (v instanceof scala.collection.Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      for (var it = map.iterator(); it.hasNext();) {
        scala.Tuple2<?, ?> e = it.next();
        out.put(read(e._1(), ""), read(e._2(), ""));
      }
      return out;
    }
    return v;
  }

  /** One representation per value, whichever engine produced it. */
  private static Object canonical(Object v) {
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
    if (v instanceof OffsetDateTime o) {
      return o.withOffsetSameInstant(ZoneOffset.UTC);
    }
    if (v instanceof List<?> list) {
      List<Object> out = new ArrayList<>();
      list.forEach(e -> out.add(canonical(e)));
      return out;
    }
    if (v instanceof Map<?, ?> map) {
      Map<Object, Object> out = new LinkedHashMap<>();
      map.forEach((k, e) -> out.put(canonical(k), canonical(e)));
      return out;
    }
    return v;
  }
}
