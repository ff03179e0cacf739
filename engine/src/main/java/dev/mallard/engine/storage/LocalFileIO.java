package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.StorageException;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.OutputFile;

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

  @Override
  public OutputFile newOutputFile(String location) {
    return new AtomicLocalOutputFile(toPath(location));
  }

  @Override
  public void delete(String location) {
    try {
      Files.deleteIfExists(toPath(location));
    } catch (IOException e) {
      throw new StorageException("Cannot delete " + location + ": " + e.getMessage(), e);
    }
  }

  @Override
  public List<Listed> list(String prefix) {
    Path root = toPath(prefix);
    List<Listed> out = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return out;
    }
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : (Iterable<Path>) walk::iterator) {
        if (Files.isRegularFile(p)) {
          out.add(new Listed(p.toString(), Files.getLastModifiedTime(p).toInstant()));
        }
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new StorageException("Cannot list the files under " + prefix + ": " + e.getMessage(), e);
    }
    return out;
  }

  static Path toPath(String location) {
    if (location.startsWith("file:")) {
      return Path.of(URI.create(location));
    }
    return Path.of(location);
  }
}
