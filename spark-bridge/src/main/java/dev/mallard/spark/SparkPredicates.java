package dev.mallard.spark;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.catalog.TableInfo;
import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.Values;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.connector.expressions.Expression;
import org.apache.spark.sql.connector.expressions.Literal;
import org.apache.spark.sql.connector.expressions.NamedReference;
import org.apache.spark.sql.types.BooleanType;
import org.apache.spark.sql.types.ByteType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DateType;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.types.DecimalType;
import org.apache.spark.sql.types.DoubleType;
import org.apache.spark.sql.types.FloatType;
import org.apache.spark.sql.types.IntegerType;
import org.apache.spark.sql.types.LongType;
import org.apache.spark.sql.types.ShortType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.TimestampNTZType;
import org.apache.spark.sql.types.TimestampType;
import org.apache.spark.unsafe.types.UTF8String;

/**
 * Translates Spark's V2 predicates into the engine's {@link Predicate}, or gives up. It translates
 * only what means the same in both: a column (never an expression over one) compared with a literal
 * that the column's DuckLake type holds exactly, IN lists of such literals, null tests, and AND, OR
 * and NOT over those. Spark and the engine agree on the rest: strings compare by code point (Spark's
 * default UTF8_BINARY collation), NaN equals NaN and is greater than every other double, and -0.0
 * equals 0.0. Everything else stays with Spark.
 */
final class SparkPredicates {
  private final TableInfo table;

  SparkPredicates(TableInfo table) {
    this.table = table;
  }

  Optional<Predicate> translate(org.apache.spark.sql.connector.expressions.filter.Predicate p) {
    return Optional.ofNullable(predicate(p));
  }

  private Predicate predicate(Expression e) {
    if (!(e instanceof org.apache.spark.sql.connector.expressions.filter.Predicate p)) {
      return null;
    }
    Expression[] args = p.children();
    switch (p.name()) {
      case "AND":
      case "OR": {
        List<Predicate> terms = new ArrayList<>();
        for (Expression child : args) {
          Predicate t = predicate(child);
          if (t == null) {
            return null;
          }
          terms.add(t);
        }
        return p.name().equals("AND") ? new Predicate.And(terms) : new Predicate.Or(terms);
      }
      case "NOT": {
        Predicate t = predicate(args[0]);
        return t == null ? null : new Predicate.Not(t);
      }
      case "IS_NULL":
      case "IS_NOT_NULL": {
        ColumnInfo c = column(args[0]);
        if (c == null) {
          return null;
        }
        Predicate isNull = new Predicate.IsNull(ref(c));
        return p.name().equals("IS_NULL") ? isNull : new Predicate.Not(isNull);
      }
      case "=":
        return comparison(args, Predicate.Op.EQ);
      case "<>":
      case "!=":
        return comparison(args, Predicate.Op.NE);
      case "<":
        return comparison(args, Predicate.Op.LT);
      case "<=":
        return comparison(args, Predicate.Op.LE);
      case ">":
        return comparison(args, Predicate.Op.GT);
      case ">=":
        return comparison(args, Predicate.Op.GE);
      case "<=>":
        return nullSafeEquals(args);
      case "IN":
        return in(args);
      default:
        return null; // STARTS_WITH, ENDS_WITH, CONTAINS, ALWAYS_TRUE/FALSE, functions: left to Spark
    }
  }

  private Predicate comparison(Expression[] args, Predicate.Op op) {
    Expression left = args[0];
    Expression right = args[1];
    if (left instanceof Literal<?> && !(right instanceof Literal<?>)) {
      Expression t = left;
      left = right;
      right = t;
      op = op.flip();
    }
    ColumnInfo c = column(left);
    if (c == null || !(right instanceof Literal<?> literal) || !Values.isComparable(c.type())) {
      return null;
    }
    Object value = value(c.type(), literal);
    return value == null ? null : new Predicate.Comparison(ref(c), op, value);
  }

  /**
   * {@code x <=> v} with v not null is {@code x IS NOT NULL AND x = v}: both are FALSE, never
   * NULL, when x is NULL, so the translation also holds under NOT. {@code x <=> NULL} is IS NULL.
   */
  private Predicate nullSafeEquals(Expression[] args) {
    Expression left = args[0] instanceof Literal<?> ? args[1] : args[0];
    Expression right = args[0] instanceof Literal<?> ? args[0] : args[1];
    ColumnInfo c = column(left);
    if (c == null || !(right instanceof Literal<?> literal)) {
      return null;
    }
    if (literal.value() == null) {
      return new Predicate.IsNull(ref(c));
    }
    Predicate eq = comparison(new Expression[] {left, right}, Predicate.Op.EQ);
    return eq == null ? null : new Predicate.And(List.of(new Predicate.Not(new Predicate.IsNull(ref(c))), eq));
  }

