package dev.mallard.engine.scan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.scan.SnapshotFilesCache.Touch;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * How the snapshot changes between a cached file list and a newer snapshot decide its fate: reused,
 * brought forward by the added files, or read again. (Answers after real commits are checked
 * against DuckDB in the JDBC driver's FileListCacheInteropTest.)
 */
class SnapshotFilesCacheTest {
  @Test
  void changesToOtherObjectsLeaveTheListAsItIs() {
    assertThat(SnapshotFilesCache.touch(List.of(), 7)).isEqualTo(Touch.UNTOUCHED);
    assertThat(SnapshotFilesCache.touch(List.of("inserted_into_table:8,deleted_from_table:8",
        "created_table:\"main\".\"t7\"", "altered_table:9", "dropped_table:10"), 7)).isEqualTo(Touch.UNTOUCHED);
    assertThat(SnapshotFilesCache.touch(List.of("inlined_insert:7", "inlined_delete:7"), 7))
        .isEqualTo(Touch.UNTOUCHED);
  }

  @Test
  void onlyInsertsBringTheListForward() {
    assertThat(SnapshotFilesCache.touch(List.of("inserted_into_table:7", "inlined_insert:7",
        "inserted_into_table:7,inserted_into_table:8"), 7)).isEqualTo(Touch.FILES_ADDED);
  }

  @Test
  void anyOtherChangeToTheTableReadsTheListAgain() {
    for (String change : List.of("deleted_from_table:7", "inserted_into_table:7,deleted_from_table:7",
        "altered_table:7", "dropped_table:7", "merge_adjacent:7", "compacted_table:7", "flushed_inlined:7",
        "rewrite_delete:7", "dropped_schema:3", "a_change_of_a_later_version:7")) {
      assertThat(SnapshotFilesCache.touch(List.of("inserted_into_table:7", change), 7)).as(change)
          .isEqualTo(Touch.REWRITTEN);
    }
  }
}
