package dev.mallard.engine.vector;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The scalar expressions of batch operators. Exact arithmetic never wraps: decimals that outgrow a
 * long continue as BigDecimals, integers out of their type's range fail as DuckDB does.
 */
public final class Exprs {
  private Exprs() {}

  public enum Cmp { EQ, NE, LT, LE, GT, GE }

  public enum Arith { ADD, SUB, MUL }

  static final long[] POWERS = new long[19];

  static {
    POWERS[0] = 1;
    for (int i = 1; i < POWERS.length; i++) {
      POWERS[i] = POWERS[i - 1] * 10;
    }
  }

  /** The input column {@code index}. */
  public static VectorExpr input(int index, VType type) {
    return new Input(index, type);
  }

  /** An input column, as it is. */
  record Input(int index, VType type) implements VectorExpr {
    @Override
    public Column eval(Chunk in) {
      return in.column(index);
    }
  }

  /** A constant: a Long (for DECIMAL the unscaled value), Double, String or BigDecimal, or null. */
  public static VectorExpr constant(Object value, VType type) {
    return new Constant(value, type);
  }

  /** See {@link #constant}: expressions over constants alone are computed once, when built. */
  private record Constant(Object value, VType type) implements VectorExpr {
    @Override
    public Column eval(Chunk in) {
      return Column.constant(value, type, in.size());
    }
  }

  /** Compares two operands of the same type (same kind, and the same scale for decimals). */
  public static VectorExpr compare(Cmp op, VectorExpr left, VectorExpr right) {
    if (!left.type().equals(right.type())) {
      throw new IllegalArgumentException("Comparing " + left.type() + " with " + right.type());
    }
    return booleanOf((in, out, nulls) -> {
      Column a = left.eval(in);
      Column b = right.eval(in);
      int n = in.size();
      if (a.longs != null && b.longs != null) {
        compareLongs(op, a.longs, b.longs, out, n);
      } else if (a.doubles != null) {
        for (int i = 0; i < n; i++) {
          // SQL's order of doubles: -0.0 equals 0.0, NaN equals itself and is above everything.
          double x = a.doubles[i];
          double y = b.doubles[i];
          out[i] = test(op, x == y ? 0 : Double.compare(x, y)) ? 1 : 0;
        }
      } else {
        int scale = left.type().scale();
        boolean decimal = left.type().kind() == VType.Kind.DECIMAL;
        for (int i = 0; i < n; i++) {
          if (a.isNull(i) || b.isNull(i)) {
            continue;
          }
          int c = decimal ? a.decimal(i, scale).compareTo(b.decimal(i, scale))
              : ((String) a.objects[i]).compareTo((String) b.objects[i]);
          out[i] = test(op, c) ? 1 : 0;
        }
      }
      orNulls(nulls, a, b, n);
    });
  }

  /** One loop per operator, with nothing to decide per row. */
  private static void compareLongs(Cmp op, long[] x, long[] y, long[] out, int n) {
    switch (op) {
      case EQ -> {
        for (int i = 0; i < n; i++) {
          out[i] = x[i] == y[i] ? 1 : 0;
        }
      }
      case NE -> {
        for (int i = 0; i < n; i++) {
          out[i] = x[i] != y[i] ? 1 : 0;
        }
      }
      case LT -> {
        for (int i = 0; i < n; i++) {
          out[i] = x[i] < y[i] ? 1 : 0;
        }
      }
      case LE -> {
        for (int i = 0; i < n; i++) {
          out[i] = x[i] <= y[i] ? 1 : 0;
        }
      }
      case GT -> {
        for (int i = 0; i < n; i++) {
          out[i] = x[i] > y[i] ? 1 : 0;
        }
      }
      case GE -> {
        for (int i = 0; i < n; i++) {
          out[i] = x[i] >= y[i] ? 1 : 0;
        }
      }
    }
  }

