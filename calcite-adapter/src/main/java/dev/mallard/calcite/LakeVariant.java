package dev.mallard.calcite;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.types.Variant;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import org.apache.calcite.runtime.rtti.RuntimeTypeInformation;
import org.apache.calcite.runtime.variant.VariantValue;

/**
 * A DuckLake VARIANT as SQL holds it (Calcite's VARIANT type): the engine's {@link Variant}, which
 * keeps the value's type, so that writing it copies it as it is. Its text ({@link #toString}, and
 * JDBC's getString and getObject) is DuckDB's; {@code v['a']} and {@code v[1]} (1-based) give the
 * field or element as a VARIANT, NULL where there is none; a cast to VARCHAR gives the text, to a
 * number, boolean or date the leaf's value converted, and fails on an object or array.
 */
public final class LakeVariant extends VariantValue {
  private final Variant variant;

  LakeVariant(Variant variant) {
    this.variant = variant;
  }

  /** SQL's value of a variant (NULL for a variant NULL, as DuckDB shows it). */
  static LakeVariant of(Variant variant) {
    return variant == null || variant.isVariantNull() ? null : new LakeVariant(variant);
  }

  Variant variant() {
    return variant;
  }

  /**
   * {@code variant_typeof(v)}: DuckDB's name of a variant's type ({@code INT32}, {@code OBJECT(a, b)},
   * {@code ARRAY(2)}); {@code VARIANT_NULL} for NULL, as in DuckDB.
   */
  public static String typeOf(Object v) {
    return v instanceof LakeVariant lake ? lake.getTypeString() : v == null ? "VARIANT_NULL"
        : v instanceof VariantValue other ? other.getTypeString() : "VARCHAR";
  }

  @Override
  public String getTypeString() {
    return Variant.typeName(variant.decode());
  }

  @Override
  public Object item(Object index) {
    if (variant.textOnly()) {
      variant.metadata(); // says why it cannot
    }
    Object model = variant.decode();
    Object found = null;
    if (index instanceof String key && model instanceof Map<?, ?> object) {
      found = object.get(key);
    } else if (index instanceof Number n && model instanceof List<?> array) {
      int i = n.intValue();
      found = i >= 1 && i <= array.size() ? array.get(i - 1) : null;
    }
    return found == null ? null : new LakeVariant(Variant.encode(found));
  }

  @Override
  public Object cast(RuntimeTypeInformation type) {
    if (type.getTypeName() == RuntimeTypeInformation.RuntimeSqlTypeName.VARCHAR) {
      return variant.text();
    }
    if (type.getTypeName() == RuntimeTypeInformation.RuntimeSqlTypeName.VARIANT) {
      return this;
    }
    Object model = variant.decode();
    if (!(model instanceof Variant.Leaf leaf)) {
      throw new UserException("Cannot cast a variant of type " + Variant.typeName(model) + " to " + type.getTypeString());
    }
    String text = Variant.leafText(leaf);
    try {
      return switch (type.getTypeName()) {
        case BOOLEAN -> switch (text.toLowerCase(java.util.Locale.ROOT)) {
          case "true" -> Boolean.TRUE;
          case "false" -> Boolean.FALSE;
          default -> throw new NumberFormatException(text);
        };
        case TINYINT -> whole(text).byteValueExact();
        case SMALLINT -> whole(text).shortValueExact();
        case INTEGER -> whole(text).intValueExact();
        case BIGINT -> whole(text).longValueExact();
        case DECIMAL -> new BigDecimal(text.trim());
        case REAL -> Float.parseFloat(text.trim());
        case DOUBLE -> Double.parseDouble(text.trim());
        case DATE -> (Integer) dev.mallard.engine.types.Values.parse(
            dev.mallard.engine.types.DuckLakeType.of(dev.mallard.engine.types.TypeKind.DATE), text.trim());
        default -> throw new UserException("Casting a variant to " + type.getTypeString() + " is not supported yet;"
            + " CAST it to VARCHAR");
      };
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UserException("Cannot cast the variant " + text + " (" + Variant.typeName(leaf) + ") to "
          + type.getTypeString());
    }
  }

  private static BigDecimal whole(String text) {
    return new BigDecimal(text.trim()).setScale(0, RoundingMode.HALF_UP);
  }

  @Override
  public String toString() {
    return variant.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LakeVariant v && v.variant.equals(variant);
  }

  @Override
  public int hashCode() {
    return variant.hashCode();
  }
}
