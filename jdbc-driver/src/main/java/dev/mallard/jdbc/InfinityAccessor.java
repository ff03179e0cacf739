package dev.mallard.jdbc;

import dev.mallard.engine.types.Values;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import org.apache.calcite.avatica.util.Cursor;

/**
 * Reads a DATE or a TIMESTAMP(3) column (or coarser), whose values are Calcite's int of days or long
 * of milliseconds: an infinite value ({@link Values#DATE_INFINITY} days or
 * {@link Values#TIMESTAMP_INFINITY}) is answered as {@link Infinities} says, any other by Avatica's
 * accessor, which reads it right.
 */
public final class InfinityAccessor implements InvocationHandler {
  private final Cursor.Accessor avatica;
  private final boolean date;

  private InfinityAccessor(Cursor.Accessor avatica, boolean date) {
    this.avatica = avatica;
    this.date = date;
  }

  /** Reads a DATE column ({@code date}) or a TIMESTAMP one of Calcite's milliseconds. */
  public static Cursor.Accessor of(Cursor.Accessor avatica, boolean date) {
    return (Cursor.Accessor) Proxy.newProxyInstance(InfinityAccessor.class.getClassLoader(),
        new Class<?>[] {Cursor.Accessor.class}, new InfinityAccessor(avatica, date));
  }

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
    String name = method.getName();
    if (name.startsWith("get") || name.equals("wasNull")) {
      long raw = avatica.getLong(); // the int of days or long of milliseconds itself
      boolean infinite = !avatica.wasNull()
          && (date ? Math.abs(raw) == Values.DATE_INFINITY : Values.isInfinite(raw));
      if (infinite) {
        return Infinities.answer(name, args, raw > 0, date);
      }
    }
    try {
      return method.invoke(avatica, args);
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
