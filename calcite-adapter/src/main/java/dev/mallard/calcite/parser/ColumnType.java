package dev.mallard.calcite.parser;

import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.engine.types.TypeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.calcite.sql.SqlWriter;

/**
 * A column type of a DDL statement, as DuckLake stores it: a {@link DuckLakeType} and, for nested
 * types, the child columns (a list's {@code element}, a map's {@code key} and {@code value}, a
 * struct's fields).
 */
public record ColumnType(DuckLakeType type, List<Field> children) {
  /** A named child. */
  public record Field(String name, ColumnType type) {
    public Field {
      Objects.requireNonNull(name);
      Objects.requireNonNull(type);
    }
  }

  public ColumnType {
    Objects.requireNonNull(type);
    children = List.copyOf(children);
  }

  public static ColumnType of(DuckLakeType type) {
    return new ColumnType(type, List.of());
  }

  public static ColumnType list(ColumnType element) {
    return new ColumnType(DuckLakeType.of(TypeKind.LIST), List.of(new Field("element", element)));
  }

  public static ColumnType map(ColumnType key, ColumnType value) {
    return new ColumnType(DuckLakeType.of(TypeKind.MAP), List.of(new Field("key", key), new Field("value", value)));
  }

  public static ColumnType struct(List<Field> fields) {
    return new ColumnType(DuckLakeType.of(TypeKind.STRUCT), fields);
  }

  /** The column to create: this type, with children that are nullable and have no default. */
  public NewColumn toColumn(String name, boolean nullable, String defaultValue) {
    List<NewColumn> columns = new ArrayList<>();
    for (Field child : children) {
      columns.add(child.type.toColumn(child.name, true, null));
    }
    return new NewColumn(name, type, nullable, defaultValue, columns);
  }

  /** Writes the type in DuckDB's syntax, which {@code DuckDbType()} parses back to this type. */
  public void unparse(SqlWriter writer) {
    switch (type.kind()) {
      case LIST -> {
        children.get(0).type.unparse(writer);
        writer.print("[]");
        writer.setNeedWhitespace(true);
      }
      case MAP -> {
        writer.keyword("MAP");
        SqlWriter.Frame frame = writer.startList("(", ")");
        writer.sep(",");
        children.get(0).type.unparse(writer);
        writer.sep(",");
        children.get(1).type.unparse(writer);
        writer.endList(frame);
      }
      case STRUCT -> {
        writer.keyword("STRUCT");
        SqlWriter.Frame frame = writer.startList("(", ")");
        for (Field field : children) {
          writer.sep(",");
          writer.identifier(field.name, true);
          field.type.unparse(writer);
        }
        writer.endList(frame);
      }
      case DECIMAL -> {
        writer.keyword("DECIMAL");
        writer.print("(" + type.precision() + ", " + type.scale() + ")");
        writer.setNeedWhitespace(true);
      }
      default -> writer.keyword(DuckDbTypes.duckDbName(type.kind()));
    }
  }
}
