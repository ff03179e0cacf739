package dev.mallard.jdbc;

import dev.mallard.calcite.LakeContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import org.apache.calcite.avatica.Meta;

/**
 * Calcite's Meta with JDBC transaction control routed to the connection's lake: auto-commit,
 * commit and rollback (Calcite's own refuses them). Everything else goes to Calcite's.
 */
final class TransactionalMeta {
  private TransactionalMeta() {}

  static Meta wrap(Meta calcite, LakeContext lake) {
    return (Meta) Proxy.newProxyInstance(Meta.class.getClassLoader(), new Class<?>[] {Meta.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "commit" -> {
              lake.commit();
              return null;
            }
            case "rollback" -> {
              lake.rollback();
              return null;
            }
            case "connectionSync" -> {
              Meta.ConnectionProperties props = (Meta.ConnectionProperties) args[1];
              if (props.isAutoCommit() != null) {
                lake.setAutoCommit(props.isAutoCommit());
              }
            }
            default -> {
            }
          }
          try {
            return method.invoke(calcite, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
