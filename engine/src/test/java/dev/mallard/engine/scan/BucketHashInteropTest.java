package dev.mallard.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import dev.mallard.testing.DuckDb;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The bucket hash computed here equals the one DuckDB's ducklake extension writes partition values
 * with ({@code murmur3_32}), type by type.
 */
class BucketHashInteropTest {
  /** DuckDB type, DuckLake type name, literals. */
  private record Case(String duckdbType, String ducklakeType, List<String> literals) {}

  private static final List<Case> CASES = List.of(
      new Case("BOOLEAN", "boolean", List.of("true", "false")),
      new Case("TINYINT", "int8", List.of("-5", "127")),
      new Case("SMALLINT", "int16", List.of("-300", "12345")),
      new Case("INTEGER", "int32", List.of("34", "-1", "0")),
      new Case("BIGINT", "int64", List.of("-9000000000000000000", "1")),
      new Case("UTINYINT", "uint8", List.of("200")),
      new Case("USMALLINT", "uint16", List.of("60000")),
      new Case("UINTEGER", "uint32", List.of("4000000000")),
      new Case("UBIGINT", "uint64", List.of("18000000000000000000")),
      new Case("HUGEINT", "int128", List.of("-170141183460469231731687303715884105727", "7")),
      new Case("DECIMAL(4,1)", "decimal(4,1)", List.of("12.5", "-0.1")),
      new Case("DECIMAL(18,3)", "decimal(18,3)", List.of("-12345.678")),
      new Case("DECIMAL(38,2)", "decimal(38,2)", List.of("12.50", "-123456789012345678901234.05")),
      new Case("FLOAT", "float32", List.of("1.1", "-0.0", "'nan'", "'-inf'", "3e38")),
      new Case("DOUBLE", "float64", List.of("2.25", "-0.0", "'nan'", "'inf'", "1e300", "0.1")),
      new Case("INTERVAL", "interval", List.of("INTERVAL 1 DAY", "INTERVAL 2 MONTH",
          "INTERVAL '1 year 2 months 3 days 04:05:06.789'", "INTERVAL '-1 hour'")),
      new Case("TIMETZ", "timetz", List.of("'10:00:00+02'", "'10:00:00.5-05:30'", "'00:00:00+00'")),
      new Case("VARCHAR", "varchar", List.of("'alice'", "''", "'ünïcödé 🦆'")),
      new Case("BLOB", "blob", List.of("'\\xAA\\x00abc'::BLOB")),
      new Case("DATE", "date", List.of("DATE '2024-03-05'", "DATE '1900-01-01'")),
      new Case("TIME", "time", List.of("TIME '12:34:56.789'")),
      new Case("TIMESTAMP", "timestamp", List.of("TIMESTAMP '2024-03-05 10:11:12.123456'", "TIMESTAMP '1960-01-01'")),
      new Case("TIMESTAMP_S", "timestamp_s", List.of("TIMESTAMP '2024-03-05 10:11:12'")),
      new Case("TIMESTAMP_MS", "timestamp_ms", List.of("TIMESTAMP '2024-03-05 10:11:12.123'")),
      new Case("TIMESTAMP_NS", "timestamp_ns", List.of("TIMESTAMP_NS '2024-03-05 10:11:12.123456789'")),
      new Case("TIMESTAMPTZ", "timestamptz", List.of("TIMESTAMPTZ '2024-03-05 10:11:12.5+00'")),
      new Case("UUID", "uuid", List.of("'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'")));

  @Test
  void everyHashIsDuckDbs() {
    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5)) {
      int compared = 0;
      for (Case c : CASES) {
        DuckLakeType type = DuckLakeType.parse(c.ducklakeType());
        for (String literal : c.literals()) {
          String value = "CAST(" + literal + " AS " + c.duckdbType() + ")";
          List<Object> row = duckdb.query("SELECT " + value + "::VARCHAR, murmur3_32(" + value + "), "
              + "(murmur3_32(" + value + ") & 2147483647) % 7").rows().get(0);
          Object engineValue = c.ducklakeType().equals("blob")
              ? new byte[] {(byte) 0xAA, 0, 'a', 'b', 'c'} : Values.parse(type, (String) row.get(0));
          Integer hash = PartitionTransforms.hash(type, engineValue);
          assertThat(hash).as("hash of %s", value).isEqualTo(((BigInteger) row.get(1)).intValue());
          assertThat(PartitionTransforms.bucket(type, engineValue, 7)).as("bucket of %s", value)
              .isEqualTo(((BigInteger) row.get(2)).intValue());
          compared++;
        }
      }
      assertThat(compared).isEqualTo(CASES.stream().mapToInt(c -> c.literals().size()).sum());
    }
  }
}