  private Predicate in(Expression[] args) {
    ColumnInfo c = column(args[0]);
    if (c == null || !Values.isComparable(c.type())) {
      return null;
    }
    List<Object> values = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      // A NULL in the list makes a non-matching row NULL rather than FALSE: not the engine's IN.
      if (!(args[i] instanceof Literal<?> literal)) {
        return null;
      }
      Object v = value(c.type(), literal);
      if (v == null) {
        return null;
      }
      values.add(v);
    }
    return values.isEmpty() ? null : new Predicate.In(ref(c), values);
  }

  /** A top-level, readable column of the table; null for nested fields and anything else. */
  private ColumnInfo column(Expression e) {
    if (!(e instanceof NamedReference ref) || ref.fieldNames().length != 1) {
      return null;
    }
    return table.columns().stream().filter(c -> c.name().equals(ref.fieldNames()[0])).findFirst()
        .filter(SparkTypes::filterable).orElse(null);
  }

  private static ColumnRef ref(ColumnInfo c) {
    return new ColumnRef(c.id(), c.name(), c.type());
  }

  /**
   * The literal as an engine value of the column's DuckLake type, or null when that type cannot
   * hold it exactly or Spark compares the two differently.
   */
  static Object value(DuckLakeType type, Literal<?> literal) {
    Object v = literal.value();
    DataType t = literal.dataType();
    if (v == null) {
      return null;
    }
    switch (type.kind()) {
      case BOOLEAN:
        return t instanceof BooleanType ? v : null;
      case INT8: case INT16: case INT32: case INT64: case UINT8: case UINT16: case UINT32: {
        BigInteger i = integral(v, t);
        return i == null || i.bitLength() >= 64 ? null : (Object) i.longValue();
      }
      case UINT64: case INT128: case UINT128:
        return integral(v, t);
      case FLOAT32:
        // Spark compares a FLOAT column with a FLOAT literal as floats; widened, they compare the same.
        return t instanceof FloatType ? (Object) (double) (Float) v : null;
      case FLOAT64:
        return t instanceof DoubleType ? v : null;
      case DECIMAL:
        if (t instanceof DecimalType) {
          return ((Decimal) v).toJavaBigDecimal();
        }
        BigInteger i = integral(v, t);
        return i == null ? null : new BigDecimal(i);
      case VARCHAR: case JSON: case UUID:
        // The column is a Spark STRING, so Spark compares text, as the engine does (uuids are
        // canonical lower case, so their text order is their order).
        return t instanceof StringType s && s.supportsBinaryOrdering() ? ((UTF8String) v).toString() : null;
      case DATE:
        return t instanceof DateType ? v : null;
      case TIMESTAMP_S: case TIMESTAMP_MS: case TIMESTAMP: case TIMESTAMP_NS:
        return t instanceof TimestampNTZType ? fromMicrosExact(type, (Long) v) : null;
      case TIMESTAMPTZ: case TIMESTAMPTZ_NS:
        return t instanceof TimestampType ? fromMicrosExact(type, (Long) v) : null;
      default:
        return null; // time (a Spark STRING here), timetz, interval, blob: not compared by the engine
    }
  }

  private static BigInteger integral(Object v, DataType t) {
    if (t instanceof ByteType || t instanceof ShortType || t instanceof IntegerType || t instanceof LongType) {
      return BigInteger.valueOf(((Number) v).longValue());
    }
    if (t instanceof DecimalType) {
      try {
        return ((Decimal) v).toJavaBigDecimal().toBigIntegerExact();
      } catch (ArithmeticException e) {
        return null; // a fraction: leave the comparison to Spark
      }
    }
    return null;
  }

  /** Spark's microseconds in the column's unit, when that unit holds them exactly. */
  static Object fromMicrosExact(DuckLakeType type, long micros) {
    try {
      return switch (type.kind()) {
        case TIMESTAMP_S -> micros % 1_000_000 == 0 ? micros / 1_000_000 : null;
        case TIMESTAMP_MS -> micros % 1_000 == 0 ? micros / 1_000 : null;
        case TIMESTAMP_NS, TIMESTAMPTZ_NS -> Math.multiplyExact(micros, 1_000L);
        default -> micros;
      };
    } catch (ArithmeticException e) {
      return null;
    }
  }
}
