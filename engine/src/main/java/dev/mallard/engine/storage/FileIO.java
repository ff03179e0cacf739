package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import java.time.Instant;
import java.util.List;
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

  /** A file found by {@link #list}: its location, in the form the catalog's paths resolve to, and when it was last written. */
  record Listed(String location, Instant lastModified) {}

  /**
   * Every file under a directory (local) or key prefix (object storage), recursively, in no
   * particular order; nothing when there is nothing there. Maintenance lists a lake's data path
   * with it to find files no snapshot references.
   */
  default List<Listed> list(String prefix) {
    throw new UnsupportedFeatureException("Listing files is not supported by " + getClass().getSimpleName() + " yet");
  }

  @Override
  default void close() {}
}
