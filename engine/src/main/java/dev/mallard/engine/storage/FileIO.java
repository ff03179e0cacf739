package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;

/**
 * Access to the files of a lake. Locations are the absolute paths the catalog resolves
 * ({@code /lake/main/t/x.parquet}, {@code file:/...}, later {@code s3://bucket/...}).
 */
public interface FileIO extends AutoCloseable {
  /** A file to read. Fails with a {@code StorageException} naming the location if it does not exist. */
  InputFile newInputFile(String location);

  boolean exists(String location);

  /**
   * A new file to write; parent directories are created as needed. The file becomes visible only
   * when the returned stream closes (writers must never leave a partial file under the name).
   */
  default OutputFile newOutputFile(String location) {
    throw new UnsupportedFeatureException("Writing files is not supported by " + getClass().getSimpleName() + " yet");
  }

  /** Deletes a file; a file that is already gone is not an error. */
  default void delete(String location) {
    throw new UnsupportedFeatureException("Deleting files is not supported by " + getClass().getSimpleName() + " yet");
  }

  @Override
  default void close() {}
}
