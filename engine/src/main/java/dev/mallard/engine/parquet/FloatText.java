package dev.mallard.engine.parquet;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * DuckDB's text for FLOAT and DOUBLE values ({@code CAST(x AS VARCHAR)}, and so the statistics the
 * ducklake extension records), which is fmt 6's {@code format("{}", x)} as bundled with DuckDB:
 *
 * <ul>
 *   <li>Digits: the shortest that read back as the value, the nearest of those (Grisu, with a
 *       bignum fallback). For a FLOAT, Grisu works with the float's own precision, but when it
 *       gives up, fmt's fallback ({@code fallback_format}, marked "TODO: handle float") uses the
 *       double's: DuckDB then prints the float's exact double digits, e.g. {@code 2988077.25} where
 *       {@code 2988077.2} would do. So the float path below is a port of fmt's Grisu, used only to
 *       learn whether fmt would fall back; both results read back as the same float.
 *   <li>Layout: fixed notation with at least one decimal for decimal exponents -4 to 15
 *       ({@code 0.0001}, {@code 16777216.0}), else scientific with a sign and at least two exponent
 *       digits ({@code 1e-05}, {@code 1e+16}); {@code inf}, {@code -inf}, {@code nan}, {@code -0.0}.
 * </ul>
 */
public final class FloatText {
  private static final long IMPLICIT_BIT = 1L << 52;
  private static final int FIRST_DEC_EXP = -348; // fmt's cached powers of ten: 10^-348, 10^-340, ... 10^340
  private static final int DEC_EXP_STEP = 8;
  private static final long[] POW10_SIGNIFICANDS = new long[87];
  private static final int[] POW10_EXPONENTS = new int[87];
  private static final long[] POWERS_OF_10 = new long[20];

  static {
    // 10^k as a 64-bit significand (rounded to nearest) and binary exponent: fmt's tables
    for (int i = 0; i < 87; i++) {
      int k = FIRST_DEC_EXP + i * DEC_EXP_STEP;
      BigInteger num = k >= 0 ? BigInteger.TEN.pow(k) : BigInteger.ONE;
      BigInteger den = k >= 0 ? BigInteger.ONE : BigInteger.TEN.pow(-k);
      int e = num.bitLength() - den.bitLength() - 64;
      BigInteger f;
      while (true) {
        BigInteger n = e >= 0 ? num : num.shiftLeft(-e);
        BigInteger d = e >= 0 ? den.shiftLeft(e) : den;
        BigInteger[] qr = n.divideAndRemainder(d);
        if (qr[0].bitLength() > 64) {
          e++;
        } else if (qr[0].bitLength() < 64) {
          e--;
        } else {
          f = qr[1].shiftLeft(1).compareTo(d) >= 0 ? qr[0].add(BigInteger.ONE) : qr[0];
          break;
        }
      }
      POW10_SIGNIFICANDS[i] = f.longValue();
      POW10_EXPONENTS[i] = e;
    }
    long p = 1;
    for (int i = 0; i < 20; i++) {
      POWERS_OF_10[i] = p; // 10^19 wraps to a negative long: used as unsigned, like fmt's uint64_t
      p *= 10;
    }
  }

  private FloatText() {}

  /** DuckDB's text of a double, or of a float (widened) when {@code single}. */
  public static String format(double value, boolean single) {
    if (Double.isNaN(value)) {
      return "nan";
    }
    String sign = Double.doubleToRawLongBits(value) < 0 ? "-" : "";
    if (Double.isInfinite(value)) {
      return sign + "inf";
    }
    if (value == 0) {
      return sign + "0.0";
    }
    double abs = Math.abs(value);
    Digits digits = single ? grisuFloat(abs) : null;
    if (digits == null) {
      digits = shortestDouble(abs);
    }
    return sign + prettify(digits.digits, digits.exp);
  }

  /** The number digits * 10^exp. */
  private record Digits(String digits, int exp) {}

