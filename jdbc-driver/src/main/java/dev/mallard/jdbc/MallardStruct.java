package dev.mallard.jdbc;

import java.sql.Struct;
import java.util.List;
import java.util.Map;

/** A struct value of a result: its fields' values (see {@link NestedValues}), and DuckDB's text as its string. */
final class MallardStruct implements Struct {
  private final List<Object> attributes;
  private final String text;

  MallardStruct(List<Object> attributes, String text) {
    this.attributes = attributes;
    this.text = text;
  }

  @Override
  public String getSQLTypeName() {
    return "ROW";
  }

  @Override
  public Object[] getAttributes() {
    return attributes.toArray();
  }

  @Override
  public Object[] getAttributes(Map<String, Class<?>> map) {
    return getAttributes();
  }

  @Override
  public String toString() {
    return text;
  }
}
