package dev.mallard.engine.parquet;

import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.Type;

/**
 * {@code ColumnReadStoreImpl} insists on a converter tree for the schema although the reader
 * pulls values itself and never pushes them to converters; these accept and drop everything.
 */
final class NoOpConverters {
  private static final PrimitiveConverter PRIMITIVE = new PrimitiveConverter() {};

  private NoOpConverters() {}

  static GroupConverter forSchema(GroupType schema) {
    Converter[] children = new Converter[schema.getFieldCount()];
    for (int i = 0; i < children.length; i++) {
      Type field = schema.getType(i);
      children[i] = field.isPrimitive() ? PRIMITIVE : forSchema(field.asGroupType());
    }
    return new GroupConverter() {
      @Override
      public Converter getConverter(int fieldIndex) {
        return children[fieldIndex];
      }

      @Override
      public void start() {}

      @Override
      public void end() {}
    };
  }
}
