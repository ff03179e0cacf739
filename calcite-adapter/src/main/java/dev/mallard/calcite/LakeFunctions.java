package dev.mallard.calcite;

import com.google.common.collect.ImmutableMultimap;
import com.google.common.collect.Multimap;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.CatalogView;
import dev.mallard.engine.catalog.DataFile;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.MetadataStore;
import dev.mallard.engine.catalog.SchemaInfo;
import dev.mallard.engine.catalog.Snapshot;
import dev.mallard.engine.catalog.TableInfo;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.calcite.DataContext;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Linq4j;
import org.apache.calcite.linq4j.function.Parameter;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.ScannableTable;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.schema.impl.TableFunctionImpl;
import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.sql.type.SqlTypeName;

/**
 * DuckLake's introspection table functions, with DuckDB's names, arguments and columns:
 * {@code SELECT * FROM ducklake_snapshots('lake')}. The first argument is the catalog name DuckDB
 * attached the lake as; a Mallard connection has one lake, so any name reads it (in a Calcite model
 * with several lakes, it names the schema the lake is mounted as).
 */
public final class LakeFunctions {
  private LakeFunctions() {}

  /** The functions, to be listed by every DuckLake schema. */
  public static final Multimap<String, org.apache.calcite.schema.Function> FUNCTIONS =
      ImmutableMultimap.<String, org.apache.calcite.schema.Function>builder()
          .put("ducklake_snapshots", TableFunctionImpl.create(LakeFunctions.class, "snapshots"))
          .put("ducklake_current_snapshot", TableFunctionImpl.create(LakeFunctions.class, "currentSnapshot"))
          .put("ducklake_table_info", TableFunctionImpl.create(LakeFunctions.class, "tableInfo"))
          .put("ducklake_list_files", TableFunctionImpl.create(LakeFunctions.class, "listFiles"))
          .putAll(ChangeFeed.FUNCTIONS)
          .put("st_geomfromwkb", org.apache.calcite.schema.impl.ScalarFunctionImpl.create(GeometryFunctions.class,
              "geomFromWkb"))
          .put("st_aswkb", org.apache.calcite.schema.impl.ScalarFunctionImpl.create(GeometryFunctions.class, "asWkb"))
          .put("variant_typeof", org.apache.calcite.schema.impl.ScalarFunctionImpl.create(LakeVariant.class, "typeOf"))
          .put("variant_extract", LakeVariant.EXTRACT)
          .build();

  /** {@code ducklake_snapshots(catalog)}: every snapshot, with what it changed. */
  public static ScannableTable snapshots(String catalog) {
    return new Rows(f -> f.builder()
        .add("snapshot_id", type(f, SqlTypeName.BIGINT))
        .add("snapshot_time", type(f, SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE))
        .add("schema_version", type(f, SqlTypeName.BIGINT))
        .add("changes", f.createTypeWithNullability(f.createMapType(f.createSqlType(SqlTypeName.VARCHAR),
            f.createArrayType(f.createSqlType(SqlTypeName.VARCHAR), -1)), true))
        .add("author", type(f, SqlTypeName.VARCHAR))
        .add("commit_message", type(f, SqlTypeName.VARCHAR))
        .add("commit_extra_info", type(f, SqlTypeName.VARCHAR))
        .build(), root -> {
          DuckLakeCatalog lake = lake(root, catalog).catalog();
          Map<Long, Map<String, Object>> changes = snapshotChanges(lake.metadata());
          List<Object[]> rows = new ArrayList<>();
          for (Snapshot s : lake.metadata().snapshots()) {
            Map<String, Object> c = changes.getOrDefault(s.id(), Map.of());
            rows.add(new Object[] {s.id(), s.time().toEpochMilli(), s.schemaVersion(),
                SnapshotChanges.parse((String) c.get("changes_made")), c.get("author"), c.get("commit_message"),
                c.get("commit_extra_info")});
          }
          return rows;
        });
  }

  /** {@code ducklake_current_snapshot(catalog)}: the id of the snapshot queries read now. */
  public static ScannableTable currentSnapshot(String catalog) {
    return new Rows(f -> f.builder().add("id", type(f, SqlTypeName.BIGINT)).build(),
        root -> List.<Object[]>of(new Object[] {lake(root, catalog).catalog().currentSnapshot().id()}));
  }

