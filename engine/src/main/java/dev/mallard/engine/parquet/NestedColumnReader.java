package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException.CatalogException;
import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.engine.exec.VectorValues;
import dev.mallard.engine.types.TypeKind;
import dev.mallard.engine.types.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * Reads one top-level nested column (struct, list, map, at any depth) of a data file into its Arrow
 * vector, from the definition and repetition levels of its leaf columns.
 *
 * <p>Children are matched by field id, so renamed struct fields still map; struct fields the file
 * predates get their {@code initial_default} (or NULL); fields the table dropped are not read.
 * Layouts, as DuckDB writes them: a struct is a group of its fields; a list is a group annotated
 * LIST holding a repeated group {@code list} with one field {@code element}; a map is a group
 * annotated MAP holding a repeated group {@code key_value} with {@code key} and {@code value}.
 *
 * <p>Each leaf is read on its own: walking its levels rebuilds the validity and offsets of every
 * ancestor (leaves under the same ancestor rebuild the same ones) and places its values. A
 * struct none of whose table fields are in the file is shaped by one of its file leaves, whose
 * values are skipped.
 */
final class NestedColumnReader {
  private enum Kind { STRUCT, LIST, MAP, LEAF }

  /**
   * A node of the column's Arrow tree (or, with {@code vector == null} per batch, of a file-only
   * subtree read only for its shape).
   */
  private static final class Node {
    final Kind kind;
    final int childIndex; // position among the parent's Arrow children; -1 for phantom and root
    final int presentDef; // definition level from which the value is not NULL
    final int elementDef; // list/map: definition level from which it has at least one element
    final int repetition; // list/map: repetition level of its repeated group
    final List<Node> children = new ArrayList<>();
    final List<Missing> missing = new ArrayList<>(); // struct: table fields the file lacks
    final ColumnDecoder decoder; // leaf
    final boolean phantom;
    FieldVector vector;

    Node(Kind kind, int childIndex, int presentDef, int elementDef, int repetition, ColumnDecoder decoder,
        boolean phantom) {
      this.kind = kind;
      this.childIndex = childIndex;
      this.presentDef = presentDef;
      this.elementDef = elementDef;
      this.repetition = repetition;
      this.decoder = decoder;
      this.phantom = phantom;
    }
  }

  /** A struct field the file does not have: its vector position and the value of its rows. */
  private record Missing(int childIndex, ReadColumn column, Object value) {}

  /** One leaf column: the nodes from the top-level column down to it, and its file column. */
  private static final class Leaf {
    final Node[] path;
    final ColumnDescriptor descriptor;
    final int[] counts;
    ColumnReader reader;
    long consumed;
    long total;

    Leaf(List<Node> path, ColumnDescriptor descriptor) {
      this.path = path.toArray(new Node[0]);
      this.descriptor = descriptor;
      this.counts = new int[this.path.length];
    }
  }

  private final ReadColumn column;
  private final String location;
  private final Node root;
  private final List<Leaf> leaves = new ArrayList<>();
  private final List<Node> nodes = new ArrayList<>();

  NestedColumnReader(ReadColumn column, Type fileField, MessageType schema, String location) {
    this.column = column;
    this.location = location;
    List<String> path = new ArrayList<>();
    this.root = build(column, fileField, -1, 0, 0, path, new ArrayList<>(), schema);
  }

  /** The file's leaf columns this column reads. */
  List<ColumnDescriptor> descriptors() {
    return leaves.stream().map(l -> l.descriptor).toList();
  }

  private Node build(ReadColumn col, Type file, int childIndex, int def, int rep, List<String> path,
      List<Node> ancestors, MessageType schema) {
    return build(col, file, childIndex, def, rep, path, ancestors, schema, false);
  }

