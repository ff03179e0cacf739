package dev.mallard.engine.types;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A column type in DuckLake's type grammar ({@code int64}, {@code decimal(18,3)}, {@code struct}...).
 * Nested types carry no children here: DuckLake stores each child as its own column row, so the
 * tree lives in the catalog's column records.
 */
public final class DuckLakeType {
  private static final Pattern DECIMAL = Pattern.compile("decimal\\(\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\)");

  private final TypeKind kind;
  private final int precision;
  private final int scale;
  private final String name;

  private DuckLakeType(TypeKind kind, int precision, int scale, String name) {
    this.kind = kind;
    this.precision = precision;
    this.scale = scale;
    this.name = name;
  }

  public static DuckLakeType of(TypeKind kind) {
    if (kind == TypeKind.DECIMAL) {
      throw new IllegalArgumentException("a decimal needs a precision and scale");
    }
    return new DuckLakeType(kind, 0, 0, kind.typeName());
  }

  public static DuckLakeType decimal(int precision, int scale) {
    if (precision < 1 || precision > 38 || scale < 0 || scale > precision) {
      throw new IllegalArgumentException("invalid decimal(" + precision + "," + scale + ")");
    }
    return new DuckLakeType(TypeKind.DECIMAL, precision, scale, "decimal(" + precision + "," + scale + ")");
  }

  /**
   * Parses a {@code column_type} string. Names are case-insensitive; an unknown name gives a type of
   * kind {@link TypeKind#UNKNOWN} that remembers the name, so that only reading that column fails.
   */
  public static DuckLakeType parse(String columnType) {
    String s = columnType.trim().toLowerCase(Locale.ROOT);
    Matcher m = DECIMAL.matcher(s);
    if (m.matches()) {
      return decimal(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }
    if (s.equals("timestamp_us")) {
      return of(TypeKind.TIMESTAMP);
    }
    for (TypeKind kind : TypeKind.values()) {
      if (kind != TypeKind.DECIMAL && kind != TypeKind.UNKNOWN && kind.typeName().equals(s)) {
        return of(kind);
      }
    }
    return new DuckLakeType(TypeKind.UNKNOWN, 0, 0, columnType.trim());
  }

  public TypeKind kind() {
    return kind;
  }

  /** Decimal precision; 0 for other types. */
  public int precision() {
    return precision;
  }

  /** Decimal scale; 0 for other types. */
  public int scale() {
    return scale;
  }

  /** The {@code column_type} string. */
  @Override
  public String toString() {
    return name;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DuckLakeType t && t.kind == kind && t.precision == precision && t.scale == scale
        && t.name.equals(name);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, precision, scale, name);
  }
}
