package dev.mallard.jdbc;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.calcite.avatica.util.Cursor;
import org.apache.calcite.runtime.variant.VariantValue;

/**
 * Reads a VARIANT column: {@code getObject} and {@code getString} give DuckDB's text of the value
 * (a variant's {@code toString}, see the adapter's {@code LakeVariant}), as DuckDB's own clients
 * show it; the other getters are Avatica's.
 */
public final class VariantAccessor implements InvocationHandler {
  private final Cursor.Accessor avatica;

  private VariantAccessor(Cursor.Accessor avatica) {
    this.avatica = avatica;
  }

  public static Cursor.Accessor of(Cursor.Accessor avatica) {
    return (Cursor.Accessor) Proxy.newProxyInstance(VariantAccessor.class.getClassLoader(),
        new Class<?>[] {Cursor.Accessor.class}, new VariantAccessor(avatica));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if ((name.equals("getObject") && (args == null || args.length == 0 || args[0] instanceof java.util.Map))
        || name.equals("getString")) {
      Object value = avatica.getObject();
      return value instanceof VariantValue v ? v.toString() : value == null ? null : value.toString();
    }
    try {
      return method.invoke(avatica, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