  /** fmt's {@code float_writer::prettify} for "{}": general format, precision -1, trailing zeros kept. */
  private static String prettify(String digits, int exp) {
    int n = digits.length();
    int fullExp = n + exp; // 10^(fullExp-1) <= v < 10^fullExp
    StringBuilder sb = new StringBuilder();
    if (fullExp - 1 < -4 || fullExp - 1 >= 16) {
      sb.append(digits.charAt(0));
      if (n > 1) {
        sb.append('.').append(digits, 1, n);
      }
      int e = fullExp - 1;
      sb.append('e').append(e < 0 ? '-' : '+');
      e = Math.abs(e);
      if (e < 10) {
        sb.append('0');
      }
      return sb.append(e).toString();
    }
    if (n <= fullExp) {
      return sb.append(digits).append("0".repeat(fullExp - n)).append(".0").toString();
    }
    if (fullExp > 0) {
      return sb.append(digits, 0, fullExp).append('.').append(digits, fullExp, n).toString();
    }
    return sb.append("0.").append("0".repeat(-fullExp)).append(digits).toString();
  }

  /**
   * The shortest digits that read back as the double {@code value} (positive, finite), the nearest
   * when several of that length do: what Grisu gives when it succeeds and fmt's fallback otherwise.
   * Only the two neighbours of the exact value at each precision can be the nearest that reads back.
   */
  private static Digits shortestDouble(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
      boolean downOk = Double.parseDouble(down.toString()) == value;
      boolean upOk = Double.parseDouble(up.toString()) == value;
      BigDecimal pick = null;
      if (downOk && upOk) {
        int c = exact.subtract(down).compareTo(up.subtract(exact));
        pick = c < 0 || (c == 0 && !down.unscaledValue().testBit(0)) ? down : up;
      } else if (downOk) {
        pick = down;
      } else if (upOk) {
        pick = up;
      }
      if (pick != null) {
        BigDecimal d = pick.stripTrailingZeros();
        return new Digits(d.unscaledValue().toString(), -d.scale());
      }
    }
    throw new AssertionError("17 digits always read back: " + value);
  }

  // --- fmt 6's Grisu shortest for binary32 (format-inl.h: format_float, grisu_gen_digits) ---------

  /** A value f * 2^e with a 64-bit unsigned significand. */
  private record Fp(long f, int e) {}

  private static final int MORE = 0;
  private static final int DONE = 1;
  private static final int ERROR = 2;

  /** The shortest digits of a float by fmt's Grisu, or null where fmt falls back to the double path. */
  private static Digits grisuFloat(double value) {
    long bits = Double.doubleToRawLongBits(value);
    long f = bits & (IMPLICIT_BIT - 1);
    int biasedE = (int) (bits >>> 52) & 0x7ff;
    if (biasedE != 0) {
      f += IMPLICIT_BIT;
    } else {
      biasedE = 1;
    }
    int e = biasedE - 1023 - 52;
    // assign_float_with_boundaries: halfway to the neighbouring floats
    int minNormalE = -125 - 53;
    long halfUlp = 1L << (53 - 24 - 1);
    if (minNormalE > e) {
      halfUlp <<= minNormalE - e;
    }
    Fp upper = normalize(f + halfUlp, e);
    long lower = f - (halfUlp >> ((f == IMPLICIT_BIT && e > minNormalE) ? 1 : 0));
    lower <<= e - upper.e;
    Fp v = normalize(f, e);
    int[] cachedExp10 = new int[1];
    Fp cached = cachedPower(-60 - (v.e + 64), cachedExp10);
    v = new Fp(multiply(v.f, cached.f), v.e + cached.e + 64);
    lower = multiply(lower, cached.f) - 1;
    long upperF = multiply(upper.f, cached.f) + 1;
    ShortestHandler handler = new ShortestHandler(upperF - v.f);
    int[] exp = new int[1];
    if (genDigits(new Fp(upperF, v.e), upperF - lower, exp, handler) == ERROR) {
      return null;
    }
    return new Digits(handler.buf.toString(), exp[0] - cachedExp10[0]);
  }

  private static Fp normalize(long f, int e) {
    while ((f & IMPLICIT_BIT) == 0) {
      f <<= 1;
      e--;
    }
    return new Fp(f << 11, e - 11);
  }

  private static Fp cachedPower(int minExponent, int[] pow10Exponent) {
    long index = ((long) (minExponent + 63) * 0x4d104d42L + 0xffff_ffffL) >> 32; // ceil(e * log10(2))
    int i = (int) ((index - FIRST_DEC_EXP - 1) / DEC_EXP_STEP + 1);
    pow10Exponent[0] = FIRST_DEC_EXP + i * DEC_EXP_STEP;
    return new Fp(POW10_SIGNIFICANDS[i], POW10_EXPONENTS[i]);
  }

  /** lhs * rhs / 2^64, unsigned, rounded half up. */
  private static long multiply(long lhs, long rhs) {
    long high = Math.multiplyHigh(lhs, rhs) + ((lhs >> 63) & rhs) + ((rhs >> 63) & lhs);
    return (lhs * rhs) < 0 ? high + 1 : high;
  }

  private static int genDigits(Fp value, long error, int[] exp, ShortestHandler handler) {
    int shift = -value.e;
    long one = 1L << shift;
    long integral = value.f >>> shift; // below 2^32
    long fractional = value.f & (one - 1);
    exp[0] = countDigits(integral);
    int result;
    do {
      long divisor = POWERS_OF_10[exp[0] - 1];
      long digit = integral / divisor;
      integral %= divisor;
      exp[0]--;
      long remainder = (integral << shift) + fractional;
      result = handler.onDigit((char) ('0' + digit), POWERS_OF_10[exp[0]] << shift, remainder, error, exp[0], true);
      if (result != MORE) {
        return result;
      }
    } while (exp[0] > 0);
    while (true) {
      fractional *= 10;
      error *= 10;
      char digit = (char) ('0' + (fractional >>> shift));
      fractional &= one - 1;
      exp[0]--;
      result = handler.onDigit(digit, one, fractional, error, exp[0], false);
      if (result != MORE) {
        return result;
      }
    }
  }

  private static int countDigits(long n) {
    int digits = 1;
    while (n >= 10) {
      n /= 10;
      digits++;
    }
    return digits;
  }

  /** fmt's {@code grisu_shortest_handler}: Grisu3's round_weed, all arithmetic unsigned 64-bit. */
  private static final class ShortestHandler {
    final StringBuilder buf = new StringBuilder();
    /** Distance between the scaled value and the upper bound. */
    final long diff;

    ShortestHandler(long diff) {
      this.diff = diff;
    }

    int onDigit(char digit, long divisor, long remainder, long error, int exp, boolean integral) {
      buf.append(digit);
      if (uge(remainder, error)) {
        return MORE;
      }
      long unit = integral ? 1 : POWERS_OF_10[-exp];
      long up = (diff - 1) * unit;
      while (ult(remainder, up) && uge(error - remainder, divisor)
          && (ult(remainder + divisor, up) || uge(up - remainder, remainder + divisor - up))) {
        buf.setCharAt(buf.length() - 1, (char) (buf.charAt(buf.length() - 1) - 1));
        remainder += divisor;
      }
      long down = (diff + 1) * unit;
      if (ult(remainder, down) && uge(error - remainder, divisor)
          && (ult(remainder + divisor, down) || Long.compareUnsigned(down - remainder, remainder + divisor - down) > 0)) {
        return ERROR;
      }
      return uge(remainder, 2 * unit) && uge(error - 4 * unit, remainder) ? DONE : ERROR;
    }

    private static boolean ult(long a, long b) {
      return Long.compareUnsigned(a, b) < 0;
    }

    private static boolean uge(long a, long b) {
      return Long.compareUnsigned(a, b) >= 0;
    }
  }
}
