package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.StorageException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * An S3 object written through a buffer: a file smaller than one part is one PUT when the stream
 * closes; a larger one becomes a multipart upload, a part sent each time the buffer fills and the
 * upload completed on close. Either way the object appears only when the stream closes
 * successfully; a failed upload is aborted, so no part is left behind.
 */
final class S3OutputFile implements OutputFile {
  /** S3 accepts parts of 5 MiB and more (except the last); 8 MiB is the AWS SDKs' usual size. */
  static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;
  static final int MIN_PART_SIZE = 5 * 1024 * 1024;

  private final S3FileIO io;
  private final S3Location at;
  private final int partSize;

  S3OutputFile(S3FileIO io, S3Location at, int partSize) {
    if (partSize < MIN_PART_SIZE) {
      throw new IllegalArgumentException("S3 parts must be at least 5 MiB, not " + partSize + " bytes");
    }
    this.io = io;
    this.at = at;
    this.partSize = partSize;
  }

  @Override
  public PositionOutputStream create(long blockSizeHint) {
    if (io.exists(at.toString())) {
      throw new StorageException("Refusing to overwrite existing file " + at);
    }
    return new Stream();
  }

  @Override
  public PositionOutputStream createOrOverwrite(long blockSizeHint) {
    return new Stream();
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
    return at.toString();
  }

  private final class Stream extends PositionOutputStream {
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private final List<CompletedPart> parts = new ArrayList<>();
    private String uploadId;
    private long position;
    private boolean closed;

    @Override
    public long getPos() {
      return position;
    }

    @Override
    public void write(int b) throws IOException {
      buffer.write(b);
      position++;
      sendFullParts();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      while (len > 0) {
        int n = Math.min(len, partSize - buffer.size());
        buffer.write(b, off, n);
        position += n;
        off += n;
        len -= n;
        sendFullParts();
      }
    }

    private void sendFullParts() throws IOException {
      if (buffer.size() >= partSize) {
        sendPart();
      }
    }

    private void sendPart() throws IOException {
      try {
        if (uploadId == null) {
          io.countRequest();
          uploadId = io.client().createMultipartUpload(CreateMultipartUploadRequest.builder().bucket(at.bucket())
              .key(at.key()).build()).uploadId();
        }
        int number = parts.size() + 1;
        io.countRequest();
        String etag = io.client().uploadPart(UploadPartRequest.builder().bucket(at.bucket()).key(at.key())
            .uploadId(uploadId).partNumber(number).build(), RequestBody.fromBytes(buffer.toByteArray())).eTag();
        parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
        buffer.reset();
      } catch (SdkException e) {
        abort();
        throw new IOException(io.failure("writing", at, e));
      }
    }

    @Override
    public void close() throws IOException {
      if (closed) {
        return;
      }
      closed = true;
      try {
        if (uploadId == null) {
          io.countRequest();
          io.client().putObject(PutObjectRequest.builder().bucket(at.bucket()).key(at.key()).build(),
              RequestBody.fromBytes(buffer.toByteArray()));
          return;
        }
        if (buffer.size() > 0) {
          sendPart();
        }
        io.countRequest();
        io.client().completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(at.bucket())
            .key(at.key()).uploadId(uploadId).multipartUpload(CompletedMultipartUpload.builder().parts(parts).build())
            .build());
      } catch (SdkException e) {
        abort();
        throw new IOException(io.failure("writing", at, e));
      }
    }

    private void abort() {
      if (uploadId == null) {
        return;
      }
      try {
        io.countRequest();
        io.client().abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(at.bucket()).key(at.key())
            .uploadId(uploadId).build());
      } catch (SdkException ignored) {
        // The upload stays invisible; a bucket lifecycle rule removes abandoned parts.
      }
      uploadId = null;
    }
  }
}
