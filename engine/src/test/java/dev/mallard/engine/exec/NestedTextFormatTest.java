package dev.mallard.engine.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The text Mallard keeps nested values in inlined tables: DuckDB's, and read back exactly. */
class NestedTextFormatTest {
  private static long ids = 1;

  private static ColumnInfo col(String name, TypeKind kind, ColumnInfo... children) {
    return new ColumnInfo(ids++, name, DuckLakeType.of(kind), true, null, null, List.of(children));
  }

  private static final ColumnInfo STRUCT = col("s", TypeKind.STRUCT, col("a", TypeKind.INT32),
      col("b", TypeKind.VARCHAR));
  private static final ColumnInfo LIST = col("l", TypeKind.LIST, col("element", TypeKind.VARCHAR));
  private static final ColumnInfo MAP = col("m", TypeKind.MAP, col("key", TypeKind.VARCHAR),
      col("value", TypeKind.INT32));
  private static final ColumnInfo BLOBS = col("bl", TypeKind.LIST, col("element", TypeKind.BLOB));
  private static final ColumnInfo DECIMALS = col("d", TypeKind.LIST,
      new ColumnInfo(ids++, "element", DuckLakeType.decimal(9, 2), true, null, null, List.of()));
  private static final ColumnInfo DEEP = col("ls", TypeKind.LIST, col("element", TypeKind.STRUCT,
      col("x", TypeKind.INT32), col("v", TypeKind.LIST, col("element", TypeKind.INT32))));

  @Test
  void writesWhatDuckDbWritesForPlainValues() {
    // As DuckDB 1.5.5 wrote these values into a SQLite catalog's inlined data table.
    assertThat(NestedText.format(STRUCT, Arrays.asList(1L, "x"))).isEqualTo("{'a': 1, 'b': 'x'}");
    assertThat(NestedText.format(STRUCT, Arrays.asList(null, null))).isEqualTo("{'a': NULL, 'b': NULL}");
    assertThat(NestedText.format(LIST, Arrays.asList("a b", null, ""))).isEqualTo("[a b, NULL, '']");
    Map<Object, Object> m = new LinkedHashMap<>();
    m.put("k1", 1L);
    m.put("k2", null);
    assertThat(NestedText.format(MAP, m)).isEqualTo("{k1=1, k2=NULL}");
    assertThat(NestedText.format(MAP, Map.of())).isEqualTo("{}");
    assertThat(NestedText.format(DECIMALS, Arrays.asList(new BigDecimal("1.5"), null))).isEqualTo("[1.50, NULL]");
    assertThat(NestedText.format(BLOBS, Arrays.asList(new byte[] {1, 'a', 'b'}, null))).isEqualTo("[\\x01ab, NULL]");
    assertThat(NestedText.format(DEEP, Arrays.asList(Arrays.asList(1L, List.of(1L, 2L)), null)))
        .isEqualTo("[{'x': 1, 'v': [1, 2]}, NULL]");
  }

  @Test
  void readsTheCastsDuckDbWritesForTimesInsideInlinedValues() {
    // As DuckDB 1.5.5 wrote a struct of a TIMESTAMP, a TIMESTAMP_NS and a TIME into a SQLite catalog.
    ColumnInfo times = col("s", TypeKind.STRUCT, col("t", TypeKind.TIMESTAMP), col("n", TypeKind.TIMESTAMP_NS),
        col("c", TypeKind.TIME));
    assertThat(NestedText.parse(times, "{'t': CAST('2025-01-02 03:04:05.123456' AS TIMESTAMP),"
        + " 'n': CAST('2025-01-02 03:04:05.123456789' AS TIMESTAMP_NS), 'c': CAST('12:34:56.123456' AS TIME)}"))
        .isEqualTo(List.of(1_735_787_045_123_456L, 1_735_787_045_123_456_789L, 45_296_123_456L));
    ColumnInfo dates = col("l", TypeKind.LIST, col("element", TypeKind.DATE));
    assertThat(NestedText.parse(dates, "[CAST('infinity' AS DATE), NULL, CAST('2025-01-02' AS DATE)]"))
        .isEqualTo(Arrays.asList(Integer.MAX_VALUE, null, 20_090));
  }

  @Test
  void quotesAndEscapesWhatDuckDbsCastQuotesAndReadsItBack() {
    List<String> strings = Arrays.asList("it's", "back\\slash", "NULL", "null", "", " x", "x ", "a,b", "{x}", "[y]",
        "k=v", "a:b", "(p)", "\"q\"", "é ü", "tab\tin", null);
    assertThat(NestedText.format(LIST, List.of("it's", "NULL", "a\\b"))).isEqualTo("['it\\'s', 'NULL', a\\b]");
    assertThat(NestedText.parse(LIST, NestedText.format(LIST, strings))).isEqualTo(strings);
    for (String s : strings) {
      List<Object> struct = Arrays.asList(7L, s);
      assertThat(NestedText.parse(STRUCT, NestedText.format(STRUCT, struct))).isEqualTo(struct);
      if (s != null) {
        Map<Object, Object> m = new LinkedHashMap<>();
        m.put(s, 1L);
        assertThat(NestedText.parse(MAP, NestedText.format(MAP, m))).isEqualTo(m);
      }
    }
    List<byte[]> blobs = Arrays.asList(new byte[] {0, '\'', '\\', ',', ' '}, new byte[0], "a b".getBytes());
    List<?> back = (List<?>) NestedText.parse(BLOBS, NestedText.format(BLOBS, blobs));
    for (int i = 0; i < blobs.size(); i++) {
      assertThat((byte[]) back.get(i)).isEqualTo(blobs.get(i));
    }
  }
}
