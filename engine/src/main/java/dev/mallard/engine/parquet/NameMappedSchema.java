package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.engine.catalog.NameMapping;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.Type;

/**
 * A file's schema with the field ids its columns would have had if DuckLake had written it, for
 * files registered with {@code ducklake_add_data_files}, matched by name through their
 * {@link NameMapping} (the file's own field ids, if it has any, do not count). The reader then finds columns by field id as in any other file. Columns the mapping does not
 * name get negative ids, which no table column has, so they are never read.
 *
 * @param schema the file's schema with the mapped field ids
 * @param hiveValues for columns whose value is a directory name of the file's path: field id to the
 *     value as text (DuckDB's cast from text applies), or null for NULL
 */
record NameMappedSchema(MessageType schema, Map<Integer, String> hiveValues) {
  private static final String HIVE_NULL = "__HIVE_DEFAULT_PARTITION__";

  /** Applies a name mapping to a file's schema. */
  static NameMappedSchema map(MessageType file, NameMapping mapping, String location) {
    Map<Integer, String> hive = new HashMap<>();
    Map<String, String> pathValues = null;
    for (NameMapping.Entry e : mapping.columns()) {
      if (!e.hivePartition()) {
        continue;
      }
      if (pathValues == null) {
        pathValues = hivePartitions(location);
      }
      if (!pathValues.containsKey(e.sourceName())) {
        throw new FormatException("Column \"" + e.sourceName() + "\" should have been read from hive partitions,"
            + " but it is not in the path " + location);
      }
      String value = pathValues.get(e.sourceName());
      hive.put(Math.toIntExact(e.fieldId()), HIVE_NULL.equals(value) ? null : value);
    }
    int[] unmapped = {0};
    if (mapping.positional()) {
      List<Type> fields = new ArrayList<>();
      for (int i = 0; i < file.getFieldCount(); i++) {
        fields.add(i < mapping.columns().size() ? mapField(file.getType(i), mapping.columns().get(i), unmapped)
            : file.getType(i).withId(-1 - unmapped[0]++));
      }
      return new NameMappedSchema(new MessageType(file.getName(), fields), hive);
    }
    List<Type> fields = mapFields(file.getFields(), mapping.columns(), unmapped);
    return new NameMappedSchema(new MessageType(file.getName(), fields), hive);
  }

  private static List<Type> mapFields(List<Type> fields, List<NameMapping.Entry> entries, int[] unmapped) {
    List<Type> out = new ArrayList<>();
    for (Type field : fields) {
      NameMapping.Entry entry = entryFor(field.getName(), entries);
      out.add(entry == null ? field.withId(-1 - unmapped[0]++) : mapField(field, entry, unmapped));
    }
    return out;
  }

  /** The entry naming the field: by exact name, else by the one name equal ignoring case. */
  private static NameMapping.Entry entryFor(String name, List<NameMapping.Entry> entries) {
    NameMapping.Entry folded = null;
    int foldedCount = 0;
    for (NameMapping.Entry e : entries) {
      if (e.hivePartition()) {
        continue;
      }
      if (e.sourceName().equals(name)) {
        return e;
      }
      if (e.sourceName().equalsIgnoreCase(name)) {
        folded = e;
        foldedCount++;
      }
    }
    return foldedCount == 1 ? folded : null;
  }

  private static Type mapField(Type field, NameMapping.Entry entry, int[] unmapped) {
    int id = Math.toIntExact(entry.fieldId());
    if (field.isPrimitive() || entry.children().isEmpty()) {
      return field.withId(id);
    }
    GroupType group = field.asGroupType();
    LogicalTypeAnnotation annotation = group.getLogicalTypeAnnotation();
    boolean list = annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation;
    boolean map = annotation instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
        || annotation == LogicalTypeAnnotation.MapKeyValueTypeAnnotation.getInstance();
    if (list && group.getFieldCount() == 1 && group.getType(0).isRepetition(Type.Repetition.REPEATED)
        && (group.getType(0).isPrimitive() || group.getType(0).asGroupType().getFieldCount() != 1
            || group.getType(0).getName().equals("array"))) {
      // a legacy two-level list: the repeated field is the element
      return group.withNewFields(mapField(group.getType(0), entry.children().get(0), unmapped)).withId(id);
    }
    if ((list || map) && group.getFieldCount() == 1 && !group.getType(0).isPrimitive()
        && group.getType(0).isRepetition(Type.Repetition.REPEATED)) {
      GroupType repeated = group.getType(0).asGroupType();
      List<Type> inner;
      if (list && repeated.getFieldCount() == 1) {
        // a list's element maps to the one child entry whatever either is called ("list", "element", "array")
        inner = List.of(mapField(repeated.getType(0), entry.children().get(0), unmapped));
      } else {
        inner = mapFields(repeated.getFields(), entry.children(), unmapped);
      }
      return group.withNewFields(repeated.withNewFields(inner)).withId(id);
    }
    return group.withNewFields(mapFields(group.getFields(), entry.children(), unmapped)).withId(id);
  }

  /** The {@code key=value} directory names of a path, values percent-decoded; the last one of a key wins. */
  static Map<String, String> hivePartitions(String path) {
    Map<String, String> out = new HashMap<>();
    String[] segments = path.split("[/\\\\]");
    for (int i = 0; i < segments.length - 1; i++) { // the last segment is the file name
      int eq = segments[i].indexOf('=');
      if (eq > 0) {
        out.put(segments[i].substring(0, eq), percentDecode(segments[i].substring(eq + 1)));
      }
    }
    return out;
  }

  private static String percentDecode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int i = 0;
    while (i < s.length()) {
      if (s.charAt(i) == '%' && i + 2 < s.length() && isHex(s.charAt(i + 1)) && isHex(s.charAt(i + 2))) {
        bytes.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 3;
      } else {
        int end = s.offsetByCodePoints(i, 1);
        bytes.writeBytes(s.substring(i, end).getBytes(StandardCharsets.UTF_8));
        i = end;
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(char c) {
    return Character.digit(c, 16) >= 0;
  }
}
