package dev.mallard.jdbc.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * How a {@link MallardServer} serves a lake.
 *
 * @param url the lake's {@code jdbc:ducklake:} URL; every remote connection opens it
 * @param bind the address to listen on; loopback unless told otherwise
 * @param port the TCP port; 0 picks a free one
 * @param serialization the Avatica wire format clients must use
 * @param authentication who may connect
 * @param usersFile for BASIC or DIGEST: a Jetty realm file, one {@code user: password,role} a line
 * @param readOnly refuse every statement that is not a query, before it reaches the engine
 * @param maxConnections remote connections open at once; more are refused
 * @param idleTimeoutSeconds a connection or statement unused this long is closed
 */
public record ServerConfig(String url, String bind, int port, Serialization serialization,
    Authentication authentication, Path usersFile, boolean readOnly, int maxConnections, long idleTimeoutSeconds) {

  public static final int DEFAULT_PORT = 8765;
  public static final String DEFAULT_BIND = "127.0.0.1";
  public static final int DEFAULT_MAX_CONNECTIONS = 100;
  public static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 600;
  /** The role every user in the users file must have. */
  public static final String ROLE = "mallard";

  public static final String USAGE = String.join("\n",
      "java -jar mallard.jar server --url jdbc:ducklake:... [options]",
      "  --port N                  TCP port (default " + DEFAULT_PORT + "; 0 picks a free one)",
      "  --bind ADDRESS            address to listen on (default " + DEFAULT_BIND + "; 0.0.0.0 for every interface)",
      "  --serialization FORMAT    protobuf (default) or json; clients must use the same",
      "  --auth basic|digest       require a user and password (HTTP BASIC or DIGEST)",
      "  --users FILE              with --auth: lines of 'user: password," + ROLE + "'",
      "  --read-only               accept queries only; refuse DDL and DML",
      "  --max-connections N       remote connections open at once (default " + DEFAULT_MAX_CONNECTIONS + ")",
      "  --idle-timeout SECONDS    close connections and statements unused this long (default "
          + DEFAULT_IDLE_TIMEOUT_SECONDS + ")");

  /** Avatica's two wire formats. */
  public enum Serialization { PROTOBUF, JSON }

  /** Who may connect. */
  public enum Authentication { NONE, BASIC, DIGEST }

  public ServerConfig {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(serialization, "serialization");
    Objects.requireNonNull(authentication, "authentication");
    if (!url.startsWith("jdbc:ducklake:")) {
      throw new IllegalArgumentException("--url must be a jdbc:ducklake: URL, not '" + url + "'");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("--port must be between 0 and 65535, not " + port);
    }
    if (maxConnections < 1) {
      throw new IllegalArgumentException("--max-connections must be at least 1, not " + maxConnections);
    }
    if (idleTimeoutSeconds < 1) {
      throw new IllegalArgumentException("--idle-timeout must be at least 1 second, not " + idleTimeoutSeconds);
    }
    if (authentication != Authentication.NONE && usersFile == null) {
      throw new IllegalArgumentException("--auth " + authentication.name().toLowerCase(Locale.ROOT)
          + " needs --users FILE");
    }
    if (authentication == Authentication.NONE && usersFile != null) {
      throw new IllegalArgumentException("--users needs --auth basic or --auth digest");
    }
    if (usersFile != null && !Files.isReadable(usersFile)) {
      throw new IllegalArgumentException("The users file " + usersFile + " does not exist or cannot be read");
    }
  }

  /** The defaults for a lake: loopback, port 8765, protobuf, no authentication, read-write. */
  public static ServerConfig of(String url) {
    return new ServerConfig(url, DEFAULT_BIND, DEFAULT_PORT, Serialization.PROTOBUF, Authentication.NONE, null,
        false, DEFAULT_MAX_CONNECTIONS, DEFAULT_IDLE_TIMEOUT_SECONDS);
  }

  /** Parses the {@code server} command's options; a bad option is an IllegalArgumentException. */
  public static ServerConfig parse(String... args) {
    String url = null;
    String bind = DEFAULT_BIND;
    int port = DEFAULT_PORT;
    Serialization serialization = Serialization.PROTOBUF;
    Authentication authentication = Authentication.NONE;
    Path users = null;
    boolean readOnly = false;
    int maxConnections = DEFAULT_MAX_CONNECTIONS;
    long idleTimeout = DEFAULT_IDLE_TIMEOUT_SECONDS;
    for (int i = 0; i < args.length; i++) {
      String option = args[i];
      if (option.equals("--read-only")) {
        readOnly = true;
        continue;
      }
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("Unknown option or missing value: " + option);
      }
      String value = args[++i];
      switch (option) {
        case "--url" -> url = value;
        case "--bind" -> bind = value;
        case "--port" -> port = integer(option, value);
        case "--serialization" -> serialization = choice(Serialization.class, option, value);
        case "--auth" -> authentication = choice(Authentication.class, option, value);
        case "--users" -> users = Path.of(value);
        case "--max-connections" -> maxConnections = integer(option, value);
        case "--idle-timeout" -> idleTimeout = integer(option, value);
        default -> throw new IllegalArgumentException("Unknown option: " + option);
      }
    }
    if (url == null) {
      throw new IllegalArgumentException("--url jdbc:ducklake:... is required");
    }
    return new ServerConfig(url, bind, port, serialization, authentication, users, readOnly, maxConnections,
        idleTimeout);
  }

  public ServerConfig withPort(int newPort) {
    return new ServerConfig(url, bind, newPort, serialization, authentication, usersFile, readOnly, maxConnections,
        idleTimeoutSeconds);
  }

  public ServerConfig withReadOnly(boolean newReadOnly) {
    return new ServerConfig(url, bind, port, serialization, authentication, usersFile, newReadOnly, maxConnections,
        idleTimeoutSeconds);
  }

  public ServerConfig withSerialization(Serialization newSerialization) {
    return new ServerConfig(url, bind, port, newSerialization, authentication, usersFile, readOnly, maxConnections,
        idleTimeoutSeconds);
  }

  public ServerConfig withAuthentication(Authentication newAuthentication, Path newUsersFile) {
    return new ServerConfig(url, bind, port, serialization, newAuthentication, newUsersFile, readOnly, maxConnections,
        idleTimeoutSeconds);
  }

  public ServerConfig withLimits(int newMaxConnections, long newIdleTimeoutSeconds) {
    return new ServerConfig(url, bind, port, serialization, authentication, usersFile, readOnly, newMaxConnections,
        newIdleTimeoutSeconds);
  }

  private static int integer(String option, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, not '" + value + "'");
    }
  }

  private static <E extends Enum<E>> E choice(Class<E> type, String option, String value) {
    try {
      return Enum.valueOf(type, value.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(option + " must be one of "
          + java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT)).toList()
          + ", not '" + value + "'");
    }
  }
}
