package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.StorageException;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A Parquet file in S3, read with ranged GETs. The first request asks for the file's last
 * {@value #TAIL_BYTES} bytes: its Content-Range gives the length, and the bytes hold the footer
 * (and for small files the whole file), so opening a file costs one request. After that, each
 * {@code readFully} the Parquet reader makes (a column chunk, usually) is one GET of exactly that
 * range; small reads are served from a {@value #READ_AHEAD}-byte read-ahead buffer.
 */
final class S3InputFile implements InputFile {
  static final int TAIL_BYTES = 64 * 1024;
  static final int READ_AHEAD = 64 * 1024;
  private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+)");

  private final S3FileIO io;
  private final S3Location location;
  private long length = -1;
  private byte[] tail;
  private long tailStart;

  S3InputFile(S3FileIO io, S3Location location) {
    this.io = io;
    this.location = location;
  }

  @Override
  public synchronized long getLength() {
    if (length < 0) {
      fetchTail();
    }
    return length;
  }

  private void fetchTail() {
    ResponseBytes<GetObjectResponse> bytes;
    try {
      bytes = io.get(location, "bytes=-" + TAIL_BYTES);
    } catch (StorageException e) {
      // An empty object has no byte to give: S3 answers 416 to any range of it.
      if (e.getCause() instanceof S3Exception s3 && s3.statusCode() == 416) {
        length = io.headLength(location);
        tail = new byte[0];
        tailStart = length;
        return;
      }
      throw e;
    }
    byte[] body = bytes.asByteArray();
    String range = bytes.response().contentRange();
    Matcher m = range == null ? null : CONTENT_RANGE.matcher(range);
    if (m != null && m.matches()) {
      length = Long.parseLong(m.group(3));
      tailStart = Long.parseLong(m.group(1));
    } else {
      // A server that ignores Range sent the whole object.
      length = body.length;
      tailStart = 0;
    }
    if (body.length != length - tailStart) {
      throw new StorageException("S3 sent " + body.length + " bytes for the last " + (length - tailStart)
          + " of " + location);
    }
    tail = body;
  }

  /** Reads {@code len} bytes at {@code position} into {@code out}, from the tail when it holds them. */
  void read(long position, byte[] out, int offset, int len) throws IOException {
    getLength();
    if (position < 0 || position + len > length) {
      throw new EOFException("Reading " + len + " bytes at " + position + " past the end (" + length + ") of "
          + location);
    }
    if (len == 0) {
      return;
    }
    if (position >= tailStart) {
      System.arraycopy(tail, (int) (position - tailStart), out, offset, len);
      return;
    }
    long end = position + len - 1;
    ResponseBytes<GetObjectResponse> bytes = io.get(location, "bytes=" + position + "-" + end);
    byte[] body = bytes.asByteArray();
    String range = bytes.response().contentRange();
    if (range == null && body.length == length) {
      System.arraycopy(body, (int) position, out, offset, len); // Range ignored: the whole object came
    } else if (body.length == len) {
      System.arraycopy(body, 0, out, offset, len);
    } else {
      throw new StorageException("S3 sent " + body.length + " bytes for a range of " + len + " at " + position
          + " of " + location);
    }
  }

  @Override
  public SeekableInputStream newStream() {
    return new Stream();
  }

  @Override
  public String toString() {
    return location.toString();
  }

  /** A position in the file and a small read-ahead buffer; large reads go straight to S3. */
  private final class Stream extends SeekableInputStream {
    private long pos;
    private byte[] buffer = new byte[0];
    private long bufferStart;
    private boolean closed;

    @Override
    public long getPos() {
      return pos;
    }

    @Override
    public void seek(long newPos) throws IOException {
      checkOpen();
      if (newPos < 0) {
        throw new EOFException("Negative position " + newPos + " in " + location);
      }
      pos = newPos;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      checkOpen();
      long remaining = getLength() - pos;
      if (len == 0) {
        return 0;
      }
      if (remaining <= 0) {
        return -1;
      }
      int n = (int) Math.min(len, remaining);
      readFully(b, off, n);
      return n;
    }

    @Override
    public void readFully(byte[] bytes) throws IOException {
      readFully(bytes, 0, bytes.length);
    }

    @Override
    public void readFully(byte[] bytes, int start, int len) throws IOException {
      checkOpen();
      if (pos >= bufferStart && pos + len <= bufferStart + buffer.length) {
        System.arraycopy(buffer, (int) (pos - bufferStart), bytes, start, len);
      } else if (len >= READ_AHEAD || pos >= tailStartOrLength()) {
        S3InputFile.this.read(pos, bytes, start, len);
      } else {
        // A small read (a page header, a length prefix): fetch some bytes beyond it too.
        int fill = (int) Math.min(Math.max(len, READ_AHEAD), getLength() - pos);
        if (fill < len) {
          throw new EOFException("Reading " + len + " bytes at " + pos + " past the end of " + location);
        }
        byte[] next = new byte[fill];
        S3InputFile.this.read(pos, next, 0, fill);
        buffer = next;
        bufferStart = pos;
        System.arraycopy(buffer, 0, bytes, start, len);
      }
      pos += len;
    }

    private long tailStartOrLength() {
      getLength();
      return tailStart;
    }

    @Override
    public int read(ByteBuffer buf) throws IOException {
      long remaining = getLength() - pos;
      if (!buf.hasRemaining()) {
        return 0;
      }
      if (remaining <= 0) {
        return -1;
      }
      int n = (int) Math.min(buf.remaining(), remaining);
      ByteBuffer slice = buf.slice();
      slice.limit(n);
      readFully(slice);
      buf.position(buf.position() + n);
      return n;
    }

    @Override
    public void readFully(ByteBuffer buf) throws IOException {
      int n = buf.remaining();
      if (buf.hasArray()) {
        readFully(buf.array(), buf.arrayOffset() + buf.position(), n);
        buf.position(buf.position() + n);
      } else {
        byte[] copy = new byte[n];
        readFully(copy, 0, n);
        buf.put(copy);
      }
    }

    @Override
    public int available() {
      return (int) Math.max(0, Math.min(Integer.MAX_VALUE, buffer.length - (pos - bufferStart)));
    }

    private void checkOpen() throws IOException {
      if (closed) {
        throw new IOException("Stream closed: " + location);
      }
    }

    @Override
    public void close() {
      closed = true;
      buffer = new byte[0];
    }
  }
}
