package org.apache.calcite.jdbc;

import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Timestamp;
import java.time.LocalDateTime;
import java.util.Calendar;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.Meta;

/**
 * Calcite's prepared statement, refusing a timestamp parameter with digits below the millisecond:
 * Avatica hands parameters over in milliseconds and would drop them silently. In Calcite's package
 * because Calcite's statement can only be extended from there.
 */
public class MallardPreparedStatement extends CalcitePreparedStatement {
  public MallardPreparedStatement(AvaticaConnection connection, Meta.StatementHandle h, Meta.Signature signature,
      int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
    super((CalciteConnectionImpl) connection, h, signature, resultSetType, resultSetConcurrency,
        resultSetHoldability);
  }

  private static void checkMilliseconds(Object value) throws SQLException {
    int nanos = value instanceof Timestamp t ? t.getNanos() : value instanceof LocalDateTime l ? l.getNano() : 0;
    if (nanos % 1_000_000 != 0) {
      throw new SQLFeatureNotSupportedException("The timestamp parameter " + value + " has digits below the"
          + " millisecond, which JDBC parameters cannot carry yet. Pass it as text instead:"
          + " CAST(CAST(? AS VARCHAR) AS TIMESTAMP(6)) with setString(\"2025-01-02 03:04:05.123456\")");
    }
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x) throws SQLException {
    checkMilliseconds(x);
    super.setTimestamp(parameterIndex, x);
  }

  @Override
  public void setTimestamp(int parameterIndex, Timestamp x, Calendar calendar) throws SQLException {
    checkMilliseconds(x);
    super.setTimestamp(parameterIndex, x, calendar);
  }

  @Override
  public void setObject(int parameterIndex, Object x) throws SQLException {
    checkMilliseconds(x);
    super.setObject(parameterIndex, x);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType) throws SQLException {
    checkMilliseconds(x);
    super.setObject(parameterIndex, x, targetSqlType);
  }

  @Override
  public void setObject(int parameterIndex, Object x, int targetSqlType, int scaleOrLength) throws SQLException {
    checkMilliseconds(x);
    super.setObject(parameterIndex, x, targetSqlType, scaleOrLength);
  }
}
