package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException.UserException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Type.Repetition;
import org.apache.parquet.schema.Types;

/**
 * Writes one top-level struct, list or map column (any depth) as DuckDB 1.5.5 lays it out: a struct
 * is an OPTIONAL group of its fields; a list an OPTIONAL group annotated LIST holding a REPEATED
 * group {@code list} with an OPTIONAL {@code element}; a map an OPTIONAL group annotated MAP holding
 * a REPEATED group {@code key_value} with a REQUIRED {@code key} and an OPTIONAL {@code value}.
 * Every field carries its column id as field id (the repeated groups none).
 *
 * <p>Each primitive leaf is a flat {@link ColumnEncoder} given the leaf's definition level; this
 * class walks the Arrow vectors (as {@code VectorValues} builds them) and hands each leaf its
 * values with their repetition levels, and NULLs (a NULL struct, list or map, an empty list or map)
 * with the definition level reached. Statistics are the leaves': NULLs at any level count as
 * NULLs of every leaf below, as in DuckDB's files and its {@code ducklake_file_column_stats}.
 */
final class NestedEncoder extends ColumnEncoder {
  private enum Kind { STRUCT, LIST, MAP, LEAF }

  /** A node of the column's tree. */
  private static final class Node {
    final Kind kind;
    /** Definition level when this node's value is present. */
    final int def;
    /** Lists and maps: the repetition level of their repeated group. */
    final int repeated;
    final List<Node> children = new ArrayList<>();
    final List<ColumnEncoder> leaves = new ArrayList<>();
    ColumnEncoder leaf;
    Type type;

    Node(Kind kind, int def, int repeated) {
      this.kind = kind;
      this.def = def;
      this.repeated = repeated;
    }
  }

  private final Node root;

  NestedEncoder(WriteColumn column, int vectorIndex) {
    super(column, vectorIndex, null);
    this.root = node(column, 0, 0, false);
  }

  private static Node node(WriteColumn c, int parentDef, int parentRep, boolean required) {
    int def = required ? parentDef : parentDef + 1;
    Repetition repetition = required ? Repetition.REQUIRED : Repetition.OPTIONAL;
    List<WriteColumn> kids = c.children();
    switch (c.type().kind()) {
      case STRUCT -> {
        Node n = new Node(Kind.STRUCT, def, parentRep);
        List<Type> fields = new ArrayList<>();
        for (WriteColumn kid : kids) {
          Node child = node(kid, def, parentRep, false);
          n.children.add(child);
          n.leaves.addAll(child.leaves);
          fields.add(child.type);
        }
        if (fields.isEmpty()) {
          throw new IllegalArgumentException("struct " + c.name() + " has no fields");
        }
        n.type = new GroupType(repetition, c.name(), fields).withId(c.fieldId());
        return n;
      }
      case LIST -> {
        Node n = new Node(Kind.LIST, def, parentRep + 1);
        Node element = node(kids.get(0), def + 1, parentRep + 1, false);
        n.children.add(element);
        n.leaves.addAll(element.leaves);
        GroupType list = new GroupType(Repetition.REPEATED, "list", element.type);
        n.type = Types.buildGroup(repetition).as(LogicalTypeAnnotation.listType()).addField(list).id(c.fieldId())
            .named(c.name());
        return n;
      }
      case MAP -> {
        Node n = new Node(Kind.MAP, def, parentRep + 1);
        Node key = node(kids.get(0), def + 1, parentRep + 1, true);
        Node value = node(kids.get(1), def + 1, parentRep + 1, false);
        n.children.add(key);
        n.children.add(value);
        n.leaves.addAll(key.leaves);
        n.leaves.addAll(value.leaves);
        GroupType entries = new GroupType(Repetition.REPEATED, "key_value", key.type, value.type);
        n.type = Types.buildGroup(repetition).as(LogicalTypeAnnotation.mapType()).addField(entries).id(c.fieldId())
            .named(c.name());
        return n;
      }
      case VARIANT -> throw new dev.mallard.engine.MallardException.UnsupportedFeatureException("Writing a VARIANT"
          + " inside a struct, list or map ('" + c.name() + "') is not supported yet");
      default -> {
        Node n = new Node(Kind.LEAF, def, parentRep);
        ColumnEncoder leaf = ColumnEncoder.create(new WriteColumn(c.fieldId(), c.name(), c.type(), true), -1);
        leaf.definition = def;
        n.leaf = leaf;
        n.leaves.add(leaf);
        PrimitiveType p = leaf.parquetType;
        n.type = required ? Types.primitive(p.getPrimitiveTypeName(), Repetition.REQUIRED).length(p.getTypeLength())
            .as(p.getLogicalTypeAnnotation()).id(p.getId().intValue()).named(p.getName()) : p;
        return n;
      }
    }
  }

  @Override
  Type schemaType() {
    return root.type;
  }

  @Override
  List<ColumnEncoder> leaves() {
    return root.leaves;
  }

  @Override
  StatsCollector newStats() {
    return new StatsCollector.None(); // unused: the leaves keep the statistics
  }

  @Override
  void write(FieldVector vector, int row) {
    if (vector.isNull(row) && !column.nullable()) {
      throw new UserException("NOT NULL constraint failed: column '" + column.name() + "' got a NULL");
    }
    write(root, vector, row, 0);
  }

  @Override
  void writeValue(FieldVector vector, int row, StatsCollector stats) {
    write(root, vector, row, 0);
  }

  private void write(Node node, FieldVector vector, int index, int rep) {
    if (vector.isNull(index)) {
      if (node.type.isRepetition(Repetition.REQUIRED)) {
        throw new UserException("Column '" + column.name() + "': a map key cannot be NULL");
      }
      nulls(node, rep, node.def - 1);
      return;
    }
    switch (node.kind) {
      case LEAF -> {
        node.leaf.repetition = rep;
        node.leaf.writeValue(vector, index, node.leaf.stats);
      }
      case STRUCT -> {
        StructVector struct = (StructVector) vector;
        for (int i = 0; i < node.children.size(); i++) {
          write(node.children.get(i), (FieldVector) struct.getChildByOrdinal(i), index, rep);
        }
      }
      case LIST -> {
        ListVector list = (ListVector) vector;
        int start = list.getElementStartIndex(index);
        int end = list.getElementEndIndex(index);
        if (start == end) {
          nulls(node, rep, node.def);
          return;
        }
        FieldVector elements = list.getDataVector();
        for (int i = start; i < end; i++) {
          write(node.children.get(0), elements, i, i == start ? rep : node.repeated);
        }
      }
      case MAP -> {
        ListVector map = (ListVector) vector;
        int start = map.getElementStartIndex(index);
        int end = map.getElementEndIndex(index);
        if (start == end) {
          nulls(node, rep, node.def);
          return;
        }
        StructVector entries = (StructVector) map.getDataVector();
        FieldVector keys = (FieldVector) entries.getChildByOrdinal(0);
        FieldVector values = (FieldVector) entries.getChildByOrdinal(1);
        for (int i = start; i < end; i++) {
          int r = i == start ? rep : node.repeated;
          write(node.children.get(0), keys, i, r);
          write(node.children.get(1), values, i, r);
        }
      }
    }
  }

  /** Every leaf below {@code node} gets a NULL at definition level {@code def}. */
  private static void nulls(Node node, int rep, int def) {
    for (ColumnEncoder leaf : node.leaves) {
      leaf.writer.writeNull(rep, def);
      leaf.stats.addNull();
    }
  }
}
