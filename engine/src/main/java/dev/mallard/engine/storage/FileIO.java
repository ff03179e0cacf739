package dev.mallard.engine.storage;

import org.apache.parquet.io.InputFile;

/**
 * Access to the files of a lake. Locations are the absolute paths the catalog resolves
 * ({@code /lake/main/t/x.parquet}, {@code file:/...}, later {@code s3://bucket/...}).
 */
public interface FileIO extends AutoCloseable {
  /** A file to read. Fails with a {@code StorageException} naming the location if it does not exist. */
  InputFile newInputFile(String location);

  boolean exists(String location);

  @Override
  default void close() {}
}
