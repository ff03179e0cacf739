package dev.mallard.engine.parquet;

import dev.mallard.engine.MallardException;
import dev.mallard.engine.MallardException.FormatException;
import dev.mallard.engine.MallardException.StorageException;
import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import org.apache.parquet.ParquetReadOptions;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.Type;

/** Opening Parquet files without Hadoop, and telling a broken file from a failing store. */
final class ParquetFiles {
  private ParquetFiles() {}

  /** Opens a file and reads its footer, unless {@link FooterCache} has it. */
  static ParquetFileReader open(InputFile file, String location) {
    ParquetReadOptions options = ParquetReadOptions.builder(new PlainParquetConfiguration())
        .withCodecFactory(Codecs.INSTANCE)
        .build();
    FooterCache cache = FooterCache.INSTANCE;
    try {
      if (!cache.enabled()) {
        return ParquetFileReader.open(file, options);
      }
      long length = file.getLength();
      SeekableInputStream in = file.newStream();
      try {
        ParquetMetadata footer = cache.get(location, length);
        if (footer == null) {
          footer = ParquetFileReader.readFooter(file, options, in);
          cache.put(location, length, footer);
        }
        return ParquetFileReader.open(file, footer, options, in); // closes the stream when closed
      } catch (IOException | RuntimeException e) {
        closeQuietly(in, e);
        throw e;
      }
    } catch (IOException | RuntimeException e) {
      throw readFailure(location, e);
    }
  }

  private static void closeQuietly(SeekableInputStream in, Exception pending) {
    try {
      in.close();
    } catch (IOException | RuntimeException e) {
      pending.addSuppressed(e);
    }
  }

  /**
   * The Mallard exception for a failure while reading a file: a missing file or an I/O error of
   * the store is a {@link StorageException}; anything the Parquet decoder rejects (bad magic,
   * short file, undecodable footer or page) is a {@link FormatException}.
   */
  static MallardException readFailure(String location, Exception e) {
    if (e instanceof MallardException m) {
      return m;
    }
    if (e instanceof FileNotFoundException || e instanceof NoSuchFileException) {
      return new StorageException("File not found: " + location, e);
    }
    if (e instanceof IOException && !isFormatProblem(e)) {
      return new StorageException("Cannot read " + location + ": " + e.getMessage(), e);
    }
    return new FormatException("Corrupt or unreadable Parquet file " + location + ": " + e.getMessage(), e);
  }

  /** True when an I/O exception comes from decoding rather than from the store. */
  private static boolean isFormatProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String name = t.getClass().getName();
      if (t instanceof EOFException || name.startsWith("org.apache.parquet.")
          || name.startsWith("shaded.parquet.org.apache.thrift.") || name.contains("snappy")
          || name.contains("zstd") || name.startsWith("java.util.zip.")) {
        return true;
      }
      if (t.getMessage() != null && t.getMessage().startsWith("corrupt")) {
        return true; // our codecs' checks
      }
    }
    return false;
  }

  static boolean hasAnyFieldId(GroupType group) {
    for (Type field : group.getFields()) {
      if (field.getId() != null || (!field.isPrimitive() && hasAnyFieldId(field.asGroupType()))) {
        return true;
      }
    }
    return false;
  }

  static void closeQuietly(ParquetFileReader reader, Exception pending) {
    try {
      reader.close();
    } catch (IOException | RuntimeException e) {
      pending.addSuppressed(e);
    }
  }
}