  /** @param listElement {@code file} is the repeated element of a legacy two-level list: present at {@code def} */
  private Node build(ReadColumn col, Type file, int childIndex, int def, int rep, List<String> path,
      List<Node> ancestors, MessageType schema, boolean listElement) {
    path.add(file.getName());
    int present = def + (listElement || file.isRepetition(Type.Repetition.REQUIRED) ? 0 : 1);
    if (!listElement && file.isRepetition(Type.Repetition.REPEATED)) {
      throw mismatch(col, file, "a repeated field outside a list or map");
    }
    Node node;
    TypeKind kind = col.type().kind();
    if (kind == TypeKind.STRUCT) {
      if (file.isPrimitive() || file.getLogicalTypeAnnotation() != null) {
        throw mismatch(col, file, "not a struct");
      }
      node = add(new Node(Kind.STRUCT, childIndex, present, 0, rep, null, false), ancestors);
      GroupType group = file.asGroupType();
      Map<Integer, Type> byId = fieldsById(group);
      List<Node> below = with(ancestors, node);
      for (int i = 0; i < col.children().size(); i++) {
        ReadColumn child = col.children().get(i);
        Type f = byId.get(child.fieldId());
        if (f == null) {
          node.missing.add(new Missing(i, child, missingValue(child)));
        } else {
          node.children.add(build(child, f, i, present, rep, path, below, schema));
        }
      }
      if (node.children.isEmpty()) {
        if (group.getFieldCount() == 0) {
          throw mismatch(col, file, "a struct without fields");
        }
        node.children.add(phantom(group.getType(0), present, rep, path, below, schema));
      }
    } else if (kind == TypeKind.LIST && isTwoLevelList(file)) {
      // The legacy layout: the repeated field is the element itself (never NULL).
      Type repeated = file.asGroupType().getType(0);
      node = add(new Node(Kind.LIST, childIndex, present, present + 1, rep + 1, null, false), ancestors);
      ReadColumn element = col.children().get(0);
      requireId(element, repeated);
      node.children.add(build(element, repeated, 0, present + 1, rep + 1, path, with(ancestors, node), schema,
          true));
    } else if (kind == TypeKind.LIST || kind == TypeKind.MAP) {
      boolean list = kind == TypeKind.LIST;
      GroupType repeated = repeatedGroup(col, file, list);
      node = add(new Node(list ? Kind.LIST : Kind.MAP, childIndex, present, present + 1, rep + 1, null, false),
          ancestors);
      path.add(repeated.getName());
      List<Node> below = with(ancestors, node);
      if (list) {
        ReadColumn element = col.children().get(0);
        Type f = repeated.getType(0);
        requireId(element, f);
        node.children.add(build(element, f, 0, present + 1, rep + 1, path, below, schema));
      } else {
        // Arrow's map holds a non-null entries struct of key and value.
        Node entries = add(new Node(Kind.STRUCT, 0, present + 1, 0, rep + 1, null, false), below);
        node.children.add(entries);
        List<Node> belowEntries = with(below, entries);
        for (int i = 0; i < 2; i++) {
          ReadColumn child = col.children().get(i);
          Type f = repeated.getType(i);
          requireId(child, f);
          entries.children.add(build(child, f, i, present + 1, rep + 1, path, belowEntries, schema));
        }
      }
      path.remove(path.size() - 1);
    } else {
      if (!file.isPrimitive()) {
        throw mismatch(col, file, "nested");
      }
      PrimitiveType primitive = file.asPrimitiveType();
      ColumnDecoder decoder = ColumnDecoders.create(primitive, col.type());
      if (decoder == null) {
        throw mismatch(col, file, "of a type that cannot hold " + col.type());
      }
      node = add(new Node(Kind.LEAF, childIndex, present, 0, rep, decoder, false), ancestors);
      leaves.add(new Leaf(with(ancestors, node), schema.getColumnDescription(path.toArray(new String[0]))));
    }
    path.remove(path.size() - 1);
    return node;
  }

