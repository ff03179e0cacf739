package dev.mallard.engine.exec;

import dev.mallard.engine.expr.ColumnRef;
import dev.mallard.engine.expr.Predicate;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * A scan filter bound to one batch's vectors: evaluates {@link Predicate}'s three-valued logic row
 * by row, reading integers, dates, timestamps, decimals of up to 18 digits, doubles and strings
 * straight from the Arrow buffers (no boxing, no BigDecimal per row). Whatever else a predicate
 * compares goes through {@link VectorValues} and {@link Predicate#compare}, the reference semantics
 * these fast paths must equal: DuckDB's order, NaN the greatest double and equal to itself, -0.0
 * equal to 0.0, strings by code point (the order of their UTF-8 bytes).
 */
abstract class VectorPredicate {
  static final int FALSE = 0;
  static final int TRUE = 1;
  static final int UNKNOWN = 2;

  /** TRUE, FALSE or UNKNOWN for a physical row. */
  abstract int eval(int row);

  /**
   * Moves the rows of {@code rows[0..n)} for which this is TRUE to the front, in order; returns
   * how many. Subclasses loop over the rows without a call per row where they can.
   */
  int keepTrue(int[] rows, int n) {
    int kept = 0;
    for (int i = 0; i < n; i++) {
      int row = rows[i];
      if (eval(row) == TRUE) {
        rows[kept++] = row;
      }
    }
    return kept;
  }

  /**
   * @param vectorIndex the vector of each column id in the batch
   */
  static VectorPredicate bind(Predicate p, List<FieldVector> vectors, Map<Long, Integer> vectorIndex) {
    if (p instanceof Predicate.And and) {
      return Connective.and(bindAll(and.terms(), vectors, vectorIndex));
    }
    if (p instanceof Predicate.Or or) {
      return Connective.or(bindAll(or.terms(), vectors, vectorIndex));
    }
    if (p instanceof Predicate.Not not) {
      return new Not(bind(not.term(), vectors, vectorIndex));
    }
    if (p instanceof Predicate.IsNull isNull) {
      FieldVector v = vectors.get(vectorIndex.get(isNull.column().columnId()));
      return new VectorPredicate() {
        @Override
        int eval(int row) {
          return v.isNull(row) ? TRUE : FALSE;
        }
      };
    }
    if (p instanceof Predicate.In in) {
      // x IN (a, b) is x = a OR x = b in three-valued logic too (the values are never null).
      List<VectorPredicate> equals = new ArrayList<>();
      for (Object value : in.values()) {
        equals.add(comparison(in.column(), Predicate.Op.EQ, value, vectors, vectorIndex));
      }
      return Connective.or(equals);
    }
    Predicate.Comparison c = (Predicate.Comparison) p;
    return comparison(c.column(), c.op(), c.value(), vectors, vectorIndex);
  }

  private static List<VectorPredicate> bindAll(List<Predicate> terms, List<FieldVector> vectors,
      Map<Long, Integer> vectorIndex) {
    List<VectorPredicate> out = new ArrayList<>(terms.size());
    for (Predicate t : terms) {
      out.add(bind(t, vectors, vectorIndex));
    }
    return out;
  }

  private static VectorPredicate comparison(ColumnRef column, Predicate.Op op, Object literal, List<FieldVector> vectors,
      Map<Long, Integer> vectorIndex) {
    FieldVector v = vectors.get(vectorIndex.get(column.columnId()));
    DuckLakeType type = column.type();
    Outcome outcome = new Outcome(op);
    int width = switch (type.kind()) {
      case INT8 -> 1;
      case INT16, UINT8 -> 2;
      case INT32, UINT16, DATE -> 4;
      case INT64, UINT32, TIME, TIME_NS, TIMESTAMP_S, TIMESTAMP_MS, TIMESTAMP, TIMESTAMP_NS, TIMESTAMPTZ,
          TIMESTAMPTZ_NS -> 8;
      default -> 0;
    };
    if (width > 0 && (literal instanceof Long || literal instanceof Integer)) {
      return new LongComparison(v, width, ((Number) literal).longValue(), outcome);
    }
    switch (type.kind()) {
      case DECIMAL -> {
        if (type.precision() <= 18 && literal instanceof BigDecimal d) {
          return decimalComparison(v, type.scale(), d, outcome);
        }
      }
      case FLOAT64, FLOAT32 -> {
        if (literal instanceof Double d) {
          return new DoubleComparison(v, type.kind() == TypeKind.FLOAT32, d, outcome);
        }
      }
      case VARCHAR -> {
        if (literal instanceof String s && s.equals(new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8))) {
          return new StringComparison((VarCharVector) v, s.getBytes(StandardCharsets.UTF_8), outcome);
        }
      }
      default -> { }
    }
    return new VectorPredicate() {
      @Override
      int eval(int row) {
        Boolean r = Predicate.compare(VectorValues.get(v, row, type), op, literal);
        return r == null ? UNKNOWN : r ? TRUE : FALSE;
      }
    };
  }

  /**
   * A decimal column of scale {@code scale} against a literal: against the literal at that scale
   * when it has no more digits; otherwise no value equals it, and a value is below it exactly when
   * it is at most the literal rounded down.
   */
  private static VectorPredicate decimalComparison(FieldVector v, int scale, BigDecimal literal, Outcome outcome) {
    BigDecimal floor = literal.setScale(scale, RoundingMode.FLOOR);
    if (floor.unscaledValue().bitLength() >= 64) {
      // Out of the column's range of 18 digits: every value compares the same way.
      int sign = literal.signum();
      int result = outcome.of(-sign);
      return new VectorPredicate() {
        @Override
        int eval(int row) {
          return v.isNull(row) ? UNKNOWN : result;
        }
      };
    }
    long bound = floor.unscaledValue().longValueExact();
    boolean exact = floor.compareTo(literal) == 0;
    if (exact) {
      return new LongComparison(v, 16, bound, outcome);
    }
    // value < literal when value <= floor, else value > literal.
    int below = outcome.of(-1);
    int above = outcome.of(1);
    ArrowBuf data = v.getDataBuffer();
    return new VectorPredicate() {
      @Override
      int eval(int row) {
        if (v.isNull(row)) {
          return UNKNOWN;
        }
        return data.getLong((long) row * 16) <= bound ? below : above;
      }
    };
  }

  /** What a comparison gives for each sign of (value compared with literal). */
  private static final class Outcome {
    final int less;
    final int equal;
    final int greater;

    Outcome(Predicate.Op op) {
      less = switch (op) {
        case LT, LE, NE -> TRUE;
        default -> FALSE;
      };
      equal = switch (op) {
        case EQ, LE, GE -> TRUE;
        default -> FALSE;
      };
      greater = switch (op) {
        case GT, GE, NE -> TRUE;
        default -> FALSE;
      };
    }

    int of(int cmp) {
      return cmp < 0 ? less : cmp == 0 ? equal : greater;
    }
  }

  /**
   * The value at {@code row} of a fixed-width vector's data at {@code address}: an integer of 1, 2, 4
   * or 8 bytes (little-endian, signed), or a decimal of up to 18 digits (16 bytes, whose low 8 hold
   * the whole value). Read from memory: ArrowBuf's getters check bounds and liveness on every call.
   */
  static long integerAt(long address, int width, int row) {
    long at = address + (long) row * width;
    return switch (width) {
      case 1 -> MemoryUtil.getByte(at);
      case 2 -> MemoryUtil.getShort(at);
      case 4 -> MemoryUtil.getInt(at);
      default -> MemoryUtil.getLong(at);
    };
  }

  /** Whether {@code row} is not NULL by the validity buffer at {@code validity}; 0 for a vector without NULLs. */
  static boolean isValid(long validity, int row) {
    return validity == 0 || (MemoryUtil.getByte(validity + (row >> 3)) >> (row & 7) & 1) != 0;
  }

  /**
   * A fixed-width integer (1, 2, 4 or 8 bytes, little-endian, signed) or a decimal of up to 18
   * digits (16 bytes, whose low 8 hold the whole value) against a long.
   */
  private static final class LongComparison extends VectorPredicate {
    private final FieldVector vector;
    private final ArrowBuf data;
    private final int width;
    private final long literal;
    private final Outcome outcome;

    LongComparison(FieldVector vector, int width, long literal, Outcome outcome) {
      this.vector = vector;
      this.data = vector.getDataBuffer();
      this.width = width;
      this.literal = literal;
      this.outcome = outcome;
    }

    @Override
    int keepTrue(int[] rows, int n) {
      // Straight from the buffers' memory (the rows are the batch's own): ArrowBuf's getters check
      // bounds and liveness on every call, which cost more than the comparison.
      long validity = vector.getNullCount() > 0 ? vector.getValidityBuffer().memoryAddress() : 0;
      long address = data.memoryAddress();
      boolean equal = outcome.equal == TRUE;
      if (outcome.less == outcome.greater) { // = or <>: no range test
        int kept = 0;
        for (int i = 0; i < n; i++) {
          int row = rows[i];
          rows[kept] = row;
          kept += (integerAt(address, width, row) == literal) == equal && isValid(validity, row) ? 1 : 0;
        }
        return kept;
      }
      // The kept values are one range [low, high]: a value is in it when value - low, unsigned, is at
      // most high - low. One comparison, and no branch on the outcome (a filter that keeps about half
      // the rows would mispredict one per row).
      boolean less = outcome.less == TRUE;
      if (!equal && literal == (less ? Long.MIN_VALUE : Long.MAX_VALUE)) {
        return 0;
      }
      long low = less ? Long.MIN_VALUE : equal ? literal : literal + 1;
      long high = !less ? Long.MAX_VALUE : equal ? literal : literal - 1;
      long biasedSpan = high - low + Long.MIN_VALUE;
      long shift = Long.MIN_VALUE - low;
      int kept = 0;
      if (validity == 0 && width == 4) {
        for (int i = 0; i < n; i++) {
          int row = rows[i];
          rows[kept] = row;
          kept += MemoryUtil.getInt(address + 4L * row) + shift <= biasedSpan ? 1 : 0;
        }
        return kept;
      }
      if (validity == 0 && width >= 8) { // a long, or a decimal's low 8 bytes
        for (int i = 0; i < n; i++) {
          int row = rows[i];
          rows[kept] = row;
          kept += MemoryUtil.getLong(address + (long) width * row) + shift <= biasedSpan ? 1 : 0;
        }
        return kept;
      }
      for (int i = 0; i < n; i++) {
        int row = rows[i];
        rows[kept] = row;
        kept += integerAt(address, width, row) + shift <= biasedSpan && isValid(validity, row) ? 1 : 0;
      }
      return kept;
    }

    @Override
    int eval(int row) {
      if (vector.isNull(row)) {
        return UNKNOWN;
      }
      long at = (long) row * width;
      long value = switch (width) {
        case 1 -> data.getByte(at);
        case 2 -> data.getShort(at);
        case 4 -> data.getInt(at);
        default -> data.getLong(at);
      };
      return outcome.of(Long.compare(value, literal));
    }
  }

  private static final class DoubleComparison extends VectorPredicate {
    private final FieldVector vector;
    private final ArrowBuf data;
    private final boolean single;
    private final double literal;
    private final Outcome outcome;

    DoubleComparison(FieldVector vector, boolean single, double literal, Outcome outcome) {
      this.vector = vector;
      this.data = vector.getDataBuffer();
      this.single = single;
      this.literal = literal;
      this.outcome = outcome;
    }

    @Override
    int eval(int row) {
      if (vector.isNull(row)) {
        return UNKNOWN;
      }
      double value = single ? data.getFloat((long) row * 4) : data.getDouble((long) row * 8);
      // As Values.compare: -0.0 equals 0.0; NaN equals NaN and is above everything.
      return outcome.of(value == literal ? 0 : Double.compare(value, literal));
    }
  }

  /** UTF-8 bytes compared unsigned, which orders strings by code point. */
  private static final class StringComparison extends VectorPredicate {
    private final VarCharVector vector;
    /** The buffers' memory, read directly (see {@link LongComparison#keepTrue}). */
    private final long offsets;
    private final long data;
    private final byte[] literal;
    /** The literal's whole 8-byte words, little-endian as ArrowBuf reads them. */
    private final long[] literalWords;
    private final Outcome outcome;

    StringComparison(VarCharVector vector, byte[] literal, Outcome outcome) {
      this.vector = vector;
      this.offsets = vector.getOffsetBuffer().memoryAddress();
      this.data = vector.getDataBuffer().memoryAddress();
      this.literal = literal;
      this.outcome = outcome;
      this.literalWords = new long[literal.length / 8];
      ByteBuffer words = ByteBuffer.wrap(literal).order(ByteOrder.LITTLE_ENDIAN);
      for (int w = 0; w < literalWords.length; w++) {
        literalWords[w] = words.getLong(w * 8);
      }
    }

    @Override
    int keepTrue(int[] rows, int n) {
      boolean nulls = vector.getNullCount() > 0;
      int kept = 0;
      for (int i = 0; i < n; i++) {
        int row = rows[i];
        if ((!nulls || !vector.isNull(row)) && compare(row) == TRUE) {
          rows[kept++] = row;
        }
      }
      return kept;
    }

    @Override
    int eval(int row) {
      if (vector.isNull(row)) {
        return UNKNOWN;
      }
      return compare(row);
    }

    /** The outcome for a row's bytes, NULL or not. */
    private int compare(int row) {
      int start = MemoryUtil.getInt(offsets + (long) row * 4);
      int length = MemoryUtil.getInt(offsets + (long) row * 4 + 4) - start;
      if (outcome.less == outcome.greater && length != literal.length) {
        return outcome.less; // = and <>: a different length decides
      }
      int n = Math.min(length, literal.length);
      int i = 0;
      // Eight bytes at a time; where two words differ, their first differing byte decides.
      for (; i + 8 <= n; i += 8) {
        long a = MemoryUtil.getLong(data + start + i);
        long b = literalWords[i >> 3];
        if (a != b) {
          int shift = Long.numberOfTrailingZeros(a ^ b) & ~7;
          return outcome.of((int) ((a >>> shift) & 0xff) - (int) ((b >>> shift) & 0xff));
        }
      }
      for (; i < n; i++) {
        int a = MemoryUtil.getByte(data + start + i) & 0xff;
        int b = literal[i] & 0xff;
        if (a != b) {
          return outcome.of(a - b);
        }
      }
      return outcome.of(Integer.compare(length, literal.length));
    }
  }

  /** AND (FALSE decides) or OR (TRUE decides), with SQL's three-valued logic. */
  private static final class Connective extends VectorPredicate {
    private final VectorPredicate[] terms;
    private final int decisive;

    private Connective(List<VectorPredicate> terms, int decisive) {
      this.terms = terms.toArray(new VectorPredicate[0]);
      this.decisive = decisive;
    }

    static Connective and(List<VectorPredicate> terms) {
      return new Connective(terms, FALSE);
    }

    static Connective or(List<VectorPredicate> terms) {
      return new Connective(terms, TRUE);
    }

    @Override
    int keepTrue(int[] rows, int n) {
      if (decisive == FALSE) { // AND is TRUE where every term is
        for (VectorPredicate t : terms) {
          n = t.keepTrue(rows, n);
        }
        return n;
      }
      // OR is TRUE where some term is: each term tests only the rows no term before found TRUE.
      boolean[] isTrue = new boolean[n];
      int[] pending = new int[n]; // indexes in rows
      for (int i = 0; i < n; i++) {
        pending[i] = i;
      }
      int pendingCount = n;
      int[] probe = new int[n];
      for (VectorPredicate t : terms) {
        for (int j = 0; j < pendingCount; j++) {
          probe[j] = rows[pending[j]];
        }
        int trueCount = t.keepTrue(probe, pendingCount); // in order, so a walk matches them up
        int next = 0;
        int rest = 0;
        for (int j = 0; j < pendingCount; j++) {
          int at = pending[j];
          if (next < trueCount && rows[at] == probe[next]) {
            isTrue[at] = true;
            next++;
          } else {
            pending[rest++] = at;
          }
        }
        pendingCount = rest;
      }
      int kept = 0;
      for (int i = 0; i < n; i++) {
        if (isTrue[i]) {
          rows[kept++] = rows[i];
        }
      }
      return kept;
    }

    @Override
    int eval(int row) {
      int result = TRUE - decisive;
      for (VectorPredicate t : terms) {
        int r = t.eval(row);
        if (r == decisive) {
          return decisive;
        }
        if (r == UNKNOWN) {
          result = UNKNOWN;
        }
      }
      return result;
    }
  }

  private static final class Not extends VectorPredicate {
    private final VectorPredicate term;

    Not(VectorPredicate term) {
      this.term = term;
    }

    @Override
    int eval(int row) {
      int r = term.eval(row);
      return r == UNKNOWN ? UNKNOWN : TRUE - r;
    }
  }
}
