package dev.mallard.engine.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mallard.engine.MallardException.StorageException;
import dev.mallard.testing.S3Server;
import java.io.IOException;
import java.net.URI;
import java.util.Random;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.io.SeekableInputStream;
import org.junit.jupiter.api.Test;

/** Writing objects to S3 (S3Proxy): one PUT for small files, a multipart upload for large ones. */
class S3WriteTest {
  private final S3Server server = S3Server.shared();

  private S3FileIO io(String accessKey, String secret) {
    return new S3FileIO(new S3Settings(URI.create(server.endpoint()), "us-east-1", true, accessKey, secret, null));
  }

  private S3FileIO io() {
    return io(server.accessKeyId(), server.secretAccessKey());
  }

  private static byte[] bytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static byte[] readAll(S3FileIO io, String location) throws IOException {
    try (SeekableInputStream in = io.newInputFile(location).newStream()) {
      return in.readAllBytes();
    }
  }

  @Test
  void aSmallFileIsOnePutAndAppearsOnlyOnClose() throws IOException {
    String at = "s3://" + server.createBucket("small") + "/dir/a.bin";
    try (S3FileIO io = io()) {
      byte[] data = bytes(1000, 1);
      long before = io.requestCount();
      PositionOutputStream out = io.newOutputFile(at).create(0);
      out.write(data, 0, 10);
      out.write(data[10]);
      out.write(data, 11, data.length - 11);
      assertThat(out.getPos()).isEqualTo(1000);
      assertThat(io.exists(at)).isFalse();
      out.close();
      assertThat(io.requestCount() - before).isEqualTo(3); // exists check, exists check, PUT
      assertThat(readAll(io, at)).isEqualTo(data);
      assertThatThrownBy(() -> io.newOutputFile(at).create(0)).isInstanceOf(StorageException.class)
          .hasMessageContaining("Refusing to overwrite");
      io.delete(at);
      assertThat(io.exists(at)).isFalse();
    }
  }

  @Test
  void aLargeFileIsAMultipartUploadReadBackWithRangedReads() throws IOException {
    String at = "s3://" + server.createBucket("large") + "/big.bin";
    int partSize = S3OutputFile.MIN_PART_SIZE;
    byte[] data = bytes(2 * partSize + 12345, 2);
    try (S3FileIO io = io()) {
      long before = io.requestCount();
      try (PositionOutputStream out = io.newOutputFile(at, partSize).createOrOverwrite(0)) {
        for (int off = 0; off < data.length; off += 100_000) {
          out.write(data, off, Math.min(100_000, data.length - off));
        }
        assertThat(io.exists(at)).isFalse();
      }
      // create, three parts, complete, and the one exists check above
      assertThat(io.requestCount() - before).isEqualTo(6);
      assertThat(readAll(io, at)).isEqualTo(data);
      try (SeekableInputStream in = io.newInputFile(at).newStream()) {
        in.seek(partSize - 10);
        byte[] across = new byte[20];
        in.readFully(across);
        assertThat(across).isEqualTo(java.util.Arrays.copyOfRange(data, partSize - 10, partSize + 10));
      }
    }
  }

  @Test
  void writingToAMissingBucketOrWithAWrongKeyFailsClearly() {
    try (S3FileIO io = io()) {
      assertThatThrownBy(() -> {
        try (PositionOutputStream out = io.newOutputFile("s3://no-such-bucket-xyz/a.bin").createOrOverwrite(0)) {
          out.write(1);
        }
      }).hasStackTraceContaining("Bucket 'no-such-bucket-xyz' does not exist");
    }
    String bucket = server.createBucket("denied");
    try (S3FileIO io = io(server.accessKeyId(), "wrong-secret")) {
      assertThatThrownBy(() -> {
        try (PositionOutputStream out = io.newOutputFile("s3://" + bucket + "/a.bin").createOrOverwrite(0)) {
          out.write(1);
        }
      }).hasStackTraceContaining("Access denied writing").hasStackTraceContaining("SignatureDoesNotMatch")
          .satisfies(e -> assertThat(stackText(e)).doesNotContain("wrong-secret"));
    }
  }

  private static String stackText(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

}
