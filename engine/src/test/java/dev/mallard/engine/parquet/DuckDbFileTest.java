package dev.mallard.engine.parquet;

import dev.mallard.testing.DuckDb;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * The set-up of the tests that compare Mallard's Parquet reading and writing with DuckDB 1.5.5:
 * one DuckDB per class, a folder and an allocator per test; the allocator's close fails the test
 * when a vector was not released.
 */
abstract class DuckDbFileTest {
  static DuckDb db;
  @TempDir Path dir;
  BufferAllocator allocator;

  @BeforeAll
  static void startDuckDb() {
    db = DuckDb.start(DuckDb.Version.V1_5_5);
  }

  @AfterAll
  static void stopDuckDb() {
    db.close();
  }

  @BeforeEach
  void newAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void noLeaks() {
    allocator.close();
  }
}