  private static boolean test(Cmp op, int c) {
    return switch (op) {
      case EQ -> c == 0;
      case NE -> c != 0;
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      case GE -> c >= 0;
    };
  }

  /** AND of booleans: false if any is false, else NULL if any is NULL, else true. */
  public static VectorExpr and(List<VectorExpr> operands) {
    return logic(operands, true);
  }

  /** OR of booleans: true if any is true, else NULL if any is NULL, else false. */
  public static VectorExpr or(List<VectorExpr> operands) {
    return logic(operands, false);
  }

  private static VectorExpr logic(List<VectorExpr> operands, boolean and) {
    long decisive = and ? 0 : 1;
    return booleanOf((in, out, nulls) -> {
      int n = in.size();
      java.util.Arrays.fill(out, 1 - decisive);
      boolean[] decided = new boolean[n];
      for (VectorExpr e : operands) {
        Column c = e.eval(in);
        long[] values = c.longs;
        boolean[] valueNulls = c.nulls; // a boolean: held as longs
        for (int i = 0; i < n; i++) {
          if (decided[i]) {
            continue;
          }
          if (valueNulls != null && valueNulls[i]) {
            nulls[i] = true;
          } else if (values[i] == decisive) {
            decided[i] = true;
            nulls[i] = false;
            out[i] = decisive;
          }
        }
      }
    });
  }

  public static VectorExpr not(VectorExpr operand) {
    return booleanOf((in, out, nulls) -> {
      Column c = operand.eval(in);
      for (int i = 0; i < in.size(); i++) {
        nulls[i] = c.isNull(i);
        out[i] = nulls[i] ? 0 : 1 - c.longs[i];
      }
    });
  }

  /** Whether each string of {@code operand} passes {@code test} (NULL for NULL), e.g. LIKE. */
  public static VectorExpr matches(VectorExpr operand, java.util.function.Predicate<String> test) {
    return booleanOf((in, out, nulls) -> {
      Column c = operand.eval(in);
      for (int i = 0; i < in.size(); i++) {
        nulls[i] = c.isNull(i);
        out[i] = !nulls[i] && test.test((String) c.objects[i]) ? 1 : 0;
      }
    });
  }

  /** {@code function} of each string of {@code operand} (NULL for NULL), e.g. SUBSTRING. */
  public static VectorExpr mapStrings(VectorExpr operand, java.util.function.UnaryOperator<String> function) {
    return of(VType.STRING, in -> {
      Column c = operand.eval(in);
      int n = in.size();
      Object[] out = new Object[n];
      for (int i = 0; i < n; i++) {
        if (!c.isNull(i)) {
          out[i] = function.apply((String) c.objects[i]);
        }
      }
      return Column.ofObjects(out, n);
    });
  }

