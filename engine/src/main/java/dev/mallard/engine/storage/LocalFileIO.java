package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.StorageException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;

/** Files on a local (or locally mounted) file system. */
public final class LocalFileIO implements FileIO {
  @Override
  public InputFile newInputFile(String location) {
    Path path = toPath(location);
    if (!Files.isRegularFile(path)) {
      throw new StorageException("File not found: " + location);
    }
    return new LocalInputFile(path);
  }

  @Override
  public boolean exists(String location) {
    return Files.exists(toPath(location));
  }

  static Path toPath(String location) {
    if (location.startsWith("file:")) {
      return Path.of(URI.create(location));
    }
    return Path.of(location);
  }
}
