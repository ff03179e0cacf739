package dev.mallard.engine.expr;

import dev.mallard.engine.types.Values;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The engine's own small predicate tree. Calcite's and Spark's filters are translated into it; the
 * scan uses it to prune files and row groups and to filter rows. Literals are engine values of
 * their column's type (see {@link Values}), so comparisons need no casts. Evaluation follows SQL's
 * three-valued logic and DuckDB's ordering: NaN is the greatest double and equals itself; strings
 * compare by code point.
 */
public sealed interface Predicate {
  /**
   * Evaluates the predicate on one row.
   *
   * @param row the engine value of each column in the row (null for NULL)
   * @return TRUE, FALSE or null for unknown; a filter keeps a row only on TRUE
   */
  Boolean evaluate(Function<ColumnRef, Object> row);

  /** Adds the columns the predicate reads. */
  void collectColumns(Set<ColumnRef> out);

  /** The columns the predicate reads, by column id. */
  default Set<ColumnRef> columns() {
    Set<ColumnRef> out = new TreeSet<>((a, b) -> Long.compare(a.columnId(), b.columnId()));
    collectColumns(out);
    return out;
  }

  enum Op {
    EQ("="), NE("<>"), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    /** The operator with its operands swapped: {@code 5 < x} is {@code x > 5}. */
    public Op flip() {
      return switch (this) {
        case EQ, NE -> this;
        case LT -> GT;
        case LE -> GE;
        case GT -> LT;
        case GE -> LE;
      };
    }

    boolean test(int cmp) {
      return switch (this) {
        case EQ -> cmp == 0;
        case NE -> cmp != 0;
        case LT -> cmp < 0;
        case LE -> cmp <= 0;
        case GT -> cmp > 0;
        case GE -> cmp >= 0;
      };
    }
  }

  /** {@code column op value}, where value is not null. */
  record Comparison(ColumnRef column, Op op, Object value) implements Predicate {
    @Override
    public Boolean evaluate(Function<ColumnRef, Object> row) {
      return compare(row.apply(column), op, value);
    }

    @Override
    public void collectColumns(Set<ColumnRef> out) {
      out.add(column);
    }

    @Override
    public String toString() {
      return column + " " + op.symbol() + " " + Literals.format(column.type(), value);
    }
  }

  /** {@code column IN (values)}, where no value is null. */
  record In(ColumnRef column, List<Object> values) implements Predicate {
    public In {
      values = List.copyOf(values);
    }

    @Override
    public Boolean evaluate(Function<ColumnRef, Object> row) {
      Object v = row.apply(column);
      if (v == null) {
        return null;
      }
      for (Object candidate : values) {
        if (compare(v, Op.EQ, candidate)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public void collectColumns(Set<ColumnRef> out) {
      out.add(column);
    }

    @Override
    public String toString() {
      return column + " IN (" + values.stream().map(v -> Literals.format(column.type(), v))
          .collect(Collectors.joining(", ")) + ")";
    }
  }

  record IsNull(ColumnRef column) implements Predicate {
    @Override
    public Boolean evaluate(Function<ColumnRef, Object> row) {
      return row.apply(column) == null;
    }

    @Override
    public void collectColumns(Set<ColumnRef> out) {
      out.add(column);
    }

    @Override
    public String toString() {
      return column + " IS NULL";
    }
  }

  record And(List<Predicate> terms) implements Predicate {
    public And {
      terms = List.copyOf(terms);
    }

    @Override
    public Boolean evaluate(Function<ColumnRef, Object> row) {
      Boolean result = true;
      for (Predicate t : terms) {
        Boolean r = t.evaluate(row);
        if (Boolean.FALSE.equals(r)) {
          return false;
        }
        if (r == null) {
          result = null;
        }
      }
      return result;
    }

    @Override
    public void collectColumns(Set<ColumnRef> out) {
      terms.forEach(t -> t.collectColumns(out));
    }

    @Override
    public String toString() {
      return terms.stream().map(t -> "(" + t + ")").collect(Collectors.joining(" AND "));
    }
  }

  record Or(List<Predicate> terms) implements Predicate {
    public Or {
      terms = List.copyOf(terms);
    }

    @Override
    public Boolean evaluate(Function<ColumnRef, Object> row) {
      Boolean result = false;
      for (Predicate t : terms) {
        Boolean r = t.evaluate(row);
        if (Boolean.TRUE.equals(r)) {
          return true;
        }
        if (r == null) {
          result = null;
        }
      }
      return result;
    }

    @Override
    public void collectColumns(Set<ColumnRef> out) {
      terms.forEach(t -> t.collectColumns(out));
    }

    @Override
    public String toString() {
      return terms.stream().map(t -> "(" + t + ")").collect(Collectors.joining(" OR "));
    }
  }

  record Not(Predicate term) implements Predicate {
    @Override
    public Boolean evaluate(Function<ColumnRef, Object> row) {
      Boolean inner = term.evaluate(row);
      return inner == null ? null : !inner;
    }

    @Override
    public void collectColumns(Set<ColumnRef> out) {
      term.collectColumns(out);
    }

    @Override
    public String toString() {
      return term instanceof IsNull n ? n.column() + " IS NOT NULL" : "NOT (" + term + ")";
    }
  }

  /** SQL's three-valued comparison of a column value with a literal: null when the value is NULL. */
  static Boolean compare(Object columnValue, Op op, Object literal) {
    if (columnValue == null) {
      return null;
    }
    return op.test(Values.compare(columnValue, literal));
  }
}
