package dev.mallard.engine.parquet;

import dev.mallard.engine.exec.Batch;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.types.ArrowTypes;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import dev.mallard.testing.DuckDb;
import java.util.HexFormat;
import java.util.stream.Collectors;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;

/** Batches of engine values for the writer tests. */
final class WriterTestSupport {
  private WriterTestSupport() {}

  /** A batch holding {@code rows} (engine values, one list per row) in vectors typed for {@code columns}. */
  static Batch batch(BufferAllocator allocator, List<WriteColumn> columns, List<List<Object>> rows) {
    List<FieldVector> vectors = new ArrayList<>();
    for (WriteColumn c : columns) {
      FieldVector v = ArrowTypes.field(c.name(), c.type(), true, null).createVector(allocator);
      v.setInitialCapacity(rows.size());
      v.allocateNew();
      for (int r = 0; r < rows.size(); r++) {
        VectorValues.set(v, r, c.type(), rows.get(r).get(vectors.size()));
      }
      v.setValueCount(rows.size());
      vectors.add(v);
    }
    VectorSchemaRoot root = new VectorSchemaRoot(vectors);
    root.setRowCount(rows.size());
    return new Batch(root, -1);
  }

  /** A VALUES list {@code (v, i)} of the literals, then a NULL. */
  static String values(List<String> literals) {
    List<String> rows = new ArrayList<>();
    for (int i = 0; i < literals.size(); i++) {
      rows.add("('" + literals.get(i).replace("'", "''").replace("\u0000", "' || chr(0) || '") + "', " + i + ")");
    }
    rows.add("(NULL, " + literals.size() + ")");
    return "(VALUES " + String.join(", ", rows) + ") t(v, i)";
  }

  /** DuckDB's text for an expression; blobs as hex. */
  static String text(DuckLakeType type, String expression) {
    return type.kind() == TypeKind.BLOB ? "hex(" + expression + ")" : "CAST(" + expression + " AS VARCHAR)";
  }

  /** DuckDB's texts parsed into engine values. */
  static List<Object> engineValues(DuckDb db, DuckLakeType type, String sql) {
    List<Object> values = new ArrayList<>();
    for (List<Object> row : db.query(sql).rows()) {
      String s = (String) row.get(0);
      if (s == null) {
        values.add(null);
      } else if (type.kind() == TypeKind.BLOB) {
        values.add(HexFormat.of().parseHex(s));
      } else if (type.kind() == TypeKind.FLOAT32) {
        values.add((double) (float) (double) Values.parse(type, s));
      } else {
        values.add(Values.parse(type, s));
      }
    }
    return values;
  }

  /** Blobs as hex so that lists compare by content. */
  static List<Object> normalized(List<Object> values) {
    return values.stream().map(v -> v instanceof byte[] b ? "0x" + HexFormat.of().formatHex(b) : v)
        .collect(Collectors.toList());
  }

}
