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

  /** {@code variant_extract(v, key)}: {@code v['a']} or {@code v[1]} as a function, as in DuckDB. */
  static final org.apache.calcite.schema.Function EXTRACT = new Extract();

  private static final class Extract implements org.apache.calcite.schema.ScalarFunction,
      org.apache.calcite.schema.ImplementableFunction {
    @Override
    public org.apache.calcite.rel.type.RelDataType getReturnType(org.apache.calcite.rel.type.RelDataTypeFactory f) {
      return f.createTypeWithNullability(f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARIANT), true);
    }

    @Override
    public List<org.apache.calcite.schema.FunctionParameter> getParameters() {
      return List.of(parameter(0, "v"), parameter(1, "key"));
    }

    private static org.apache.calcite.schema.FunctionParameter parameter(int ordinal, String name) {
      return new org.apache.calcite.schema.FunctionParameter() {
        @Override
        public int getOrdinal() {
          return ordinal;
        }

        @Override
        public String getName() {
          return name;
        }

        @Override
        public org.apache.calcite.rel.type.RelDataType getType(org.apache.calcite.rel.type.RelDataTypeFactory f) {
          return f.createSqlType(org.apache.calcite.sql.type.SqlTypeName.ANY);
        }

        @Override
        public boolean isOptional() {
          return false;
        }
      };
    }

    @Override
    public org.apache.calcite.adapter.enumerable.CallImplementor getImplementor() {
      return org.apache.calcite.adapter.enumerable.RexImpTable.createImplementor((translator, call, operands) ->
          org.apache.calcite.linq4j.tree.Expressions.call(LakeVariant.class, "extract",
              org.apache.calcite.adapter.enumerable.EnumUtils.convert(operands.get(0), Object.class),
              org.apache.calcite.adapter.enumerable.EnumUtils.convert(operands.get(1), Object.class)),
          org.apache.calcite.adapter.enumerable.NullPolicy.ANY, false);
    }
  }

  /** Called by generated code (see {@link #EXTRACT}). */
  public static Object extract(Object v, Object key) {
    return v instanceof VariantValue variant ? variant.item(key) : null;
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
    Object model = variant.decode(); // fails, saying why, for a variant known by its text only
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
        case TINYINT -> whole(leaf, text).byteValueExact();
        case SMALLINT -> whole(leaf, text).shortValueExact();
        case INTEGER -> whole(leaf, text).intValueExact();
        case BIGINT -> whole(leaf, text).longValueExact();
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

  /**
   * A leaf as a whole number, as DuckDB casts it: a boolean as 1 or 0, a float or double rounded half
   * to even, a decimal half away from zero, text only when it is a whole number.
   */
  private static BigDecimal whole(Variant.Leaf leaf, String text) {
    if (Variant.typeId(leaf) == 1 || Variant.typeId(leaf) == 2) {
      return Variant.typeId(leaf) == 1 ? BigDecimal.ONE : BigDecimal.ZERO;
    }
    BigDecimal d = new BigDecimal(text.trim());
    return switch (Variant.typeId(leaf)) {
      case 7, 14 -> d.setScale(0, RoundingMode.HALF_EVEN);
      case 8, 9, 10 -> d.setScale(0, RoundingMode.HALF_UP);
      default -> d.setScale(0, RoundingMode.UNNECESSARY);
    };
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
