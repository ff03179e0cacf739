package dev.mallard.calcite.parser;

import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.parser.SqlParserPos;

/**
 * DuckDB's type names, as a column type of DDL, mapped to DuckLake's types; what DuckDB 1.5 does
 * with each was checked against DuckDB's own ducklake extension (which type each name becomes in
 * {@code ducklake_column}, which it refuses).
 */
final class DuckDbTypes {
  private DuckDbTypes() {}

  /** Names without arguments (or whose arguments DuckDB ignores, as lengths of strings). */
  private static final Map<String, TypeKind> SIMPLE = new HashMap<>();

  static {
    simple(TypeKind.BOOLEAN, "BOOLEAN", "BOOL", "LOGICAL");
    simple(TypeKind.INT8, "TINYINT", "INT1");
    simple(TypeKind.INT16, "SMALLINT", "INT2", "INT16", "SHORT");
    simple(TypeKind.INT32, "INTEGER", "INT", "INT4", "INT32", "SIGNED");
    simple(TypeKind.INT64, "BIGINT", "INT8", "INT64", "LONG");
    simple(TypeKind.INT128, "HUGEINT", "INT128");
    simple(TypeKind.UINT8, "UTINYINT", "UINT8");
    simple(TypeKind.UINT16, "USMALLINT", "UINT16");
    simple(TypeKind.UINT32, "UINTEGER", "UINT32");
    simple(TypeKind.UINT64, "UBIGINT", "UINT64");
    simple(TypeKind.UINT128, "UHUGEINT", "UINT128");
    simple(TypeKind.FLOAT32, "REAL", "FLOAT4");
    simple(TypeKind.FLOAT64, "DOUBLE", "FLOAT8", "DOUBLE PRECISION");
    simple(TypeKind.VARCHAR, "VARCHAR", "CHAR", "CHARACTER", "CHARACTER VARYING", "BPCHAR", "TEXT",
        "STRING", "NVARCHAR");
    simple(TypeKind.BLOB, "BLOB", "BYTEA", "BINARY", "VARBINARY");
    simple(TypeKind.UUID, "UUID");
    simple(TypeKind.JSON, "JSON");
    simple(TypeKind.DATE, "DATE");
    simple(TypeKind.TIME, "TIME", "TIME WITHOUT TIME ZONE");
    simple(TypeKind.TIME_NS, "TIME_NS");
    simple(TypeKind.TIMETZ, "TIMETZ", "TIME WITH TIME ZONE");
    simple(TypeKind.TIMESTAMP, "DATETIME", "TIMESTAMP_US", "TIMESTAMP WITHOUT TIME ZONE");
    simple(TypeKind.TIMESTAMP_S, "TIMESTAMP_S");
    simple(TypeKind.TIMESTAMP_MS, "TIMESTAMP_MS");
    simple(TypeKind.TIMESTAMP_NS, "TIMESTAMP_NS");
    simple(TypeKind.TIMESTAMPTZ, "TIMESTAMPTZ", "TIMESTAMP WITH TIME ZONE");
    simple(TypeKind.INTERVAL, "INTERVAL");
    simple(TypeKind.GEOMETRY, "GEOMETRY");
    simple(TypeKind.VARIANT, "VARIANT");
  }

  private static void simple(TypeKind kind, String... names) {
    for (String name : names) {
      SIMPLE.put(name, kind);
    }
  }

  /** String types, whose length DuckDB accepts and ignores. */
  private static final Set<String> STRINGS = Set.of("VARCHAR", "CHAR", "CHARACTER", "CHARACTER VARYING",
      "BPCHAR", "NVARCHAR");

  /** Types with arguments, other than strings. */
  private static final Set<String> WITH_ARGUMENTS = Set.of("DECIMAL", "NUMERIC", "DEC", "FLOAT", "TIMESTAMP",
      "STRUCT", "ROW", "MAP", "LIST");

  /** DuckDB types that DuckLake cannot store. */
  private static final Set<String> UNSUPPORTED = Set.of("ENUM", "UNION", "BIT", "BITSTRING", "VARINT", "BIGNUM",
      "NULL", "ANY");

  /** Refuses, at its name, a type that DuckLake cannot store or that does not exist. */
  static void checkName(String name, SqlParserPos pos) {
    String n = name.toUpperCase(Locale.ROOT);
    if (SIMPLE.containsKey(n) || WITH_ARGUMENTS.contains(n)) {
      return;
    }
    if (UNSUPPORTED.contains(n)) {
      throw ParseErrors.at(pos, "DuckLake does not support type " + n);
    }
    throw ParseErrors.at(pos, "Unknown type " + name + ": DuckLake does not support it");
  }

  /** Whether the arguments in parentheses are fields, {@code name type}. */
  static boolean takesFields(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    return n.equals("STRUCT") || n.equals("ROW");
  }

  /** Whether the arguments in parentheses are types. */
  static boolean takesTypes(String name) {
    String n = name.toUpperCase(Locale.ROOT);
    return n.equals("MAP") || n.equals("LIST");
  }

