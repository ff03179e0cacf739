package dev.mallard.jdbc;

import dev.mallard.calcite.LakeContext;
import dev.mallard.calcite.LakeSchemas;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.jdbc.CalciteSchema;

/**
 * Calcite's Meta with JDBC transaction control routed to the connection's lake: auto-commit,
 * commit and rollback (Calcite's own refuses them), the lake's schemas refreshed before each
 * statement is prepared, and batches run as one transaction (one snapshot
 * instead of one per row; JDBC leaves that choice to the driver). Everything else goes to Calcite's.
 */
final class TransactionalMeta {
  private TransactionalMeta() {}

  /** @param root the connection's root schema (there once the connection is built), holding the lake's schemas */
  static Meta wrap(Meta calcite, LakeContext lake, Supplier<CalciteSchema> root) {
    return (Meta) Proxy.newProxyInstance(Meta.class.getClassLoader(), new Class<?>[] {Meta.class},
        (proxy, method, args) -> {
          switch (method.getName()) {
            case "prepare", "prepareAndExecute" -> {
              // Before Calcite takes its snapshot of the root schema for the statement: schemas
              // other writers created or dropped since the last statement.
              LakeSchemas.refresh(root.get());
            }
            case "commit" -> {
              lake.commit();
              return null;
            }
            case "rollback" -> {
              lake.rollback();
              return null;
            }
            case "executeBatch" -> {
              return lake.inOneTransaction(() -> invoke(calcite, method, args));
            }
            case "prepareAndExecuteBatch" -> {
              LakeSchemas.refresh(root.get());
              return lake.inOneTransaction(() -> invoke(calcite, method, args));
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
          return invoke(calcite, method, args);
        });
  }

  private static Object invoke(Meta calcite, Method method, Object[] args) throws Exception {
    try {
      return method.invoke(calcite, args);
    } catch (InvocationTargetException e) {
      if (e.getCause() instanceof Error error) {
        throw error; // an OutOfMemoryError or an assertion stays what it is
      }
      throw e.getCause() instanceof Exception cause ? cause : new RuntimeException(e.getCause());
    }
  }
}
