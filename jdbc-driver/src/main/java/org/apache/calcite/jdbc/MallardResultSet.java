package org.apache.calcite.jdbc;

import dev.mallard.jdbc.ExactTimeAccessor;
import dev.mallard.jdbc.ExactTimestampAccessor;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.TimeZone;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.ColumnMetaData;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.util.Cursor;

/**
 * Calcite's result set, with TIMESTAMP(6) and TIMESTAMP(9) columns read by
 * {@link ExactTimestampAccessor} and TIME(6) and TIME(9) by {@link ExactTimeAccessor}: their values are micro- and nanoseconds, which Avatica's own
 * accessors would take for milliseconds. In Calcite's package because Calcite's result set can
 * only be extended from there.
 */
public class MallardResultSet extends CalciteResultSet {
  public MallardResultSet(AvaticaStatement statement, CalcitePrepare.CalciteSignature<?> signature,
      ResultSetMetaData metaData, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
    super(statement, signature, metaData, timeZone, firstFrame);
  }

  /** A TIME(6) or TIME(9) value is a {@code LocalTime} ({@code java.sql.Time} holds milliseconds only). */
  @Override
  public Object getObject(int columnIndex) throws SQLException {
    ColumnMetaData column = columnMetaDataList.get(columnIndex - 1);
    if (column.type.id == Types.TIME && column.precision > 3) {
      return getObject(columnIndex, java.time.LocalTime.class);
    }
    return super.getObject(columnIndex);
  }

  @Override
  protected CalciteResultSet execute() throws SQLException {
    super.execute();
    List<Cursor.Accessor> accessors = new ArrayList<>(accessorList);
    for (int i = 0; i < accessors.size(); i++) {
      ColumnMetaData column = columnMetaDataList.get(i);
      if (column.type.id == Types.TIMESTAMP && column.precision > 3) {
        accessors.set(i, ExactTimestampAccessor.of(accessors.get(i), column.precision, localCalendar,
            statement.getConnection()));
      } else if (column.type.id == Types.TIME && column.precision > 3) {
        accessors.set(i, ExactTimeAccessor.of(accessors.get(i), column.precision, localCalendar,
            statement.getConnection()));
      }
    }
    accessorList = accessors;
    return this;
  }
}
