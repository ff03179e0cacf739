package dev.mallard.jdbc;

import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.util.Properties;

/**
 * Avatica's thin remote driver ({@code org.apache.calcite.avatica:avatica}, as an application would
 * use it) loaded in a class loader of its own, apart from the server's classes on the test class
 * path, so that what a remote client sees is what goes over the wire.
 */
final class AvaticaClient {
  private static Driver driver;

  private AvaticaClient() {}

  /** The directory of client jars the build copies (see the pom's copy-test-clients). */
  static Path clientsDir() {
    String dir = System.getProperty("mallard.test.clients");
    if (dir == null || !Files.isDirectory(Path.of(dir))) {
      throw new IllegalStateException("mallard.test.clients is not set to the directory of client jars (run through"
          + " Maven, which copies them): " + dir);
    }
    return Path.of(dir);
  }

  /** The class path of a Java program using only the thin client. */
  static String classPath() {
    return clientsDir().resolve("avatica-client.jar") + java.io.File.pathSeparator
        + clientsDir().resolve("slf4j-api.jar");
  }

  static synchronized Driver driver() {
    if (driver == null) {
      try {
        URL[] jars = {clientsDir().resolve("avatica-client.jar").toUri().toURL(),
            clientsDir().resolve("slf4j-api.jar").toUri().toURL()};
        ClassLoader loader = new URLClassLoader("avatica-client", jars, ClassLoader.getPlatformClassLoader());
        driver = (Driver) loader.loadClass("org.apache.calcite.avatica.remote.Driver").getConstructor().newInstance();
      } catch (MalformedURLException | ReflectiveOperationException e) {
        throw new IllegalStateException("Cannot load Avatica's remote driver", e);
      }
    }
    return driver;
  }

  static Connection connect(String url) throws SQLException {
    return connect(url, new Properties());
  }

  static Connection connect(String url, Properties properties) throws SQLException {
    Connection c = driver().connect(url, properties);
    if (c == null) {
      throw new SQLException("Avatica's driver does not take " + url);
    }
    return c;
  }
}
