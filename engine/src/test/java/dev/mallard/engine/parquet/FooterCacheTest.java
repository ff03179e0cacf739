package dev.mallard.engine.parquet;

import static dev.mallard.engine.parquet.ParquetTestSupport.column;
import static dev.mallard.engine.parquet.ParquetTestSupport.readAll;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.LocalInputFile;
import org.junit.jupiter.api.Test;

class FooterCacheTest extends DuckDbFileTest {

  private void write(String query, Path file) {
    db.execute("COPY (" + query + ") TO '" + file + "' (FORMAT parquet, FIELD_IDS {i: 1})");
  }

  private List<Object> firstColumn(Path file) {
    return readAll(allocator, file, List.of(column(1, "i", "int64"))).rows().stream().map(r -> r.get(0))
        .collect(Collectors.toList());
  }

  @Test
  void aFileReadAgainTakesItsFooterFromTheCache() {
    Path file = dir.resolve("again.parquet");
    write("SELECT i FROM range(3000) t(i)", file);
    List<Object> first = firstColumn(file);
    long hits = FooterCache.INSTANCE.hits();
    assertThat(firstColumn(file)).isEqualTo(first).hasSize(3000);
    assertThat(FooterCache.INSTANCE.hits()).isEqualTo(hits + 1);
  }

  @Test
  void aFileOfAnotherLengthAtTheSameLocationIsReadAfresh() throws Exception {
    Path file = dir.resolve("replaced.parquet");
    write("SELECT i FROM range(10) t(i)", file);
    assertThat(firstColumn(file)).hasSize(10);
    long length = Files.size(file);
    Files.delete(file);
    write("SELECT i * 2 AS i FROM range(2000) t(i)", file);
    assertThat(Files.size(file)).isNotEqualTo(length);
    assertThat(firstColumn(file)).isEqualTo(IntStream.range(0, 2000).mapToObj(i -> (Object) (2L * i)).toList());
  }

  @Test
  void dropsTheLeastRecentlyUsedFootersBeyondItsBounds() throws Exception {
    Path file = dir.resolve("small.parquet");
    write("SELECT i FROM range(10) t(i)", file);
    ParquetMetadata footer;
    try (ParquetFileReader reader = ParquetFiles.open(new LocalInputFile(file), file.toString())) {
      footer = reader.getFooter();
    }
    FooterCache byCount = new FooterCache(2, 1L << 20);
    byCount.put("a", 1, footer);
    byCount.put("b", 1, footer);
    assertThat(byCount.get("a", 1)).isSameAs(footer); // now b is the least recently used
    byCount.put("c", 1, footer);
    assertThat(byCount.size()).isEqualTo(2);
    assertThat(byCount.get("b", 1)).isNull();
    assertThat(byCount.get("a", 1)).isSameAs(footer);
    assertThat(byCount.get("a", 2)).isNull(); // another length is another file

    FooterCache byBytes = new FooterCache(1000, 7_000); // one column in one row group: estimated at 3,248 bytes
    for (String location : List.of("a", "b", "c", "d")) {
      byBytes.put(location, 1, footer);
    }
    assertThat(byBytes.size()).isEqualTo(2);
    assertThat(byBytes.get("d", 1)).isSameAs(footer);

    assertThat(new FooterCache(0, 1L << 20).enabled()).isFalse();
  }
}