  /** A file-only subtree, read down to its first leaf for the shape of its ancestors. */
  private Node phantom(Type file, int def, int rep, List<String> path, List<Node> ancestors, MessageType schema) {
    path.add(file.getName());
    boolean repeated = file.isRepetition(Type.Repetition.REPEATED);
    int present = def + (file.isRepetition(Type.Repetition.REQUIRED) ? 0 : 1);
    Node node;
    if (file.isPrimitive()) {
      node = new Node(Kind.LEAF, -1, present, 0, rep, null, true);
      leaves.add(new Leaf(with(ancestors, node), schema.getColumnDescription(path.toArray(new String[0]))));
    } else if (repeated) {
      // A repeated group is a list of its first field, whatever the annotation above it says.
      node = new Node(Kind.LIST, -1, def, present, rep + 1, null, true);
      node.children.add(phantom(file.asGroupType().getType(0), present, rep + 1, path, with(ancestors, node), schema));
    } else {
      node = new Node(Kind.STRUCT, -1, present, 0, rep, null, true);
      node.children.add(phantom(file.asGroupType().getType(0), present, rep, path, with(ancestors, node), schema));
    }
    path.remove(path.size() - 1);
    return node;
  }

  private Node add(Node node, List<Node> ancestors) {
    nodes.add(node);
    return node;
  }

  private static List<Node> with(List<Node> ancestors, Node node) {
    List<Node> out = new ArrayList<>(ancestors);
    out.add(node);
    return out;
  }

  /**
   * Whether a list is in the legacy two-level layout, whose repeated field is the element: the
   * Parquet format's backward-compatibility rules (a primitive, a group of several fields, or a
   * group named {@code array} or {@code <list>_tuple}).
   */
  private static boolean isTwoLevelList(Type file) {
    if (file.isPrimitive() || !(file.getLogicalTypeAnnotation()
        instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) || file.asGroupType().getFieldCount() != 1) {
      return false;
    }
    Type repeated = file.asGroupType().getType(0);
    return repeated.isRepetition(Type.Repetition.REPEATED) && (repeated.isPrimitive()
        || repeated.asGroupType().getFieldCount() != 1 || repeated.getName().equals("array")
        || repeated.getName().equals(file.getName() + "_tuple"));
  }

  private GroupType repeatedGroup(ReadColumn col, Type file, boolean list) {
    LogicalTypeAnnotation a = file.getLogicalTypeAnnotation();
    boolean annotated = list ? a instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation
        : a instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
            || a == LogicalTypeAnnotation.MapKeyValueTypeAnnotation.getInstance();
    if (file.isPrimitive() || !annotated || file.asGroupType().getFieldCount() != 1) {
      throw mismatch(col, file, list ? "not a list" : "not a map");
    }
    Type repeated = file.asGroupType().getType(0);
    if (repeated.isPrimitive() || !repeated.isRepetition(Type.Repetition.REPEATED)
        || repeated.asGroupType().getFieldCount() != (list ? 1 : 2)) {
      throw mismatch(col, file, list ? "a list in a layout other than three levels" : "a map of another layout");
    }
    return repeated.asGroupType();
  }

  private void requireId(ReadColumn col, Type file) {
    if (file.getId() != null && file.getId().intValue() != col.fieldId()) {
      throw mismatch(col, file, "field id " + file.getId() + " where " + col.fieldId() + " was expected");
    }
  }

  private Map<Integer, Type> fieldsById(GroupType group) {
    Map<Integer, Type> byId = new HashMap<>();
    for (Type f : group.getFields()) {
      if (f.getId() != null && byId.put(f.getId().intValue(), f) != null) {
        throw new FormatException("Data file " + location + " has two fields with field id " + f.getId() + " in "
            + group.getName());
      }
    }
    return byId;
  }

