package dev.mallard.calcite;

import java.lang.reflect.Type;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeSystem;
import org.apache.calcite.sql.type.BasicSqlType;

/**
 * Calcite's Java types, except that in {@link MallardTypeSystem#EXACT_TIMESTAMPS} a TIME(6) or
 * TIME(9) value is a long of micro- or nanoseconds of the day (see {@link TimestampUnits}): Calcite's
 * int of milliseconds cannot hold them. Plans are rewritten by {@link ExactTimes} so that
 * Calcite's own time code only ever sees TIME(3) ints. Text is UTF-8, as DuckDB's VARCHAR is:
 * Calcite's default character set, ISO-8859-1, refused literals such as {@code 'é 😀'}.
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
  public Charset getDefaultCharset() {
    return StandardCharsets.UTF_8;
  }
}
