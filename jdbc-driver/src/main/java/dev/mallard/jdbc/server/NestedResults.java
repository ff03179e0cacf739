package dev.mallard.jdbc.server;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Array;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.sql.Struct;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server's view of an embedded connection, so that Avatica's server can carry nested values.
 * Avatica 1.28's server reads a list column through {@link Array#getResultSet()} and then asks that
 * result set for a column it does not have ("invalid column ordinal: 2"); given an Array without a
 * result set it takes {@link Array#getArray()} as the list's elements. So arrays of results read
 * here have no result set, and their elements are plain lists (a list for a list inside), the form
 * Avatica's protocol carries. Structs and maps are refused with a message that says what to do.
 */
final class NestedResults {
  private NestedResults() {}

  static Connection connection(Connection connection) {
    return proxy(Connection.class, connection, (self, method, args) -> {
      Object result = invoke(connection, method, args);
      if (result instanceof Statement statement && !method.getName().equals("unwrap")) {
        return statement(statement, (Connection) self);
      }
      return result;
    });
  }

  private static Statement statement(Statement statement, Connection connection) {
    Class<? extends Statement> type = statement instanceof CallableStatement ? CallableStatement.class
        : statement instanceof PreparedStatement ? PreparedStatement.class : Statement.class;
    return proxy(type, statement, (self, method, args) -> {
      if (method.getName().equals("getConnection")) {
        return connection;
      }
      Object result = invoke(statement, method, args);
      if (result instanceof ResultSet rs && !method.getName().equals("unwrap")) {
        return resultSet(rs, (Statement) self);
      }
      return result;
    });
  }

  private static ResultSet resultSet(ResultSet rs, Statement statement) {
    return proxy(ResultSet.class, rs, (self, method, args) -> {
      String name = method.getName();
      if (name.equals("getStatement")) {
        return statement;
      }
      Object result = invoke(rs, method, args);
      if (result instanceof Array array && (name.equals("getArray") || name.equals("getObject"))) {
        return new ListArray(array.getBaseType(), array.getBaseTypeName(), elements(array));
      }
      if (result instanceof Struct || result instanceof Map<?, ?>) {
        throw notCarried(result);
      }
      return result;
    });
  }

  /** The value in the form Avatica's protocol carries: lists for arrays and structs, inside too. */
  private static Object plain(Object value) throws SQLException {
    if (value instanceof Array array) {
      return elements(array);
    }
    if (value instanceof Struct || value instanceof Map<?, ?>) {
      throw notCarried(value);
    }
    return value;
  }

  /**
   * Structs and maps, at the top or in a list: Avatica 1.28's server describes a struct column without
   * its fields (its client then fails to read it) and its protocol has no maps.
   */
  private static SQLException notCarried(Object value) {
    String what = value instanceof Struct ? "STRUCT" : "MAP";
    return new SQLException("The remote server (Avatica 1.28) cannot carry " + what + " values, at the top or"
        + " inside a list: select their parts instead (a struct's fields s.a, a map's entries m['k'], a list's"
        + " elements l[1]), or use the embedded driver");
  }

  private static List<Object> elements(Array array) throws SQLException {
    Object elements; // Object[], or a primitive array (int[]) of a list of numbers
    try {
      elements = array.getArray();
    } catch (RuntimeException e) {
      // Calcite's getArray() fails on a list of lists; its result set has the values in its last column.
      try (ResultSet rs = array.getResultSet()) {
        int valueColumn = rs.getMetaData().getColumnCount();
        List<Object> out = new ArrayList<>();
        while (rs.next()) {
          out.add(plain(rs.getObject(valueColumn)));
        }
        return out;
      }
    }
    int n = java.lang.reflect.Array.getLength(elements);
    List<Object> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(plain(java.lang.reflect.Array.get(elements, i)));
    }
    return out;
  }

  /** A list whose elements are given as a {@code List} and that has no result set (see the class comment). */
  private record ListArray(int baseType, String baseTypeName, List<Object> elements) implements Array {
    @Override
    public String getBaseTypeName() {
      return baseTypeName;
    }

    @Override
    public int getBaseType() {
      return baseType;
    }

    @Override
    public Object getArray() {
      return elements;
    }

    @Override
    public Object getArray(Map<String, Class<?>> map) {
      return elements;
    }

    @Override
    public Object getArray(long index, int count) {
      return elements.subList((int) index - 1, (int) index - 1 + count);
    }

    @Override
    public Object getArray(long index, int count, Map<String, Class<?>> map) {
      return getArray(index, count);
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
      throw new SQLFeatureNotSupportedException("read the elements with getArray()");
    }

    @Override
    public ResultSet getResultSet(Map<String, Class<?>> map) throws SQLException {
      return getResultSet();
    }

    @Override
    public ResultSet getResultSet(long index, int count) throws SQLException {
      return getResultSet();
    }

    @Override
    public ResultSet getResultSet(long index, int count, Map<String, Class<?>> map) throws SQLException {
      return getResultSet();
    }

    @Override
    public void free() {}
  }

  private interface Handler {
    Object handle(Object self, Method method, Object[] args) throws Throwable;
  }

  private static <T> T proxy(Class<T> type, Object target, Handler handler) {
    InvocationHandler h = (self, method, args) -> {
      if (method.getDeclaringClass() == Object.class) {
        return switch (method.getName()) {
          case "equals" -> self == args[0];
          case "hashCode" -> System.identityHashCode(self);
          default -> "Server view of " + target;
        };
      }
      return handler.handle(self, method, args);
    };
    return type.cast(Proxy.newProxyInstance(NestedResults.class.getClassLoader(), new Class<?>[] {type}, h));
  }

  private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
    try {
      return method.invoke(target, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
