package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.engine.types.Variant;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads one top-level VARIANT column of a data file (a group of {@code metadata}, {@code value} and,
 * if shredded, {@code typed_value}) into a binary vector of each value's {@link Variant#bytes()}
 * (see {@link VariantShreds}); a variant NULL at the top is SQL NULL, as DuckDB shows it. Rows are assembled by parquet-java's record reader: variants are read whole,
 * never filtered or pruned in the scan.
 */
final class VariantColumnReader {
  private final ReadColumn column;
  private final String location;
  private final GroupType field;
  private final MessageType schema;
  private RecordReader<Group> records;

  VariantColumnReader(ReadColumn column, Type fileField, String location) {
    this.column = column;
    this.location = location;
    if (fileField.isPrimitive() || !fileField.asGroupType().containsField("metadata")
        || !fileField.asGroupType().getType("metadata").isPrimitive()
        || fileField.asGroupType().getType("metadata").asPrimitiveType().getPrimitiveTypeName()
            != PrimitiveTypeName.BINARY) {
      throw new FormatException("Column '" + column.name() + "' (field id " + column.fieldId() + ") of " + location
          + " is a variant in the table but not a Parquet variant group (metadata, value, typed_value) in the file: "
          + fileField);
    }
    this.field = fileField.asGroupType();
    this.schema = new MessageType("variant", fileField);
  }

  void startRowGroup(PageReadStore pages) {
    records = new ColumnIOFactory().getColumnIO(schema).getRecordReader(pages, new GroupRecordConverter(schema));
  }

  void read(FieldVector vector, int rows) {
    VarBinaryVector out = (VarBinaryVector) vector;
    for (int row = 0; row < rows; row++) {
      Group record = records.read();
      if (record.getFieldRepetitionCount(0) == 0) {
        continue; // NULL: a fresh vector is all NULL
      }
      Variant value;
      try {
        value = VariantShreds.read(record.getGroup(0, 0), field);
      } catch (RuntimeException e) {
        throw new FormatException("Cannot read the variant column '" + column.name() + "' of " + location + ": "
            + e.getMessage(), e);
      }
      if (value != null && !value.isVariantNull()) {
        out.setSafe(row, value.bytes());
      }
    }
  }
}
