package dev.mallard.jdbc;

import java.sql.Array;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.List;
import java.util.Map;
import org.apache.calcite.rel.type.RelDataType;

/** A list value of a result: its elements (see {@link NestedValues}), and DuckDB's text as its string. */
final class MallardArray implements Array {
  private final List<Object> elements;
  private final RelDataType elementType;
  private final String text;

  MallardArray(List<Object> elements, RelDataType elementType, String text) {
    this.elements = elements;
    this.elementType = elementType;
    this.text = text;
  }

  @Override
  public String getBaseTypeName() {
    return elementType.getSqlTypeName().getName();
  }

  @Override
  public int getBaseType() {
    return elementType.getSqlTypeName().getJdbcOrdinal();
  }

  @Override
  public Object getArray() {
    return elements.toArray();
  }

  @Override
  public Object getArray(Map<String, Class<?>> map) {
    return getArray();
  }

  /** The {@code count} elements from the {@code index}-th, counted from 1. */
  @Override
  public Object getArray(long index, int count) throws SQLException {
    if (index < 1 || count < 0 || index - 1 + count > elements.size()) {
      throw new SQLException("Elements " + index + " to " + (index - 1 + count) + " are outside the list of "
          + elements.size());
    }
    return elements.subList((int) index - 1, (int) index - 1 + count).toArray();
  }

  @Override
  public Object getArray(long index, int count, Map<String, Class<?>> map) throws SQLException {
    return getArray(index, count);
  }

  @Override
  public ResultSet getResultSet() throws SQLException {
    throw unsupported();
  }

  @Override
  public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
    throw unsupported();
  }

  @Override
  public ResultSet getResultSet(long index, int count) throws SQLException {
    throw unsupported();
  }

  @Override
  public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
    throw unsupported();
  }

  private static SQLException unsupported() {
    return new SQLFeatureNotSupportedException("A list holding dates, times or timestamps is read with getArray(),"
        + " not as a result set");
  }

  @Override
  public void free() {}

  @Override
  public String toString() {
    return text;
  }
}
