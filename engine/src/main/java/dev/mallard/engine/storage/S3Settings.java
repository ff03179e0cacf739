package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.UserException;
import java.net.URI;
import java.time.Duration;

/**
 * How to reach S3-compatible storage. Every part is optional: without an endpoint the client talks
 * to AWS; without a region it asks the AWS region chain and falls back to {@code us-east-1}, as
 * DuckDB does; without static keys it uses the AWS default credential chain (environment,
 * profile, container or instance role).
 *
 * <p>{@link #toString()} never shows the secret key or the session token.
 *
 * @param endpoint an S3-compatible server such as {@code http://127.0.0.1:9000}, or null for AWS
 * @param pathStyle address buckets as {@code endpoint/bucket/key} instead of {@code bucket.endpoint/key}
 *     (most S3-compatible servers need it)
 * @param connectTimeout how long to wait for the S3 server to accept a connection (the catalog's
 *     {@code connect_timeout}); each request is tried up to 3 times, as the AWS SDK does by default
 */
public record S3Settings(
    URI endpoint,
    String region,
    boolean pathStyle,
    String accessKeyId,
    String secretAccessKey,
    String sessionToken,
    Duration connectTimeout) {

  /** Without a connect_timeout, an S3 server gets this long to accept a connection. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  /** AWS with the default region and credential chains. */
  public static final S3Settings DEFAULT = new S3Settings(null, null, false, null, null, null);

  /** Settings with the default connect timeout. */
  public S3Settings(URI endpoint, String region, boolean pathStyle, String accessKeyId, String secretAccessKey,
      String sessionToken) {
    this(endpoint, region, pathStyle, accessKeyId, secretAccessKey, sessionToken, DEFAULT_CONNECT_TIMEOUT);
  }

  public S3Settings {
    if (connectTimeout == null) {
      connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    }
    if ((accessKeyId == null) != (secretAccessKey == null)) {
      throw new UserException("Give both s3_access_key_id and s3_secret_access_key, or neither (then the AWS"
          + " default credential chain is used)");
    }
    if (sessionToken != null && accessKeyId == null) {
      throw new UserException("s3_session_token needs s3_access_key_id and s3_secret_access_key");
    }
    if (endpoint != null && (endpoint.getScheme() == null || endpoint.getHost() == null)) {
      throw new UserException("s3_endpoint must be a host with an optional port, or a URL such as"
          + " http://127.0.0.1:9000");
    }
  }

  /**
   * An endpoint as given by the user: {@code http(s)://host[:port]}, or {@code host[:port]} as DuckDB
   * takes it, which means https unless {@code useSsl} is false.
   */
  public static URI endpoint(String text, boolean useSsl) {
    if (text == null || text.isBlank()) {
      return null;
    }
    String trimmed = text.strip();
    String withScheme = trimmed.contains("://") ? trimmed : (useSsl ? "https://" : "http://") + trimmed;
    try {
      return URI.create(withScheme);
    } catch (IllegalArgumentException e) {
      throw new UserException("s3_endpoint is not a valid host or URL: '" + text + "'");
    }
  }

  public boolean hasStaticCredentials() {
    return accessKeyId != null;
  }

  @Override
  public String toString() {
    return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle
        + ", accessKeyId=" + accessKeyId + ", secretAccessKey=" + (secretAccessKey == null ? null : "***")
        + ", sessionToken=" + (sessionToken == null ? null : "***") + ", connectTimeout=" + connectTimeout + "]";
  }
}