  /** {@code ducklake_table_info(catalog)}: each table's data and delete files, counted and sized. */
  public static ScannableTable tableInfo(String catalog) {
    return new Rows(f -> f.builder()
        .add("table_name", type(f, SqlTypeName.VARCHAR))
        .add("schema_id", type(f, SqlTypeName.BIGINT))
        .add("table_id", type(f, SqlTypeName.BIGINT))
        .add("table_uuid", type(f, SqlTypeName.VARCHAR))
        .add("file_count", type(f, SqlTypeName.BIGINT))
        .add("file_size_bytes", type(f, SqlTypeName.BIGINT))
        .add("delete_file_count", type(f, SqlTypeName.BIGINT))
        .add("delete_file_size_bytes", type(f, SqlTypeName.BIGINT))
        .build(), root -> {
          DuckLakeCatalog lake = lake(root, catalog).catalog();
          Snapshot snapshot = lake.currentSnapshot();
          CatalogView view = lake.view(snapshot);
          List<Object[]> rows = new ArrayList<>();
          for (SchemaInfo schema : view.schemas()) {
            for (TableInfo table : view.tables(schema)) {
              long files = 0;
              long bytes = 0;
              Set<Long> deleteFiles = new HashSet<>();
              long deleteBytes = 0;
              for (DataFile file : lake.metadata().dataFiles(table, snapshot.id())) {
                files++;
                bytes += file.fileSizeBytes();
                if (file.deleteFile() != null && deleteFiles.add(file.deleteFile().id())) {
                  deleteBytes += file.deleteFile().fileSizeBytes();
                }
              }
              rows.add(new Object[] {table.name(), schema.id(), table.id(), table.uuid(), files, bytes,
                  (long) deleteFiles.size(), deleteBytes});
            }
          }
          return rows;
        });
  }

  /**
   * {@code ducklake_list_files(catalog, table [, schema => s] [, snapshot_version => n]
   * [, snapshot_time => t])}: the data files of a table at a snapshot, each with its delete file.
   */
  public static ScannableTable listFiles(@Parameter(name = "catalog") String catalog,
      @Parameter(name = "table_name") String table,
      @Parameter(name = "schema", optional = true) String schema,
      @Parameter(name = "snapshot_version", optional = true) Long snapshotVersion,
      @Parameter(name = "snapshot_time", optional = true) Timestamp snapshotTime) {
    return new Rows(f -> f.builder()
        .add("data_file", type(f, SqlTypeName.VARCHAR))
        .add("data_file_size_bytes", type(f, SqlTypeName.BIGINT))
        .add("data_file_footer_size", type(f, SqlTypeName.BIGINT))
        .add("data_file_encryption_key", type(f, SqlTypeName.VARBINARY))
        .add("delete_file", type(f, SqlTypeName.VARCHAR))
        .add("delete_file_size_bytes", type(f, SqlTypeName.BIGINT))
        .add("delete_file_footer_size", type(f, SqlTypeName.BIGINT))
        .add("delete_file_encryption_key", type(f, SqlTypeName.VARBINARY))
        .build(), root -> {
          DuckLakeCatalog lake = lake(root, catalog).catalog();
          Snapshot snapshot = snapshotVersion != null ? lake.snapshot(snapshotVersion)
              : snapshotTime != null ? lake.snapshotAt(Instant.ofEpochMilli(snapshotTime.getTime()))
              : lake.currentSnapshot();
          String schemaName = schema != null ? schema : "main";
          TableInfo info = lake.view(snapshot).table(schemaName, table).orElseThrow(() ->
              new UserException("Table " + schemaName + "." + table + " does not exist at snapshot " + snapshot.id()));
          List<DataFile> files = lake.metadata().dataFiles(info, snapshot.id());
          Map<Long, Long> deleteFooters = deleteFileFooters(lake.metadata(), info.id());
          List<Object[]> rows = new ArrayList<>();
          for (DataFile file : files) {
            var delete = file.deleteFile();
            rows.add(new Object[] {file.path(), file.fileSizeBytes(), file.footerSize(), key(file.encryptionKey()),
                delete == null ? null : delete.path(), delete == null ? null : delete.fileSizeBytes(),
                delete == null ? null : deleteFooters.get(delete.id()),
                delete == null ? null : key(delete.encryptionKey())});
          }
          return rows;
        });
  }

