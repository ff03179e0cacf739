package dev.mallard.testing;

import java.net.URI;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;

/**
 * An S3-compatible server in this JVM (S3Proxy over an in-memory store) on 127.0.0.1 and a free
 * port, started once per JVM on first use and stopped when the JVM exits. It checks AWS v2/v4
 * signatures against one key pair, so wrong credentials are refused as by real S3. Buckets are
 * addressed path-style ({@code http://127.0.0.1:port/bucket/key}).
 */
public final class S3Server {
  private static S3Server shared;

  private final S3Proxy proxy;
  private final BlobStore store;
  private final String accessKeyId = "mallard-test-key";
  private final String secretAccessKey = "mallard-test-secret-0123456789";
  private final AtomicInteger buckets = new AtomicInteger();

  private S3Server() {
    store = BlobStores.create("transient", new Properties());
    proxy = S3Proxy.builder().blobStore(store).endpoint(URI.create("http://127.0.0.1:0"))
        .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKeyId, secretAccessKey).build();
    try {
      proxy.start();
      long deadline = System.currentTimeMillis() + 30_000;
      while (!"STARTED".equals(proxy.getState())) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("S3Proxy did not start within 30 s (state " + proxy.getState() + ")");
        }
        Thread.sleep(20);
      }
    } catch (Exception e) {
      throw new IllegalStateException("Cannot start S3Proxy: " + e, e);
    }
  }

  /** The server of this JVM, started on first call (well under a second). */
  public static synchronized S3Server shared() {
    if (shared == null) {
      S3Server server = new S3Server();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.proxy.stop();
        } catch (Exception e) {
          // the JVM is exiting anyway
        }
      }, "stop-s3proxy"));
      shared = server;
    }
    return shared;
  }

  /** {@code 127.0.0.1:port}, as DuckDB's {@code ENDPOINT} takes it. */
  public String hostAndPort() {
    return "127.0.0.1:" + proxy.getPort();
  }

  /** {@code http://127.0.0.1:port}. */
  public String endpoint() {
    return "http://" + hostAndPort();
  }

  public String accessKeyId() {
    return accessKeyId;
  }

  public String secretAccessKey() {
    return secretAccessKey;
  }

  /** A new, empty bucket with a unique name starting with {@code prefix}. */
  public String createBucket(String prefix) {
    String name = prefix + "-" + buckets.incrementAndGet();
    store.createContainer(name);
    return name;
  }

  /** The Mallard URL options that reach this server with its credentials. */
  public String mallardOptions() {
    return "s3_endpoint=" + endpoint() + "&s3_path_style=true&s3_region=us-east-1&s3_access_key_id=" + accessKeyId
        + "&s3_secret_access_key=" + secretAccessKey;
  }

  /** DuckDB's secret for this server: path-style, plain HTTP. */
  public String duckDbSecret(String name) {
    return "CREATE OR REPLACE SECRET " + name + " (TYPE s3, KEY_ID '" + accessKeyId + "', SECRET '" + secretAccessKey
        + "', ENDPOINT '" + hostAndPort() + "', URL_STYLE 'path', USE_SSL false, REGION 'us-east-1')";
  }
}
