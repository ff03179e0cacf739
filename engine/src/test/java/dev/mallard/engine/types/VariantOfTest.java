package dev.mallard.engine.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.ColumnInfo;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Variants made of engine values ({@link Variant#of}) have the types and text DuckDB 1.5.5 gives them. */
class VariantOfTest {
  private static ColumnInfo column(String type, ColumnInfo... children) {
    return new ColumnInfo(0, "c", DuckLakeType.parse(type), true, null, null, List.of(children));
  }

  private static String typeAndText(ColumnInfo column, Object value) {
    Object model = Variant.of(column, value).decode();
    StringBuilder text = new StringBuilder();
    Variant.format(model, true, false, text);
    return Variant.typeName(model) + " " + text;
  }

  @Test
  void unsignedAndWideIntegersAreTheSignedIntegersDuckDbWrites() {
    assertThat(typeAndText(column("uint8"), 255L)).isEqualTo("INT16 255");
    assertThat(typeAndText(column("uint16"), 65535L)).isEqualTo("INT32 65535");
    assertThat(typeAndText(column("uint32"), 4294967295L)).isEqualTo("INT64 4294967295");
    assertThat(typeAndText(column("uint64"), BigInteger.valueOf(Long.MAX_VALUE))).isEqualTo("INT64 9223372036854775807");
    assertThat(typeAndText(column("int128"), BigInteger.valueOf(-5))).isEqualTo("INT64 -5");
    assertThatThrownBy(() -> Variant.of(column("uint64"), BigInteger.ONE.shiftLeft(63)))
        .isInstanceOf(UserException.class).hasMessageContaining("out of the range of a variant's INT64");
  }

  @Test
  void aMapIsAnArrayOfKeyValueObjectsInItsOrder() {
    Map<Object, Object> map = new LinkedHashMap<>();
    map.put("k", 1L);
    map.put("a", null);
    ColumnInfo m = column("map", column("varchar"), column("int32"));
    assertThat(typeAndText(m, map)).isEqualTo("ARRAY(2) [{'key': k, 'value': 1}, {'key': a, 'value': NULL}]");
    assertThat(typeAndText(m, Map.of())).isEqualTo("ARRAY(0) []");
  }

  @Test
  void jsonIsTheValueItHolds() {
    ColumnInfo json = column("json");
    assertThat(typeAndText(json, "{\"b\": 1, \"a\": [true, null, 1.5, \"s\", -3], \"b\": 2}"))
        .isEqualTo("OBJECT(a, b) {'a': [true, NULL, 1.5, s, -3], 'b': 1}");
    assertThat(typeAndText(json, "-9223372036854775809")).isEqualTo("DOUBLE -9.223372036854776e+18");
    assertThat(typeAndText(json, "1e2")).isEqualTo("DOUBLE 100.0");
    assertThat(typeAndText(json, "\"s\"")).isEqualTo("VARCHAR s");
    assertThat(Variant.of(json, "null").isVariantNull()).isTrue();
    assertThatThrownBy(() -> Variant.of(json, "9223372036854775808"))
        .isInstanceOf(UserException.class).hasMessageContaining("out of the range of a variant's INT64");
    assertThatThrownBy(() -> Variant.of(json, "{\"a\": ")).isInstanceOf(UserException.class)
        .hasMessageContaining("Malformed JSON");
  }
}
