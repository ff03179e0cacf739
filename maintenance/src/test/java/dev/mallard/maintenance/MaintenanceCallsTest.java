package dev.mallard.maintenance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Arguments of the calls: values as SQL and the command line give them, and clear errors. */
class MaintenanceCallsTest {
  @TempDir Path dir;
  private DuckLakeCatalog catalog;

  @BeforeEach
  void open() {
    catalog = DuckLakeCatalog.open(CatalogConfig.parse("sqlite:" + dir.resolve("lake.sqlite")
        + "?create=true&data_path=" + dir.resolve("data") + "/", Map.of()));
  }

  @AfterEach
  void close() {
    catalog.close();
  }

  private MaintenanceCalls.Result run(String operation, List<Object> positional, Map<String, Object> named) {
    return MaintenanceCalls.run(catalog, operation, positional, named, ProgressListener.NONE);
  }

  @Test
  void valuesGivenAsTextAreRead() {
    assertThat(run("ducklake_merge_adjacent_files", List.of(), Map.of("max_file_size", "10MB",
        "max_compacted_files", "5", "dry_run", "true")).rows()).isEmpty();
    assertThat(run("rewrite_data_files", List.of(), Map.of("delete_threshold", "0.5", "dry_run", true)).rows())
        .isEmpty();
    assertThat(run("expire-snapshots", List.of(), Map.of("older_than", "2026-01-31 12:00:00", "dry_run", "false"))
        .rows()).isEmpty();
  }

  @Test
  void wrongValuesAreNamed() {
    assertThatThrownBy(() -> run("merge_adjacent_files", List.of(), Map.of("max_compacted_files", "many")))
        .isInstanceOf(UserException.class)
        .hasMessage("merge_adjacent_files: max_compacted_files must be an integer, not 'many'");
    assertThatThrownBy(() -> run("rewrite_data_files", List.of(), Map.of("delete_threshold", true)))
        .hasMessage("rewrite_data_files: delete_threshold must be a number, not 'true'");
    assertThatThrownBy(() -> run("checkpoint", List.of(), Map.of("dry_run", "maybe")))
        .hasMessage("checkpoint: dry_run must be a boolean, not 'maybe'");
    assertThatThrownBy(() -> run("flush_inlined_data", List.of(), Map.of("table_name", 3L)))
        .hasMessage("flush_inlined_data: table_name must be a string, not '3'");
    assertThatThrownBy(() -> run("merge_adjacent_files", List.of("a", "b"), Map.of()))
        .hasMessageContaining("at most one argument");
    assertThatThrownBy(() -> run("vacuum", List.of(), Map.of())).hasMessageContaining("Unknown maintenance");
  }

  @Test
  void aMissingTableOrSchemaIsNamed() {
    assertThatThrownBy(() -> run("merge_adjacent_files", List.of("nope"), Map.of()))
        .hasMessage("Table \"main\".\"nope\" does not exist");
    assertThatThrownBy(() -> run("rewrite_data_files", List.of(), Map.of("schema", "s")))
        .hasMessage("Schema \"s\" does not exist");
    assertThatThrownBy(() -> run("flush_inlined_data", List.of(), Map.of("schema_name", "s", "table_name", "t")))
        .hasMessage("Table \"s\".\"t\" does not exist");
  }
}