  private static byte[] key(String encryptionKey) {
    return encryptionKey == null ? null : encryptionKey.getBytes(StandardCharsets.UTF_8);
  }

  static RelDataType type(RelDataTypeFactory f, SqlTypeName name) {
    return f.createTypeWithNullability(f.createSqlType(name), true);
  }

  /** Each snapshot's row of {@code ducklake_snapshot_changes}, by column name (older catalogs lack some). */
  private static Map<Long, Map<String, Object>> snapshotChanges(MetadataStore metadata) {
    return metadata.inTransaction("reading snapshot changes", c -> {
      Map<Long, Map<String, Object>> out = new HashMap<>();
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT * FROM " + metadata.table("ducklake_snapshot_changes"))) {
        ResultSetMetaData md = rs.getMetaData();
        while (rs.next()) {
          Map<String, Object> row = new HashMap<>();
          for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getString(i));
          }
          out.put(rs.getLong("snapshot_id"), row);
        }
      }
      return out;
    });
  }

  /** The footer sizes of a table's delete files, by id. */
  private static Map<Long, Long> deleteFileFooters(MetadataStore metadata, long tableId) {
    return metadata.inTransaction("reading delete files", c -> {
      Map<Long, Long> out = new HashMap<>();
      try (var ps = c.prepareStatement("SELECT delete_file_id, footer_size FROM "
          + metadata.table("ducklake_delete_file") + " WHERE table_id = ?")) {
        ps.setLong(1, tableId);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            long footer = rs.getLong(2);
            out.put(rs.getLong(1), rs.wasNull() ? null : footer);
          }
        }
      }
      return out;
    });
  }

  /** The lake a function call reads: the one mounted as {@code catalog}, or the connection's only one. */
  static LakeContext lake(DataContext root, String catalog) {
    return lake(root.getRootSchema(), catalog);
  }

  /** The lake a function call reads, found from the connection's root schema. */
  static LakeContext lake(SchemaPlus rootSchema, String catalog) {
    if (rootSchema == null) {
      throw new UserException("ducklake_* functions need a connection with a DuckLake schema");
    }
    if (catalog != null) {
      SchemaPlus named = rootSchema.subSchemas().get(catalog);
      LakeContext lake = named == null ? null : lakeOf(named);
      if (lake != null) {
        return lake;
      }
    }
    Set<LakeContext> lakes = new LinkedHashSet<>();
    for (String name : rootSchema.subSchemas().getNames(LikePattern.any())) {
      SchemaPlus sub = rootSchema.subSchemas().get(name);
      LakeContext lake = sub == null ? null : lakeOf(sub);
      if (lake != null) {
        lakes.add(lake);
      }
    }
    if (lakes.size() != 1) {
      throw new UserException(lakes.isEmpty() ? "This connection has no DuckLake to introspect"
          : "This connection has " + lakes.size() + " lakes: name the schema of the one to introspect, not '"
              + catalog + "'");
    }
    return lakes.iterator().next();
  }

  private static LakeContext lakeOf(SchemaPlus schema) {
    Object s = schema.unwrap(CalciteSchema.class).schema;
    if (s instanceof DuckLakeSchema lakeSchema) {
      return lakeSchema.lake();
    }
    if (s instanceof DuckLakeCatalogSchema catalogSchema) {
      return catalogSchema.lake();
    }
    return null;
  }

  /** A table function's result: computed when the statement runs, from the connection's lake. */
  private static final class Rows extends AbstractTable implements ScannableTable {
    private final Function<RelDataTypeFactory, RelDataType> rowType;
    private final Function<DataContext, List<Object[]>> rows;

    Rows(Function<RelDataTypeFactory, RelDataType> rowType, Function<DataContext, List<Object[]>> rows) {
      this.rowType = rowType;
      this.rows = rows;
    }

    @Override
    public RelDataType getRowType(RelDataTypeFactory typeFactory) {
      return rowType.apply(typeFactory);
    }

    @Override
    public Enumerable<Object[]> scan(DataContext root) {
      return Linq4j.asEnumerable(rows.apply(root));
    }
  }
}
