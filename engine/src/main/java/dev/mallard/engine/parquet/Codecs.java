package dev.mallard.engine.parquet;

import com.github.luben.zstd.Zstd;
import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.xerial.snappy.Snappy;

/**
 * Parquet compression without Hadoop. parquet-java's own factory instantiates Hadoop codecs, which
 * need hadoop-common on the class path; this one calls the compression libraries directly
 * (snappy-java, zstd-jni, java.util.zip, aircompressor). Anything else, BROTLI included, fails
 * with an {@link UnsupportedFeatureException} naming the codec.
 */
public final class Codecs implements CompressionCodecFactory {
  /** Stateless, so one instance serves every reader and writer. */
  public static final Codecs INSTANCE = new Codecs();

  private static final int ZSTD_LEVEL = 3; // zstd's own default, as DuckDB uses

  private Codecs() {}

  /** One codec's block transform, both ways. */
  interface Codec {
    byte[] compress(byte[] input) throws IOException;

    /**
     * Turns the compressed block {@code input[offset, offset + length)} into exactly {@code size}
     * bytes, or fails. They come in an array of {@code size} + {@link PageEncodings#PADDING} bytes,
     * the padding the page decoders need after a page: so a page is not copied once more to pad it.
     */
    byte[] decompress(byte[] input, int offset, int length, int size) throws IOException;
  }

  static Codec codec(CompressionCodecName name) {
    return codec(name, null);
  }

  /**
   * A codec; {@code level} (null: the library's default) applies to ZSTD and GZIP only, the codecs
   * DuckDB's {@code COMPRESSION_LEVEL} means anything for.
   */
  static Codec codec(CompressionCodecName name, Integer level) {
    if (level != null && name != CompressionCodecName.ZSTD && name != CompressionCodecName.GZIP) {
      throw new IllegalArgumentException("Parquet compression " + name + " has no compression level");
    }
    int zstdLevel = level == null ? ZSTD_LEVEL : level;
    int gzipLevel = level == null ? Deflater.DEFAULT_COMPRESSION : level;
    return switch (name) {
      case UNCOMPRESSED -> new Codec() {
        public byte[] compress(byte[] in) {
          return in;
        }

        public byte[] decompress(byte[] in, int offset, int length, int size) throws IOException {
          checkSize(name, length, size);
          byte[] out = padded(size);
          System.arraycopy(in, offset, out, 0, size);
          return out;
        }
      };
      case SNAPPY -> new Codec() {
        public byte[] compress(byte[] in) throws IOException {
          return Snappy.compress(in);
        }

        public byte[] decompress(byte[] in, int offset, int length, int size) throws IOException {
          byte[] out = padded(size);
          checkSize(name, Snappy.uncompress(in, offset, length, out, 0), size);
          return out;
        }
      };
      case ZSTD -> new Codec() {
        public byte[] compress(byte[] in) {
          return Zstd.compress(in, zstdLevel);
        }

        public byte[] decompress(byte[] in, int offset, int length, int size) throws IOException {
          byte[] out = padded(size);
          long n = Zstd.decompressByteArray(out, 0, size, in, offset, length);
          if (Zstd.isError(n)) {
            throw new IOException("ZSTD: " + Zstd.getErrorName(n));
          }
          checkSize(name, (int) n, size);
          return out;
        }
      };
      case GZIP -> new Codec() {
        public byte[] compress(byte[] in) throws IOException {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          try (GZIPOutputStream gzip = new GZIPOutputStream(out) {
            {
              def.setLevel(gzipLevel); // GZIPOutputStream offers no constructor for the level
            }
          }) {
            gzip.write(in);
          }
          return out.toByteArray();
        }

        public byte[] decompress(byte[] in, int offset, int length, int size) throws IOException {
          // GZIPInputStream also reads the concatenated members some writers produce.
          try (GZIPInputStream gzip = new GZIPInputStream(new ByteArrayInputStream(in, offset, length))) {
            byte[] out = padded(size);
            checkSize(name, gzip.readNBytes(out, 0, size), size);
            return out;
          }
        }
      };
      case LZ4_RAW -> new Codec() {
        public byte[] compress(byte[] in) {
          Lz4Compressor compressor = new Lz4Compressor();
          byte[] out = new byte[compressor.maxCompressedLength(in.length)];
          int n = compressor.compress(in, 0, in.length, out, 0, out.length);
          return Arrays.copyOf(out, n);
        }

        public byte[] decompress(byte[] in, int offset, int length, int size) throws IOException {
          byte[] out = padded(size);
          checkSize(name, new Lz4Decompressor().decompress(in, offset, length, out, 0, size), size);
          return out;
        }
      };
      default -> throw new UnsupportedFeatureException(
          "Parquet compression " + name + " is not supported (supported: UNCOMPRESSED, SNAPPY, ZSTD, GZIP, LZ4_RAW)");
    };
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName name) {
    Codec codec = codec(name);
    return new BytesInputDecompressor() {
      @Override
      public BytesInput decompress(BytesInput input, int uncompressedSize) throws IOException {
        ByteBuffer in = input.toByteBuffer();
        return BytesInput.from(decompress(in, in.remaining(), uncompressedSize), 0, uncompressedSize);
      }

      @Override
      public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
          throws IOException {
        output.put(decompress(input, compressedSize, uncompressedSize), 0, uncompressedSize);
      }

      /** The next {@code length} bytes of {@code in} decompressed, read in place when it has an array. */
      private byte[] decompress(ByteBuffer in, int length, int uncompressedSize) throws IOException {
        if (in.hasArray()) {
          int offset = in.arrayOffset() + in.position();
          in.position(in.position() + length);
          return decompressChecked(codec, name, in.array(), offset, length, uncompressedSize);
        }
        byte[] bytes = new byte[length];
        in.get(bytes);
        return decompressChecked(codec, name, bytes, 0, length, uncompressedSize);
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName name) {
    return getCompressor(name, null);
  }

  /** A compressor at a compression level (null: the default); see {@link #codec(CompressionCodecName, Integer)}. */
  public BytesInputCompressor getCompressor(CompressionCodecName name, Integer level) {
    Codec codec = codec(name, level);
    return new BytesInputCompressor() {
      @Override
      public BytesInput compress(BytesInput input) throws IOException {
        return BytesInput.from(codec.compress(input.toByteArray()));
      }

      @Override
      public CompressionCodecName getCodecName() {
        return name;
      }

      @Override
      public void release() {}
    };
  }

  @Override
  public void release() {}

  /** The libraries report corrupt input with runtime exceptions of their own; callers expect an IOException. */
  private static byte[] decompressChecked(Codec codec, CompressionCodecName name, byte[] input, int offset,
      int length, int size) throws IOException {
    try {
      return codec.decompress(input, offset, length, size);
    } catch (RuntimeException e) {
      throw new IOException("corrupt " + name + " page: " + e.getMessage(), e);
    }
  }

  private static byte[] padded(int size) {
    return new byte[size + PageEncodings.PADDING];
  }

  /** A page whose size disagrees with its header is corrupt; reading on would produce garbage. */
  private static void checkSize(CompressionCodecName name, int actual, int expected) throws IOException {
    if (actual != expected) {
      throw new IOException("corrupt " + name + " page: decompressed to " + actual + " bytes, header says "
          + expected);
    }
  }
}
