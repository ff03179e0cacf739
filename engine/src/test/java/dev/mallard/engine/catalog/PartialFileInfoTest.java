package dev.mallard.engine.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.CatalogException;
import org.junit.jupiter.api.Test;

/** The pre-0.4 {@code partial_file_info} texts, as found in the reference's old catalogs. */
class PartialFileInfoTest {
  @Test
  void aListTellsWhichLeadingRowsEachSnapshotShows() {
    PartialFileInfo info = PartialFileInfo.parse("2:4|6:7"); // compacted_files.db, data file 6
    assertThat(info.partialMax()).isNull();
    assertThat(info.visibleRows(1)).isEqualTo(0);
    assertThat(info.visibleRows(2)).isEqualTo(4);
    assertThat(info.visibleRows(5)).isEqualTo(4);
    assertThat(info.visibleRows(6)).isEqualTo(7);
    assertThat(info.insertedAt(0)).isEqualTo(2);
    assertThat(info.insertedAt(3)).isEqualTo(2);
    assertThat(info.insertedAt(4)).isEqualTo(6);
    assertThat(info.insertedAt(6)).isEqualTo(6);
    assertThat(info.insertedAt(7)).isEqualTo(Long.MAX_VALUE);
    assertThat(info.lastSnapshot()).isEqualTo(6);
  }

  @Test
  void partialMaxAndNothing() {
    PartialFileInfo max = PartialFileInfo.parse("partial_max:9"); // compacted_files.db, data file 8
    assertThat(max.partialMax()).isEqualTo(9);
    assertThat(max.visibleRows(3)).isNull();
    assertThat(max.insertedAt(0)).isNull();
    assertThat(PartialFileInfo.parse(null).insertedAt(0)).isNull();
    assertThat(PartialFileInfo.parse(null).lastSnapshot()).isEqualTo(-1);
  }

  @Test
  void malformedTextIsACatalogError() {
    assertThatThrownBy(() -> PartialFileInfo.parse("2:x")).isInstanceOf(CatalogException.class)
        .hasMessageContaining("2:x");
  }
}
