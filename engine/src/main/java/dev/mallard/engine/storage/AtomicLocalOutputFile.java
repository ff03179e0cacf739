package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;

/**
 * A local file written under a temporary name beside its target and moved into place when
 * closed, so that a crash or an error never leaves a partial file under a name the catalog could
 * point to.
 */
final class AtomicLocalOutputFile implements OutputFile {
  private final Path target;

  AtomicLocalOutputFile(Path target) {
    this.target = target;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) throws IOException {
    if (Files.exists(target)) {
      throw new StorageException("Refusing to overwrite existing file " + target);
    }
    return open();
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) throws IOException {
    return open();
  }

  private PositionOutputStream open() throws IOException {
    Files.createDirectories(target.getParent());
    Path temp = target.resolveSibling("." + target.getFileName() + ".tmp");
    OutputStream out = Files.newOutputStream(temp);
    return new PositionOutputStream() {
      private long position;
      private boolean closed;

      @Override
      public long getPos() {
        return position;
      }

      @Override
      public void write(int b) throws IOException {
        out.write(b);
        position++;
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        position += len;
      }

      @Override
      public void flush() throws IOException {
        out.flush();
      }

      @Override
      public void close() throws IOException {
        if (closed) {
          return;
        }
        closed = true;
        out.close();
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
    };
  }

  @Override
  public boolean supportsBlockSize() {
    return false;
  }

  @Override
  public long defaultBlockSize() {
    return 0;
  }

  @Override
  public String getPath() {
    return target.toString();
  }
}
