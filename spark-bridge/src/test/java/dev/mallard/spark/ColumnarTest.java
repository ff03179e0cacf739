package dev.mallard.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.catalog.ColumnInfo;
import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.types.ArrowTypes;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.Decimal256Vector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.spark.sql.types.Decimal;
import org.apache.spark.sql.vectorized.ArrowColumnVector;
import org.apache.spark.sql.vectorized.ColumnarBatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Engine batches as Spark columnar batches: zero-copy when every row is live, compacted otherwise. */
class ColumnarTest {
  private final BufferAllocator allocator = new RootAllocator();
  private final SparkColumns columns = new SparkColumns(new ColumnInfo[] {column(1, "i", TypeKind.INT32)}, allocator);

  @AfterEach
  void allMemoryIsReturned() {
    columns.release();
    allocator.close(); // fails if a vector was leaked
  }

  @Test
  void allLiveRowsAreHandedOverWithoutACopy() {
    try (Batch batch = batch(column(1, "i", TypeKind.INT32))) {
      IntVector v = (IntVector) batch.vector(0);
      for (int i = 0; i < 5; i++) {
        v.set(i, i * 10);
      }
      ColumnarBatch spark = columns.toColumnarBatch(batch, 5);
      assertThat(((ArrowColumnVector) spark.column(0)).getValueVector()).isSameAs(v);
      assertThat(spark.numRows()).isEqualTo(5);
      assertThat(spark.column(0).getInt(4)).isEqualTo(40);
    }
  }

  @Test
  void aPartialSelectionIsCompactedAndALimitCutsTheBatch() {
    try (Batch batch = batch(column(1, "i", TypeKind.INT32))) {
      IntVector v = (IntVector) batch.vector(0);
      for (int i = 0; i < 5; i++) {
        v.set(i, i * 10);
      }
      v.setNull(3);
      batch.retain(row -> row != 1);
      ColumnarBatch spark = columns.toColumnarBatch(batch, 3);
      assertThat(((ArrowColumnVector) spark.column(0)).getValueVector()).isNotSameAs(v);
      assertThat(spark.numRows()).isEqualTo(3);
      assertThat(spark.column(0).getInt(0)).isZero();
      assertThat(spark.column(0).getInt(1)).isEqualTo(20);
      assertThat(spark.column(0).isNullAt(2)).isTrue();
    }
  }

  @Test
  void nanosecondsBecomeMicrosecondsOnlyWhenExact() {
    ColumnInfo ns = column(2, "ns", TypeKind.TIMESTAMP_NS);
    SparkColumns converter = new SparkColumns(new ColumnInfo[] {ns}, allocator);
    try (Batch batch = batch(ns)) {
      ((TimeStampNanoVector) batch.vector(0)).set(0, 1_000_000_123_000L);
      ((TimeStampNanoVector) batch.vector(0)).setNull(1);
      ((TimeStampNanoVector) batch.vector(0)).set(2, -2_000L);
      batch.retain(row -> row < 3);
      ColumnarBatch spark = converter.toColumnarBatch(batch, 3);
      assertThat(spark.column(0).getLong(0)).isEqualTo(1_000_000_123L);
      assertThat(spark.column(0).isNullAt(1)).isTrue();
      assertThat(spark.column(0).getLong(2)).isEqualTo(-2L);
    } finally {
      converter.release();
    }
    try (Batch batch = batch(ns)) {
      ((TimeStampNanoVector) batch.vector(0)).set(4, 1L);
      assertThatThrownBy(() -> converter.toColumnarBatch(batch, 5)).hasMessageContaining("finer than the microseconds");
    } finally {
      converter.release();
    }
  }

  @Test
  void int128BecomesDecimal38AndFailsBeyondIt() {
    ColumnInfo big = column(3, "big", TypeKind.INT128);
    SparkColumns converter = new SparkColumns(new ColumnInfo[] {big}, allocator);
    try (Batch batch = batch(big)) {
      Decimal256Vector v = (Decimal256Vector) batch.vector(0);
      BigInteger max38 = BigInteger.TEN.pow(38).subtract(BigInteger.ONE);
      v.set(0, new BigDecimal(max38.negate()));
      v.set(1, new BigDecimal(max38));
      v.setNull(2);
      v.setNull(3);
      v.setNull(4);
      ColumnarBatch spark = converter.toColumnarBatch(batch, 5);
      assertThat(spark.column(0).getDecimal(1, 38, 0)).isEqualTo(Decimal.apply(new BigDecimal(max38)));
      assertThat(spark.column(0).getDecimal(0, 38, 0).toJavaBigDecimal()).isEqualByComparingTo(new BigDecimal(max38.negate()));
      converter.release();
      v.set(4, new BigDecimal(max38.add(BigInteger.ONE)));
      assertThatThrownBy(() -> converter.toColumnarBatch(batch, 5)).hasMessageContaining("DECIMAL(38,0)");
    } finally {
      converter.release();
    }
  }

  @Test
  void timesAreDuckDbText() {
    ColumnInfo tm = column(4, "tm", TypeKind.TIME);
    SparkColumns converter = new SparkColumns(new ColumnInfo[] {tm}, allocator);
    try (Batch batch = batch(tm)) {
      TimeMicroVector v = (TimeMicroVector) batch.vector(0);
      v.set(0, 45_296_123_456L);
      v.set(1, 86_400_000_000L);
      v.set(2, 0L);
      v.set(3, 1_000L);
      v.setNull(4);
      ColumnarBatch spark = converter.toColumnarBatch(batch, 5);
      assertThat(List.of(spark.column(0).getUTF8String(0).toString(), spark.column(0).getUTF8String(1).toString(),
          spark.column(0).getUTF8String(2).toString(), spark.column(0).getUTF8String(3).toString()))
          .containsExactly("12:34:56.123456", "24:00:00", "00:00:00", "00:00:00.001");
      assertThat(spark.column(0).isNullAt(4)).isTrue();
    } finally {
      converter.release();
    }
  }

  /** A batch of five rows of one column, all live. */
  private Batch batch(ColumnInfo column) {
    Schema schema = new Schema(List.of(ArrowTypes.field(column.name(), column.type(), true, List.of())));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema, allocator);
    for (FieldVector v : root.getFieldVectors()) {
      v.setInitialCapacity(5);
      v.allocateNew();
      v.setValueCount(5);
    }
    root.setRowCount(5);
    return new Batch(root, 0);
  }

  private static ColumnInfo column(long id, String name, TypeKind kind) {
    return new ColumnInfo(id, name, DuckLakeType.of(kind), true, null, null, List.of());
  }
}
