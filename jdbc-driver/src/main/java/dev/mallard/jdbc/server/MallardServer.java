package dev.mallard.jdbc.server;

import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.remote.Driver.Serialization;
import org.apache.calcite.avatica.remote.LocalService;
import org.apache.calcite.avatica.server.HttpServer;
import org.apache.calcite.avatica.server.ServerCustomizer;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves a lake over Avatica's HTTP protocol, to Avatica's remote JDBC driver
 * ({@code jdbc:avatica:remote:url=http://host:port;serialization=protobuf}) and to other Avatica
 * clients such as Python's phoenixdb. Each remote connection is a {@code jdbc:ducklake:} connection
 * inside the server. {@link #close()} stops taking requests, lets running ones finish (up to
 * {@link #GRACE_MILLIS}), then closes every connection.
 */
public final class MallardServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MallardServer.class);
  /** How long stopping waits for requests in flight. */
  static final long GRACE_MILLIS = 10_000;

  private final ServerConfig config;
  private final ServerMeta meta;
  private final HttpServer http;
  private final ScheduledExecutorService sweeper;
  private boolean closed;

  private MallardServer(ServerConfig config, ServerMeta meta, HttpServer http, ScheduledExecutorService sweeper) {
    this.config = config;
    this.meta = meta;
    this.http = http;
    this.sweeper = sweeper;
  }

  /** Starts serving; the lake is opened by each connection, so a bad URL shows at the first one. */
  public static MallardServer start(ServerConfig config) throws SQLException {
    ServerMeta meta = new ServerMeta(config);
    HttpServer.Builder<Server> builder = HttpServer.Builder.<Server>newBuilder()
        .withHandler(new LocalService(meta), serialization(config))
        .withPort(config.port())
        .withServerCustomizers(List.of(server -> customize(server, config)), Server.class);
    String users = config.usersFile() == null ? null : config.usersFile().toAbsolutePath().toString();
    String[] roles = {ServerConfig.ROLE};
    switch (config.authentication()) {
      case BASIC -> builder.withBasicAuthentication(users, roles);
      case DIGEST -> builder.withDigestAuthentication(users, roles);
      case NONE -> { }
    }
    HttpServer http = builder.build();
    http.start();
    ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "mallard-server-idle-sweeper");
      t.setDaemon(true);
      return t;
    });
    long every = Math.max(1, Math.min(30, config.idleTimeoutSeconds() / 2));
    sweeper.scheduleWithFixedDelay(meta::closeIdle, every, every, TimeUnit.SECONDS);
    LOG.info("Serving {} on {}:{} ({}, {}{})", config.url(), config.bind(), http.getPort(),
        config.serialization().name().toLowerCase(Locale.ROOT),
        config.authentication() == ServerConfig.Authentication.NONE ? "no authentication"
            : config.authentication().name().toLowerCase(Locale.ROOT) + " authentication",
        config.readOnly() ? ", read-only" : "");
    return new MallardServer(config, meta, http, sweeper);
  }

  /**
   * Binds the configured address (Avatica's builder binds every interface) and lets running
   * requests finish when the server stops.
   */
  private static void customize(Server server, ServerConfig config) {
    for (Connector connector : server.getConnectors()) {
      if (connector instanceof ServerConnector sc) {
        sc.setHost(config.bind());
      }
    }
    StatisticsHandler stats = new StatisticsHandler(); // what Jetty needs to stop gracefully
    stats.setHandler(server.getHandler());
    server.setHandler(stats);
    server.setStopTimeout(GRACE_MILLIS);
  }

  private static Serialization serialization(ServerConfig config) {
    return config.serialization() == ServerConfig.Serialization.JSON ? Serialization.JSON : Serialization.PROTOBUF;
  }

  /** The port it listens on (the one picked when configured with 0). */
  public int port() {
    return http.getPort();
  }

  public ServerConfig config() {
    return config;
  }

  /** The URL of Avatica's remote driver for this server, e.g. to put in a JDBC tool. */
  public String clientUrl() {
    String host = config.bind().equals("0.0.0.0") ? "127.0.0.1" : config.bind();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return "jdbc:avatica:remote:url=http://" + host + ":" + port() + ";serialization="
        + config.serialization().name().toLowerCase(Locale.ROOT);
  }

  /** Remote connections open now. */
  public long openConnections() {
    return meta.openConnections();
  }

  /** Waits until the server stops. */
  public void join() throws InterruptedException {
    http.join();
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    sweeper.shutdownNow();
    try {
      http.stop();
    } finally {
      meta.closeAll();
    }
    LOG.info("Stopped serving {}", config.url());
  }
}