  private Object missingValue(ReadColumn col) {
    if (col.missingValue() == null) {
      return null;
    }
    if (col.type().kind().isNested()) {
      throw new CatalogException("Column '" + col.name() + "' (" + col.type() + ") has an initial default ("
          + col.missingValue() + "); defaults of nested struct fields are not supported");
    }
    try {
      return Values.parse(col.type(), col.missingValue());
    } catch (RuntimeException e) {
      throw new CatalogException("Cannot read the default '" + col.missingValue() + "' of column '" + col.name()
          + "' as " + col.type(), e);
    }
  }

  private FormatException mismatch(ReadColumn col, Type file, String what) {
    return new FormatException("Column '" + col.name() + "' (field id " + col.fieldId() + ", " + col.type()
        + ") of " + location + " is stored as " + what + ": " + file.toString().replace('\n', ' ').trim());
  }

  /** Takes this row group's readers of the leaf columns from the store. */
  void startRowGroup(ColumnReadStoreImpl store) {
    for (Leaf leaf : leaves) {
      leaf.reader = store.getColumnReader(leaf.descriptor);
      leaf.total = leaf.reader.getTotalValueCount();
      leaf.consumed = 0;
    }
  }

  /** Reads the next {@code rows} rows into positions {@code 0..rows-1} of the column's vector. */
  void read(FieldVector vector, int rows) {
    bind(root, vector);
    for (Leaf leaf : leaves) {
      java.util.Arrays.fill(leaf.counts, 0);
      for (int row = 0; row < rows; row++) {
        if (leaf.consumed >= leaf.total || leaf.reader.getCurrentRepetitionLevel() != 0) {
          throw new FormatException("Column '" + column.name() + "' of " + location + ": leaf "
              + String.join(".", leaf.descriptor.getPath()) + " ends before its row group or is misaligned");
        }
        do {
          walk(leaf);
        } while (leaf.consumed < leaf.total && leaf.reader.getCurrentRepetitionLevel() != 0);
      }
    }
    int[] counts = new int[nodes.size()];
    for (Leaf leaf : leaves) {
      for (int i = 0; i < leaf.path.length; i++) {
        if (!leaf.path[i].phantom) {
          int n = nodes.indexOf(leaf.path[i]);
          counts[n] = Math.max(counts[n], leaf.counts[i]);
        }
      }
    }
    for (int n = 0; n < nodes.size(); n++) {
      Node node = nodes.get(n);
      if (node.kind == Kind.LIST || node.kind == Kind.MAP) {
        ((ListVector) node.vector).setLastSet(counts[n] - 1);
      }
      if (node.kind == Kind.STRUCT) {
        fillMissing(node, counts[n]);
      }
    }
    vector.setValueCount(rows);
  }

  /** Points each node at its vector for this batch. */
  private static void bind(Node node, FieldVector vector) {
    node.vector = vector;
    for (Node child : node.children) {
      if (child.phantom) {
        continue;
      }
      FieldVector v = switch (node.kind) {
        case STRUCT -> (FieldVector) ((StructVector) vector).getChildByOrdinal(child.childIndex);
        case LIST, MAP -> ((ListVector) vector).getDataVector();
        case LEAF -> throw new IllegalStateException();
      };
      bind(child, v);
    }
  }

