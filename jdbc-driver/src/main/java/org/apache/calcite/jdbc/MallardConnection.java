package org.apache.calcite.jdbc;

import dev.mallard.engine.MallardException;
import dev.mallard.jdbc.Errors;
import java.sql.SQLException;
import java.util.Properties;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.AvaticaFactory;

/**
 * Calcite's connection, whose {@code commit}, {@code rollback} and {@code setAutoCommit} fail with
 * an {@link SQLException} as JDBC says, not with the lake's own exception (a commit that conflicts
 * or that a failed statement aborted). In Calcite's package because Calcite's connection can only
 * be extended from there.
 */
public final class MallardConnection extends CalciteConnectionImpl {
  public MallardConnection(Driver driver, AvaticaFactory factory, String url, Properties info,
      JavaTypeFactory typeFactory) {
    super(driver, factory, url, info, null, typeFactory);
  }

  @Override
  public void commit() throws SQLException {
    try {
      super.commit();
    } catch (MallardException e) {
      throw Errors.toSqlException(e);
    }
  }

  @Override
  public void rollback() throws SQLException {
    try {
      super.rollback();
    } catch (MallardException e) {
      throw Errors.toSqlException(e);
    }
  }

  @Override
  public void setAutoCommit(boolean autoCommit) throws SQLException {
    try {
      super.setAutoCommit(autoCommit);
    } catch (MallardException e) {
      throw Errors.toSqlException(e);
    }
  }
}
