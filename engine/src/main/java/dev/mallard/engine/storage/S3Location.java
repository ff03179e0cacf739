package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.UserException;

/**
 * A bucket and key parsed from {@code s3://bucket/key}. The key is kept exactly as written (no
 * percent-decoding): DuckDB writes keys verbatim, spaces and all, and the SDK encodes them.
 */
record S3Location(String bucket, String key) {
  static final String SCHEME = "s3://";

  static S3Location parse(String location) {
    if (!location.startsWith(SCHEME)) {
      throw new UserException("Not an S3 location (expected s3://bucket/key): " + location);
    }
    String rest = location.substring(SCHEME.length());
    int slash = rest.indexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      throw new UserException("An S3 location needs a bucket and a key (s3://bucket/key): " + location);
    }
    return new S3Location(rest.substring(0, slash), rest.substring(slash + 1));
  }

  @Override
  public String toString() {
    return SCHEME + bucket + "/" + key;
  }
}
