package dev.mallard.calcite;

import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.type.BasicSqlType;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * Calcite's Java types, except that in {@link MallardTypeSystem#EXACT_TIMESTAMPS} a TIME(6) or
 * TIME(9) value is a long of micro- or nanoseconds of the day (see {@link TimestampUnits}): Calcite's
 * int of milliseconds cannot hold them. Plans are rewritten by {@link ExactTimes} so that
 * Calcite's own time code only ever sees TIME(3) ints. Text is UTF-8, as DuckDB's VARCHAR is:
 * Calcite's default character set, ISO-8859-1, refused literals such as {@code 'é 😀'}.
 *
 * <p>There is no CHAR: DuckDB's string literals are VARCHARs, and its CHAR(n) is a VARCHAR too.
 * Calcite typed {@code 'a'} as a CHAR(1) and padded it with spaces wherever it met a longer string
 * ({@code CASE WHEN x THEN 'a' ELSE 'abc' END} was {@code 'a  '}, and {@code 'a' = 'a '} was true).
 * A VARCHAR has no length, as in DuckDB ({@code CAST('abcdef' AS VARCHAR(3))} is {@code 'abcdef'}).
 * DuckDB's FLOAT is 4 bytes, a REAL: Calcite's FLOAT is 8 ({@code CAST(1 AS FLOAT) / 3} was a double).
 */
public final class MallardJavaTypeFactory extends JavaTypeFactoryImpl {
  public MallardJavaTypeFactory(RelDataTypeSystem typeSystem) {
    super(typeSystem);
  }

  @Override
  public Type getJavaClass(RelDataType type) {
    if (type instanceof BasicSqlType && TimestampUnits.fineTime(type)
        && MallardTypeSystem.exactTimestamps(getTypeSystem())) {
      return type.isNullable() ? Long.class : long.class;
    }
    return super.getJavaClass(type);
  }

  @Override
  public RelDataType createSqlType(SqlTypeName typeName) {
    return super.createSqlType(duckDb(typeName));
  }

  @Override
  public RelDataType createSqlType(SqlTypeName typeName, int precision) {
    SqlTypeName duckDb = duckDb(typeName);
    // DuckDB keeps no length of a VARCHAR: a cast to VARCHAR(3) cuts nothing off
    return super.createSqlType(duckDb, duckDb == SqlTypeName.VARCHAR || duckDb == SqlTypeName.REAL
        ? getTypeSystem().getDefaultPrecision(duckDb) : precision);
  }

  private static SqlTypeName duckDb(SqlTypeName typeName) {
    return switch (typeName) {
      case CHAR -> SqlTypeName.VARCHAR;
      case FLOAT -> SqlTypeName.REAL;
      default -> typeName;
    };
  }

  @Override
  public Charset getDefaultCharset() {
    return StandardCharsets.UTF_8;
  }
}
