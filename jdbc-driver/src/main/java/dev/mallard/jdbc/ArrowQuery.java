package dev.mallard.jdbc;

import dev.mallard.calcite.ArrowScan;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.runtime.Hook;

/**
 * Runs a query and hands its result over as Arrow record batches (see {@link Mallard#arrow}). A query
 * that is one table scan (its projection and filters pushed into the scan) streams the engine's own
 * Arrow batches; any other query runs through JDBC and its rows are written into batches at the top.
 */
final class ArrowQuery {
  /** Rows per batch when rows are converted. */
  static final int BATCH_ROWS = 4096;

  private ArrowQuery() {}

  static ArrowReader run(Connection connection, String sql, BufferAllocator allocator) throws SQLException {
    // The plan as optimized: planned afresh, since a plan from the connection's cache is not seen.
    AtomicReference<RelRoot> planned = new AtomicReference<>();
    PreparedStatement statement;
    try (Hook.Closeable ignored = Hook.PLAN_BEFORE_IMPLEMENTATION.addThread(planned::set)) {
      statement = StatementPrepare.planAfresh(() -> connection.prepareStatement(sql));
    }
    RelRoot root = planned.get();
    if (root != null && root.isRefTrivial() && root.collation.getFieldCollations().isEmpty()) {
      ArrowReader direct = ArrowScan.reader(root.rel, allocator);
      if (direct != null) {
        statement.close();
        return direct;
      }
    }
    try {
      return new RowsReader(allocator, statement, statement.executeQuery());
    } catch (SQLException | RuntimeException e) {
      statement.close();
      throw e;
    }
  }

  /** Writes a JDBC result's rows into Arrow batches. */
  private static final class RowsReader extends ArrowReader {
    private final PreparedStatement statement;
    private final ResultSet rows;
    private final ResultSetMetaData meta;

    RowsReader(BufferAllocator allocator, PreparedStatement statement, ResultSet rows) throws SQLException {
      super(allocator);
      this.statement = statement;
      this.rows = rows;
      this.meta = rows.getMetaData();
    }

    @Override
    protected Schema readSchema() {
      try {
        List<Field> fields = new ArrayList<>();
        for (int c = 1; c <= meta.getColumnCount(); c++) {
          fields.add(new Field(meta.getColumnLabel(c), FieldType.nullable(arrowType(meta, c)), null));
        }
        return new Schema(fields);
      } catch (SQLException e) {
        throw new IllegalStateException("Could not read the result's columns: " + e.getMessage(), e);
      }
    }

    /** The Arrow type of a result column, as the engine's {@code ArrowTypes} maps the same SQL type. */
    private static ArrowType arrowType(ResultSetMetaData meta, int c) throws SQLException {
      return switch (meta.getColumnType(c)) {
        case Types.BOOLEAN -> ArrowType.Bool.INSTANCE;
        case Types.TINYINT -> new ArrowType.Int(8, true);
        case Types.SMALLINT -> new ArrowType.Int(16, true);
        case Types.INTEGER -> new ArrowType.Int(32, true);
        case Types.BIGINT -> new ArrowType.Int(64, true);
        case Types.REAL, Types.FLOAT -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
        case Types.DOUBLE -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
        case Types.DECIMAL, Types.NUMERIC -> new ArrowType.Decimal(meta.getPrecision(c), meta.getScale(c), 128);
        case Types.DATE -> new ArrowType.Date(DateUnit.DAY);
        case Types.TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
        default -> ArrowType.Utf8.INSTANCE; // text, and every other type as its text
      };
    }

    @Override
    public boolean loadNextBatch() throws java.io.IOException {
      VectorSchemaRoot out = getVectorSchemaRoot();
      try {
        out.allocateNew();
        int n = 0;
        while (n < BATCH_ROWS && rows.next()) {
          for (int c = 0; c < out.getFieldVectors().size(); c++) {
            set(out.getVector(c), n, c + 1);
          }
          n++;
        }
        out.setRowCount(n);
        return n > 0;
      } catch (SQLException e) {
        throw new java.io.IOException("Reading the query's rows failed: " + e.getMessage(), e);
      }
    }

    private void set(FieldVector v, int row, int c) throws SQLException {
      Object value = rows.getObject(c);
      if (value == null) {
        v.setNull(row);
        return;
      }
      if (v instanceof BitVector b) {
        b.setSafe(row, rows.getBoolean(c) ? 1 : 0);
      } else if (v instanceof TinyIntVector t) {
        t.setSafe(row, rows.getByte(c));
      } else if (v instanceof SmallIntVector s) {
        s.setSafe(row, rows.getShort(c));
      } else if (v instanceof IntVector i) {
        i.setSafe(row, rows.getInt(c));
      } else if (v instanceof BigIntVector l) {
        l.setSafe(row, rows.getLong(c));
      } else if (v instanceof Float4Vector f) {
        f.setSafe(row, rows.getFloat(c));
      } else if (v instanceof Float8Vector d) {
        d.setSafe(row, rows.getDouble(c));
      } else if (v instanceof DecimalVector d) {
        BigDecimal x = rows.getBigDecimal(c).setScale(d.getScale());
        d.setSafe(row, x);
      } else if (v instanceof DateDayVector d) {
        d.setSafe(row, (int) rows.getDate(c).toLocalDate().toEpochDay());
      } else if (v instanceof TimeStampMicroVector t) {
        LocalDateTime time = rows.getTimestamp(c).toLocalDateTime();
        t.setSafe(row, ChronoUnit.MICROS.between(LocalDateTime.of(1970, 1, 1, 0, 0), time));
      } else {
        ((VarCharVector) v).setSafe(row, rows.getString(c).getBytes(StandardCharsets.UTF_8));
      }
    }

    @Override
    public long bytesRead() {
      return 0;
    }

    @Override
    protected void closeReadSource() {
      try {
        statement.close();
      } catch (SQLException e) {
        // closing a finished statement: nothing is lost
      }
    }
  }
}
