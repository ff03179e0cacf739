package org.apache.calcite.jdbc;

import dev.mallard.jdbc.ExactTimeAccessor;
import dev.mallard.jdbc.ExactTimestampAccessor;
import dev.mallard.jdbc.InfinityAccessor;
import dev.mallard.jdbc.NestedAccessor;
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
import org.apache.calcite.rel.type.RelDataType;

/**
 * Calcite's result set, with TIMESTAMP(6) and TIMESTAMP(9) columns read by
 * {@link ExactTimestampAccessor} and TIME(6) and TIME(9) by {@link ExactTimeAccessor}: their values are micro- and nanoseconds, which Avatica's own
 * accessors would take for milliseconds. Struct, list and map columns with times inside are read by
 * {@link NestedAccessor} for the same reason; other DATE and TIMESTAMP columns by
 * {@link InfinityAccessor}, for DuckDB's infinities. In Calcite's package because Calcite's result set can
 * only be extended from there.
 */
public class MallardResultSet extends CalciteResultSet {
  /** The result's SQL types, which tell the unit of the times and timestamps inside nested values. */
  private final RelDataType rowType;

  public MallardResultSet(AvaticaStatement statement, CalcitePrepare.CalciteSignature<?> signature,
      ResultSetMetaData metaData, TimeZone timeZone, Meta.Frame firstFrame) throws SQLException {
    super(statement, signature, metaData, timeZone, firstFrame);
    this.rowType = signature.rowType;
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
    List<Cursor.Accessor> raw = null;
    for (int i = 0; i < accessors.size(); i++) {
      ColumnMetaData column = columnMetaDataList.get(i);
      RelDataType type = rowType == null || rowType.getFieldCount() != accessors.size() ? null
          : rowType.getFieldList().get(i).getType();
      if (type != null && type.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.VARIANT) {
        accessors.set(i, dev.mallard.jdbc.VariantAccessor.of(accessors.get(i)));
      } else if (column.type.id == Types.TIMESTAMP && column.precision > 3) {
        accessors.set(i, ExactTimestampAccessor.of(accessors.get(i), column.precision, localCalendar,
            statement.getConnection()));
      } else if (column.type.id == Types.TIME && column.precision > 3) {
        accessors.set(i, ExactTimeAccessor.of(accessors.get(i), column.precision, localCalendar,
            statement.getConnection()));
      } else if ((column.type.id == Types.TIMESTAMP || column.type.id == Types.DATE) && numeric(column)) {
        accessors.set(i, InfinityAccessor.of(accessors.get(i), column.type.id == Types.DATE));
      } else if (type != null && NestedAccessor.reads(type)) {
        if (raw == null) {
          raw = cursor.createAccessors(asObjects(), localCalendar, this);
        }
        accessors.set(i, NestedAccessor.of(raw.get(i), type, column, localCalendar, this, statement.getConnection()));
      }
    }
    accessorList = accessors;
    return this;
  }

  /** Whether the column's values are numbers (days, milliseconds), as in Calcite's plans. */
  private static boolean numeric(ColumnMetaData column) {
    return switch (column.type.rep) {
      case PRIMITIVE_INT, INTEGER, PRIMITIVE_LONG, LONG, NUMBER -> true;
      default -> false;
    };
  }

  /** The columns, each as a Java object: accessors of them hand out values as the plan made them. */
  private List<ColumnMetaData> asObjects() {
    ColumnMetaData.AvaticaType object = ColumnMetaData.scalar(Types.JAVA_OBJECT, "OBJECT", ColumnMetaData.Rep.OBJECT);
    List<ColumnMetaData> columns = new ArrayList<>();
    for (int i = 0; i < columnMetaDataList.size(); i++) {
      columns.add(ColumnMetaData.dummy(object, true));
    }
    return columns;
  }
}