  /** Places one level entry of a leaf: opens the slots it starts on the way down, then its value. */
  private void walk(Leaf leaf) {
    ColumnReader reader = leaf.reader;
    int r = reader.getCurrentRepetitionLevel();
    int d = reader.getCurrentDefinitionLevel();
    Node[] path = leaf.path;
    int start = 0;
    if (r > 0) {
      for (int i = 0; i < path.length; i++) {
        if ((path[i].kind == Kind.LIST || path[i].kind == Kind.MAP) && path[i].repetition == r) {
          start = i + 1;
          break;
        }
      }
      if (start == 0) {
        throw new FormatException("Column '" + column.name() + "' of " + location + " has repetition level " + r
            + " that none of its lists has");
      }
    }
    boolean valueRead = false;
    for (int j = start; j < path.length; j++) {
      Node node = path[j];
      int slot = leaf.counts[j]++;
      boolean write = !node.phantom;
      if (write) {
        ensureCapacity(node.vector, slot);
      }
      if (d < node.presentDef) {
        if (write) {
          markNull(node, slot);
        }
        nullFields(leaf, j + 1);
        break;
      }
      switch (node.kind) {
        case STRUCT -> {
          if (write) {
            ((StructVector) node.vector).setIndexDefined(slot);
          }
        }
        case LIST, MAP -> {
          if (write) {
            ListVector list = (ListVector) node.vector;
            BitVectorHelper.setBit(list.getValidityBuffer(), slot);
            list.getOffsetBuffer().setInt((long) slot * ListVector.OFFSET_WIDTH, leaf.counts[j + 1]);
            list.getOffsetBuffer().setInt((long) (slot + 1) * ListVector.OFFSET_WIDTH, leaf.counts[j + 1]);
          }
          if (d < node.elementDef) {
            j = path.length; // an empty list
          }
        }
        case LEAF -> {
          if (write) {
            node.decoder.readValue(reader, node.vector, slot);
            valueRead = true;
          }
        }
      }
    }
    if (!valueRead && d == leaf.descriptor.getMaxDefinitionLevel()) {
      reader.skip();
    }
    // Every open list now ends after the elements placed so far.
    for (int j = 0; j + 1 < path.length; j++) {
      Node node = path[j];
      if (!node.phantom && (node.kind == Kind.LIST || node.kind == Kind.MAP) && leaf.counts[j] > 0) {
        ArrowBuf offsets = ((ListVector) node.vector).getOffsetBuffer();
        offsets.setInt((long) leaf.counts[j] * ListVector.OFFSET_WIDTH, leaf.counts[j + 1]);
      }
    }
    reader.consume();
    leaf.consumed++;
  }

  /**
   * Below a NULL struct, its fields (and theirs) still take a slot each, NULL: struct fields are
   * parallel to the struct. A list's elements take none.
   */
  private static void nullFields(Leaf leaf, int from) {
    for (int k = from; k < leaf.path.length && leaf.path[k - 1].kind == Kind.STRUCT; k++) {
      int slot = leaf.counts[k]++;
      if (!leaf.path[k].phantom) {
        ensureCapacity(leaf.path[k].vector, slot);
        markNull(leaf.path[k], slot);
      }
    }
  }

  /**
   * A list's own setNull rewrites the offsets of every slot after the last one it knows of, which
   * this reader does not tell it: clear the validity bit only (its offsets stay those written).
   */
  private static void markNull(Node node, int slot) {
    if (node.kind == Kind.LIST || node.kind == Kind.MAP) {
      BitVectorHelper.unsetBit(((ListVector) node.vector).getValidityBuffer(), slot);
    } else {
      node.vector.setNull(slot);
    }
  }

  private static void ensureCapacity(FieldVector vector, int slot) {
    while (slot >= vector.getValueCapacity()) {
      vector.reAlloc();
    }
  }

  private static void fillMissing(Node node, int count) {
    StructVector struct = (StructVector) node.vector;
    for (Missing m : node.missing) {
      if (m.value() == null) {
        continue; // a fresh vector is all NULL
      }
      FieldVector child = (FieldVector) struct.getChildByOrdinal(m.childIndex());
      for (int slot = 0; slot < count; slot++) {
        if (!struct.isNull(slot)) {
          ensureCapacity(child, slot);
          VectorValues.set(child, slot, m.column().type(), m.value());
        }
      }
    }
  }

  /** The Arrow field of a column read with its children. */
  static org.apache.arrow.vector.types.pojo.Field arrowField(ReadColumn column) {
    List<org.apache.arrow.vector.types.pojo.Field> children = new ArrayList<>();
    for (ReadColumn child : column.children()) {
      children.add(arrowField(child));
    }
    return dev.mallard.engine.types.ArrowTypes.nullableField(column.name(), column.type(), children);
  }
}