  /**
   * The type that a name (with its continuation words, e.g. {@code DOUBLE PRECISION}) and arguments
   * make.
   */
  static ColumnType resolve(String name, List<Integer> numbers, List<ColumnType> types,
      List<ColumnType.Field> fields, SqlParserPos pos) {
    String n = name.toUpperCase(Locale.ROOT);
    switch (n) {
      case "DECIMAL", "NUMERIC", "DEC" -> {
        return decimal(numbers, pos);
      }
      case "FLOAT" -> {
        if (numbers.isEmpty() || numbers.size() == 1 && numbers.get(0) >= 1 && numbers.get(0) <= 24) {
          return simple(TypeKind.FLOAT32);
        }
        if (numbers.size() == 1 && numbers.get(0) >= 25 && numbers.get(0) <= 53) {
          return simple(TypeKind.FLOAT64);
        }
        throw ParseErrors.at(pos, "FLOAT takes one precision, in bits, from 1 to 53");
      }
      case "TIMESTAMP" -> {
        return timestamp(numbers, pos);
      }
      case "STRUCT", "ROW" -> {
        if (fields.isEmpty()) {
          throw ParseErrors.at(pos, n + " needs at least one field: " + n + "(name type, ...)");
        }
        return ColumnType.struct(fields);
      }
      case "MAP" -> {
        if (types.size() != 2) {
          throw ParseErrors.at(pos, "MAP needs a key type and a value type: MAP(key_type, value_type)");
        }
        return ColumnType.map(types.get(0), types.get(1));
      }
      case "LIST" -> {
        if (types.size() != 1) {
          throw ParseErrors.at(pos, "LIST needs one element type: LIST(type), or type[]");
        }
        return ColumnType.list(types.get(0));
      }
      default -> {
        TypeKind kind = SIMPLE.get(n);
        if (kind == null) {
          throw ParseErrors.at(pos, "Unknown type " + name + ": DuckLake does not support it");
        }
        if (!numbers.isEmpty() && !(STRINGS.contains(n) && numbers.size() == 1)) {
          throw ParseErrors.at(pos, "Type " + n + " does not take arguments");
        }
        return simple(kind);
      }
    }
  }

  private static ColumnType simple(TypeKind kind) {
    return ColumnType.of(DuckLakeType.of(kind));
  }

  /** DECIMAL is DECIMAL(18,3) and DECIMAL(p) is DECIMAL(p,0), as in DuckDB. */
  private static ColumnType decimal(List<Integer> numbers, SqlParserPos pos) {
    int precision = numbers.isEmpty() ? 18 : numbers.get(0);
    int scale = numbers.isEmpty() ? 3 : numbers.size() > 1 ? numbers.get(1) : 0;
    if (numbers.size() > 2) {
      throw ParseErrors.at(pos, "DECIMAL takes a width and a scale: DECIMAL(width, scale)");
    }
    if (precision < 1 || precision > 38) {
      throw ParseErrors.at(pos, "DECIMAL width must be between 1 and 38");
    }
    if (scale > precision) {
      throw ParseErrors.at(pos, "DECIMAL scale cannot be greater than its width");
    }
    return ColumnType.of(DuckLakeType.decimal(precision, scale));
  }

  /** TIMESTAMP(p), p digits of a second: 0 seconds, up to 3 milliseconds, 6 microseconds, 9 nanoseconds. */
  private static ColumnType timestamp(List<Integer> numbers, SqlParserPos pos) {
    if (numbers.isEmpty()) {
      return simple(TypeKind.TIMESTAMP);
    }
    int p = numbers.get(0);
    if (numbers.size() > 1 || p > 9) {
      throw ParseErrors.at(pos, "TIMESTAMP takes one precision, from 0 to 9");
    }
    return simple(p == 0 ? TypeKind.TIMESTAMP_S : p <= 3 ? TypeKind.TIMESTAMP_MS
        : p <= 6 ? TypeKind.TIMESTAMP : TypeKind.TIMESTAMP_NS);
  }

  static CalciteContextException fixedSizeArray(int size, SqlParserPos pos) {
    return ParseErrors.at(pos, "DuckLake does not support type ARRAY, of a fixed size ([" + size + "]);"
        + " a list ([]) has no size");
  }

  /** The name DuckDB gives a type kind without arguments or children. */
  static String duckDbName(TypeKind kind) {
    return switch (kind) {
      case BOOLEAN -> "BOOLEAN";
      case INT8 -> "TINYINT";
      case INT16 -> "SMALLINT";
      case INT32 -> "INTEGER";
      case INT64 -> "BIGINT";
      case INT128 -> "HUGEINT";
      case UINT8 -> "UTINYINT";
      case UINT16 -> "USMALLINT";
      case UINT32 -> "UINTEGER";
      case UINT64 -> "UBIGINT";
      case UINT128 -> "UHUGEINT";
      case FLOAT32 -> "FLOAT";
      case FLOAT64 -> "DOUBLE";
      case VARCHAR -> "VARCHAR";
      case JSON -> "JSON";
      case BLOB -> "BLOB";
      case UUID -> "UUID";
      case DATE -> "DATE";
      case TIME -> "TIME";
      case TIME_NS -> "TIME_NS";
      case TIMETZ -> "TIMETZ";
      case TIMESTAMP_S -> "TIMESTAMP_S";
      case TIMESTAMP_MS -> "TIMESTAMP_MS";
      case TIMESTAMP -> "TIMESTAMP";
      case TIMESTAMP_NS -> "TIMESTAMP_NS";
      case TIMESTAMPTZ -> "TIMESTAMPTZ";
      case INTERVAL -> "INTERVAL";
      case GEOMETRY -> "GEOMETRY";
      case VARIANT -> "VARIANT";
      default -> throw new IllegalArgumentException("no DuckDB name for " + kind);
    };
  }
}
