package dev.mallard.engine.parquet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.UnsupportedFeatureException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputCompressor;
import org.apache.parquet.compression.CompressionCodecFactory.BytesInputDecompressor;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CodecsTest {
  private static final byte[] PAGE = "a page of parquet data, a page of parquet data, 1234567890".repeat(50)
      .getBytes(StandardCharsets.UTF_8);

  @ParameterizedTest
  @EnumSource(value = CompressionCodecName.class, names = {"UNCOMPRESSED", "SNAPPY", "ZSTD", "GZIP", "LZ4_RAW"})
  void roundTripsPagesThroughBothApis(CompressionCodecName codec) throws IOException {
    BytesInputCompressor compressor = Codecs.INSTANCE.getCompressor(codec);
    byte[] compressed = compressor.compress(BytesInput.from(PAGE)).toByteArray();
    BytesInputDecompressor decompressor = Codecs.INSTANCE.getDecompressor(codec);
    assertThat(decompressor.decompress(BytesInput.from(compressed), PAGE.length).toByteArray()).isEqualTo(PAGE);

    ByteBuffer output = ByteBuffer.allocate(PAGE.length);
    decompressor.decompress(ByteBuffer.wrap(compressed), compressed.length, output, PAGE.length);
    assertThat(output.array()).isEqualTo(PAGE);
  }

  @ParameterizedTest
  @EnumSource(value = CompressionCodecName.class, names = {"SNAPPY", "ZSTD", "GZIP", "LZ4_RAW"})
  void rejectsCorruptPages(CompressionCodecName codec) throws IOException {
    byte[] compressed = Codecs.INSTANCE.getCompressor(codec).compress(BytesInput.from(PAGE)).toByteArray();
    for (int i = 0; i < compressed.length; i += 3) {
      compressed[i] ^= 0x37;
    }
    BytesInputDecompressor decompressor = Codecs.INSTANCE.getDecompressor(codec);
    assertThatThrownBy(() -> decompressor.decompress(BytesInput.from(compressed), PAGE.length).toByteArray())
        .isInstanceOf(IOException.class);
  }

  @ParameterizedTest
  @EnumSource(value = CompressionCodecName.class, names = {"BROTLI", "LZO", "LZ4"})
  void namesCodecsItCannotDecode(CompressionCodecName codec) {
    assertThatThrownBy(() -> Codecs.INSTANCE.getDecompressor(codec))
        .isInstanceOf(UnsupportedFeatureException.class).hasMessageContaining(codec.name());
  }
}
