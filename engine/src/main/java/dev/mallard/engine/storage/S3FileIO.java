package dev.mallard.engine.storage;

import dev.mallard.engine.MallardException.StorageException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.OutputFile;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Files in S3-compatible object storage, addressed as {@code s3://bucket/key}. Reads are ranged
 * GETs: a file's length and its Parquet footer come from one request for the file's tail, and each
 * column chunk from one request for its byte range (see {@link S3InputFile}).
 *
 * <p>Writes fit the {@link FileIO} contract without temporary names: an S3 object becomes visible
 * only when its PUT, or the completion of its multipart upload, succeeds ({@link S3OutputFile}).
 * Connecting waits {@link S3Settings#connectTimeout()}; the SDK tries each request up to 3 times.
 */
public final class S3FileIO implements FileIO {
  private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(60);

  private final S3Client client;
  private final String endpointDescription;
  private final AtomicLong requests = new AtomicLong();

  public S3FileIO(S3Settings settings) {
    var builder = S3Client.builder()
        .httpClient(UrlConnectionHttpClient.builder().connectionTimeout(settings.connectTimeout())
            .socketTimeout(SOCKET_TIMEOUT).build())
        .region(region(settings))
        .credentialsProvider(credentials(settings))
        .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(settings.pathStyle()).build())
        // Checksums only where S3 demands them: many S3-compatible servers do not support the
        // newer ones, and ranged reads cannot be validated against a whole-object checksum anyway.
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    this.client = builder.build();
    this.endpointDescription = settings.endpoint() == null ? "AWS S3" : settings.endpoint().toString();
  }

  private static Region region(S3Settings settings) {
    if (settings.region() != null) {
      return Region.of(settings.region());
    }
    try {
      return new DefaultAwsRegionProviderChain().getRegion();
    } catch (SdkClientException e) {
      return Region.US_EAST_1; // DuckDB's default s3_region too
    }
  }

  private static AwsCredentialsProvider credentials(S3Settings settings) {
    if (!settings.hasStaticCredentials()) {
      return DefaultCredentialsProvider.builder().build();
    }
    return StaticCredentialsProvider.create(settings.sessionToken() == null
        ? AwsBasicCredentials.create(settings.accessKeyId(), settings.secretAccessKey())
        : AwsSessionCredentials.create(settings.accessKeyId(), settings.secretAccessKey(), settings.sessionToken()));
  }

  @Override
  public InputFile newInputFile(String location) {
    return new S3InputFile(this, S3Location.parse(location));
  }

  @Override
  public boolean exists(String location) {
    S3Location at = S3Location.parse(location);
    requests.incrementAndGet();
    try {
      client.headObject(HeadObjectRequest.builder().bucket(at.bucket()).key(at.key()).build());
      return true;
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        return false;
      }
      throw failure("checking", at, e);
    } catch (SdkException e) {
      throw failure("checking", at, e);
    }
  }

  /** A new object, uploaded in parts of 8 MiB when it is larger than one part. */
  @Override
  public OutputFile newOutputFile(String location) {
    return new S3OutputFile(this, S3Location.parse(location), S3OutputFile.DEFAULT_PART_SIZE);
  }

  /** A new object uploaded in parts of {@code partSize} bytes (at least 5 MiB). */
  OutputFile newOutputFile(String location, int partSize) {
    return new S3OutputFile(this, S3Location.parse(location), partSize);
  }

  @Override
  public void delete(String location) {
    S3Location at = S3Location.parse(location);
    requests.incrementAndGet();
    try {
      client.deleteObject(DeleteObjectRequest.builder().bucket(at.bucket()).key(at.key()).build());
    } catch (SdkException e) {
      throw failure("deleting", at, e);
    }
  }

  /** Every object whose key starts with the prefix's key, one ListObjectsV2 request per 1,000. */
  @Override
  public java.util.List<Listed> list(String prefix) {
    if (!prefix.startsWith(S3Location.SCHEME)) {
      throw new dev.mallard.engine.MallardException.UserException("Not an S3 location (expected s3://bucket/prefix): "
          + prefix);
    }
    String rest = prefix.substring(S3Location.SCHEME.length());
    int slash = rest.indexOf('/');
    S3Location at = new S3Location(slash < 0 ? rest : rest.substring(0, slash), slash < 0 ? "" : rest.substring(slash + 1));
    java.util.List<Listed> out = new java.util.ArrayList<>();
    String token = null;
    try {
      do {
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(at.bucket()).prefix(at.key());
        if (token != null) {
          request.continuationToken(token);
        }
        requests.incrementAndGet();
        ListObjectsV2Response page = client.listObjectsV2(request.build());
        for (S3Object o : page.contents()) {
          out.add(new Listed(new S3Location(at.bucket(), o.key()).toString(), o.lastModified()));
        }
        token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
      } while (token != null);
    } catch (SdkException e) {
      throw failure("listing", at, e);
    }
    return out;
  }

  S3Client client() {
    return client;
  }

  void countRequest() {
    requests.incrementAndGet();
  }

  /** How many requests this FileIO has sent, for tests and metrics. */
  public long requestCount() {
    return requests.get();
  }

  /**
   * GETs {@code range} (an HTTP Range value such as {@code bytes=-65536} or {@code bytes=0-99}) of
   * an object. A server that ignores Range answers with the whole object, so callers check the
   * returned Content-Range.
   */
  ResponseBytes<GetObjectResponse> get(S3Location at, String range) {
    requests.incrementAndGet();
    try {
      return client.getObject(GetObjectRequest.builder().bucket(at.bucket()).key(at.key()).range(range).build(),
          ResponseTransformer.toBytes());
    } catch (SdkException e) {
      throw failure("reading", at, e);
    }
  }

  long headLength(S3Location at) {
    requests.incrementAndGet();
    try {
      return client.headObject(HeadObjectRequest.builder().bucket(at.bucket()).key(at.key()).build())
          .contentLength();
    } catch (SdkException e) {
      throw failure("reading", at, e);
    }
  }

  /** A storage error that says what failed and what to check; never any credential. */
  StorageException failure(String doing, S3Location at, SdkException e) {
    if (e instanceof S3Exception s3) {
      String code = s3.awsErrorDetails() == null ? null : s3.awsErrorDetails().errorCode();
      int status = s3.statusCode();
      if ("NoSuchBucket".equals(code)) {
        return new StorageException("Bucket '" + at.bucket() + "' does not exist at " + endpointDescription
            + " (" + doing + " " + at + ")", e);
      }
      if ("NoSuchKey".equals(code) || status == 404) {
        return new StorageException("File not found: " + at + " (at " + endpointDescription + ")", e);
      }
      if (status == 403 || "AccessDenied".equals(code) || "InvalidAccessKeyId".equals(code)
          || "SignatureDoesNotMatch".equals(code)) {
        return new StorageException("Access denied " + doing + " " + at + " at " + endpointDescription + " ("
            + (code == null ? "HTTP 403" : code) + "): check s3_access_key_id and s3_secret_access_key, or the"
            + " AWS credential chain, and the bucket's permissions", e);
      }
      return new StorageException("S3 error " + doing + " " + at + " at " + endpointDescription + ": HTTP " + status
          + (code == null ? "" : " " + code), e);
    }
    return new StorageException("Cannot reach " + endpointDescription + " " + doing + " " + at + ": "
        + e.getMessage(), e);
  }

  @Override
  public void close() {
    client.close();
  }
}
