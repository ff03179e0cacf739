package dev.mallard.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.maintenance.MaintenanceOperation;
import dev.mallard.maintenance.ProgressListener.Progress;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  @Test
  void skippedWorkIsPrintedInFullOnItsOwnLine() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    MaintenanceCli.ProgressBar bar = new MaintenanceCli.ProgressBar(new PrintStream(err, true, StandardCharsets.UTF_8),
        true);
    bar.onProgress(new Progress("merge_adjacent_files", 1, 4, "merges", "main.t: 8 files"));
    String why = "main.events: column tags is nested (STRUCT(a INTEGER)); files with nested columns are not rewritten yet";
    bar.onProgress(new Progress("merge_adjacent_files", 0, 0, MaintenanceOperation.SKIPPED, why));
    String text = err.toString(StandardCharsets.UTF_8);
    // The bar line is ended first, then the whole reason: not cut to the bar's width.
    assertThat(text).contains("1/4 merges")
        .endsWith(System.lineSeparator() + "merge_adjacent_files skipped " + why + System.lineSeparator());
  }
}