  /** {@code function} of each value of a LONG {@code operand} (NULL for NULL), e.g. a date's year. */
  public static VectorExpr mapLongs(VectorExpr operand, java.util.function.LongUnaryOperator function) {
    return of(VType.LONG, in -> {
      Column c = operand.eval(in);
      int n = in.size();
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        if (!c.isNull(i)) {
          out[i] = function.applyAsLong(c.longs[i]);
        }
      }
      return Column.ofLongs(out, c.nulls, n);
    });
  }

  /** {@code operand IS NULL}, or {@code IS NOT NULL} when {@code negated}. */
  public static VectorExpr isNull(VectorExpr operand, boolean negated) {
    return booleanOf((in, out, nulls) -> {
      Column c = operand.eval(in);
      for (int i = 0; i < in.size(); i++) {
        out[i] = c.isNull(i) != negated ? 1 : 0;
      }
    });
  }

  /**
   * CASE WHEN conditions[0] THEN values[0] ... ELSE otherwise END; every value of {@code type}.
   * Every branch is computed for every row.
   */
  public static VectorExpr caseWhen(List<VectorExpr> conditions, List<VectorExpr> values, VectorExpr otherwise,
      VType type) {
    return of(type, in -> {
      int n = in.size();
      int[] branch = new int[n];
      java.util.Arrays.fill(branch, -1);
      for (int b = 0; b < conditions.size(); b++) {
        Column c = conditions.get(b).eval(in);
        for (int i = 0; i < n; i++) {
          if (branch[i] < 0 && !c.isNull(i) && c.longs[i] != 0) {
            branch[i] = b;
          }
        }
      }
      Column[] results = new Column[values.size() + 1];
      for (int b = 0; b < values.size(); b++) {
        results[b] = values.get(b).eval(in);
      }
      results[values.size()] = otherwise.eval(in);
      boolean objects = false;
      for (Column r : results) {
        objects |= r.objects != null;
      }
      boolean[] nulls = new boolean[n];
      if (objects) {
        Object[] out = new Object[n];
        for (int i = 0; i < n; i++) {
          Column r = results[branch[i] < 0 ? values.size() : branch[i]];
          out[i] = r.isNull(i) ? null : type.kind() == VType.Kind.DECIMAL ? r.decimal(i, type.scale()) : r.objects[i];
        }
        return Column.ofObjects(out, n);
      }
      if (type.kind() == VType.Kind.DOUBLE) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
          Column r = results[branch[i] < 0 ? values.size() : branch[i]];
          nulls[i] = r.isNull(i);
          out[i] = r.doubles[i];
        }
        return Column.ofDoubles(out, nulls, n);
      }
      long[] out = new long[n];
      for (int i = 0; i < n; i++) {
        Column r = results[branch[i] < 0 ? values.size() : branch[i]];
        nulls[i] = r.isNull(i);
        out[i] = r.longs[i];
      }
      return Column.ofLongs(out, nulls, n);
    });
  }

  /**
   * Arithmetic on two operands of {@code type}'s kind. DECIMAL: for ADD and SUB both operands at
   * the result's scale, for MUL scales that add up to it. LONG: results outside
   * [{@code min}, {@code max}] (the SQL type's range) fail.
   */
  public static VectorExpr arith(Arith op, VectorExpr left, VectorExpr right, VType type, long min, long max) {
    return of(type, in -> {
      Column a = left.eval(in);
      Column b = right.eval(in);
      int n = in.size();
      boolean[] nulls = orNulls(null, a, b, n);
      if (type.kind() == VType.Kind.DOUBLE) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
          double x = a.doubles[i];
          double y = b.doubles[i];
          out[i] = op == Arith.ADD ? x + y : op == Arith.SUB ? x - y : x * y;
        }
        return Column.ofDoubles(out, nulls, n);
      }
      if (a.longs != null && b.longs != null) {
        long[] out = new long[n];
        boolean[] overflows = exactLongs(op, a.longs, b.longs, out, n);
        if (overflows == null || !anyNonNull(overflows, nulls, n)) {
          if (type.kind() == VType.Kind.LONG) {
            checkRange(out, nulls, n, min, max);
          }
          return Column.ofLongs(out, nulls, n);
        }
        if (type.kind() == VType.Kind.LONG) {
          throw outOfRange();
        }
      }
      if (type.kind() == VType.Kind.LONG) {
        throw new IllegalStateException("Integers held as objects");
      }
      Object[] out = new Object[n];
      int sa = left.type().scale();
      int sb = right.type().scale();
      for (int i = 0; i < n; i++) {
        if (a.isNull(i) || b.isNull(i)) {
          continue;
        }
        BigDecimal x = a.decimal(i, sa);
        BigDecimal y = b.decimal(i, sb);
        out[i] = op == Arith.ADD ? x.add(y) : op == Arith.SUB ? x.subtract(y) : x.multiply(y);
      }
      return Column.ofObjects(out, n);
    });
  }

  /**
   * {@code out[i] = x[i] op y[i]} in longs, wrapping; then null if no result overflowed, else which
   * did. One loop per operation without a branch per row: the overflow tests are folded into one word.
   */
  private static boolean[] exactLongs(Arith op, long[] x, long[] y, long[] out, int n) {
    long overflow = 0; // its sign bit ends up set if some result overflowed
    switch (op) {
      case ADD -> {
        for (int i = 0; i < n; i++) {
          long r = x[i] + y[i];
          overflow |= (x[i] ^ r) & (y[i] ^ r);
          out[i] = r;
        }
      }
      case SUB -> {
        for (int i = 0; i < n; i++) {
          long r = x[i] - y[i];
          overflow |= (x[i] ^ y[i]) & (x[i] ^ r);
          out[i] = r;
        }
      }
      default -> {
        for (int i = 0; i < n; i++) {
          long r = x[i] * y[i];
          overflow |= Math.multiplyHigh(x[i], y[i]) ^ (r >> 63); // the high half is the low half's sign
          out[i] = r;
        }
        overflow = overflow == 0 ? 0 : -1;
      }
    }
    if (overflow >= 0) {
      return null;
    }
    boolean[] which = new boolean[n];
    for (int i = 0; i < n; i++) {
      long r = out[i];
      which[i] = switch (op) {
        case ADD -> ((x[i] ^ r) & (y[i] ^ r)) < 0;
        case SUB -> ((x[i] ^ y[i]) & (x[i] ^ r)) < 0;
        default -> Math.multiplyHigh(x[i], y[i]) != (r >> 63);
      };
    }
    return which;
  }

  /** Whether some row flagged in {@code flags} is not NULL (a NULL row's value is any payload). */
  private static boolean anyNonNull(boolean[] flags, boolean[] nulls, int n) {
    for (int i = 0; i < n; i++) {
      if (flags[i] && (nulls == null || !nulls[i])) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code -operand}. LONG: results outside [{@code min}, {@code max}] (the SQL type's range) fail;
   * a DECIMAL held as longs continues as BigDecimals where the negation does not fit.
   */
  public static VectorExpr negate(VectorExpr operand, long min, long max) {
    VType type = operand.type();
    return of(type, in -> {
      Column c = operand.eval(in);
      int n = in.size();
      if (c.doubles != null) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
          out[i] = -c.doubles[i];
        }
        return Column.ofDoubles(out, c.nulls, n);
      }
      if (c.longs != null) {
        long[] out = new long[n];
        boolean overflow = false;
        for (int i = 0; i < n; i++) {
          long v = c.longs[i];
          overflow |= v == Long.MIN_VALUE && !c.isNull(i);
          out[i] = -v;
        }
        if (type.kind() == VType.Kind.LONG) {
          if (overflow) {
            throw outOfRange();
          }
          checkRange(out, c.nulls, n, min, max);
          return Column.ofLongs(out, c.nulls, n);
        }
        if (!overflow) {
          return Column.ofLongs(out, c.nulls, n);
        }
      }
      Object[] out = new Object[n];
      for (int i = 0; i < n; i++) {
        if (!c.isNull(i)) {
          out[i] = c.decimal(i, type.scale()).negate();
        }
      }
      return Column.ofObjects(out, n);
    });
  }

  private static void checkRange(long[] values, boolean[] nulls, int n, long min, long max) {
    for (int i = 0; i < n; i++) {
      if ((values[i] < min || values[i] > max) && (nulls == null || !nulls[i])) {
        throw outOfRange();
      }
    }
  }

  private static ArithmeticException outOfRange() {
    return new ArithmeticException("Integer arithmetic out of the range of its type");
  }

  /** An exact value (integer or decimal) at another scale: up exactly, down rounding half away from zero. */
  public static VectorExpr rescale(VectorExpr operand, int toScale) {
    int from = operand.type().scale();
    VType type = VType.decimal(toScale);
    if (from == toScale && operand.type().kind() == VType.Kind.DECIMAL) {
      return operand;
    }
    if (operand instanceof Constant constant) {
      // TPC-H Q01's 1 - l_discount: the 1 at the discount's scale once, not once per row
      Column c = Column.constant(constant.value(), constant.type(), 1);
      BigDecimal d = c.isNull(0) ? null : c.decimal(0, from).setScale(toScale, RoundingMode.HALF_UP);
      return constant(d == null || d.unscaledValue().bitLength() >= 64 ? d : (Object) d.unscaledValue().longValue(),
          type);
    }
    return of(type, in -> {
      Column c = operand.eval(in);
      int n = in.size();
      if (c.longs != null && toScale >= from && toScale - from < POWERS.length) {
        long factor = POWERS[toScale - from];
        long[] values = c.longs;
        long[] out = new long[n];
        long overflow = 0;
        for (int i = 0; i < n; i++) {
          long r = values[i] * factor;
          overflow |= Math.multiplyHigh(values[i], factor) ^ (r >> 63); // as in exactLongs
          out[i] = r;
        }
        if (overflow == 0) {
          return Column.ofLongs(out, c.nulls, n);
        }
        // else on as BigDecimals (a NULL row's payload may be what overflowed: harmless there)
      }
      Object[] out = new Object[n];
      for (int i = 0; i < n; i++) {
        if (!c.isNull(i)) {
          out[i] = c.decimal(i, from).setScale(toScale, RoundingMode.HALF_UP);
        }
      }
      return Column.ofObjects(out, n);
    });
  }

  /** An integer or decimal as a double (correctly rounded). */
  public static VectorExpr toDouble(VectorExpr operand) {
    int scale = operand.type().scale();
    return of(VType.DOUBLE, in -> {
      Column c = operand.eval(in);
      int n = in.size();
      double[] out = new double[n];
      boolean[] nulls = null;
      if (c.longs != null) {
        for (int i = 0; i < n; i++) {
          long v = c.longs[i];
          // Both operands are exact doubles then, and IEEE division rounds correctly.
          out[i] = Math.abs(v) < (1L << 53) && scale <= 22 ? v / TENS[scale]
              : BigDecimal.valueOf(v, scale).doubleValue();
        }
        nulls = c.nulls;
      } else {
        nulls = new boolean[n];
        for (int i = 0; i < n; i++) {
          nulls[i] = c.isNull(i);
          out[i] = nulls[i] ? 0 : ((BigDecimal) c.objects[i]).doubleValue();
        }
      }
      return Column.ofDoubles(out, nulls, n);
    });
  }

  private static final double[] TENS = new double[23];

  static {
    TENS[0] = 1;
    for (int i = 1; i < TENS.length; i++) {
      TENS[i] = TENS[i - 1] * 10;
    }
  }

  /** Computes a boolean column: {@code out} values, {@code nulls} to mark NULLs. */
  private interface BooleanKernel {
    void compute(Chunk in, long[] out, boolean[] nulls);
  }

  private static VectorExpr booleanOf(BooleanKernel kernel) {
    return of(VType.LONG, in -> {
      long[] out = new long[in.size()];
      boolean[] nulls = new boolean[in.size()];
      kernel.compute(in, out, nulls);
      return Column.ofLongs(out, nulls, in.size());
    });
  }

  /** Marks in {@code nulls} (made if null) the rows where {@code a} or {@code b} is NULL. */
  private static boolean[] orNulls(boolean[] nulls, Column a, Column b, int n) {
    if (!a.hasNulls() && !b.hasNulls()) {
      return nulls;
    }
    boolean[] out = nulls != null ? nulls : new boolean[n];
    for (int i = 0; i < n; i++) {
      out[i] |= a.isNull(i) || b.isNull(i);
    }
    return out;
  }

  /** An expression of {@code type} computed by {@code eval}. */
  private static VectorExpr of(VType type, java.util.function.Function<Chunk, Column> eval) {
    return new VectorExpr() {
      @Override
      public VType type() {
        return type;
      }

      @Override
      public Column eval(Chunk in) {
        return eval.apply(in);
      }
    };
  }
}
