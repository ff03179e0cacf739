package dev.mallard.jdbc;

import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.txn.Transaction;
import dev.mallard.testing.MariaDbServer;
import dev.mallard.testing.PostgresServer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A new, empty lake catalog in one backend (SQLite, PostgreSQL, MySQL on MariaDB) with local data
 * files, for tests that write from child processes: Mallard's URL without the password, the
 * password as an option, the environment variable that gives it to a child process, and DuckDB's
 * ATTACH statement for it (as {@code lake}).
 */
record CatalogTarget(String url, Map<String, String> login, Map<String, String> environment, String duckDbAttach) {

  static CatalogTarget create(String backend, Path dir) {
    // Many processes connecting at once to a server on a loaded 2-core machine can take more than
    // the default 10 s; a slow connect is not what these tests are about.
    String data = "connect_timeout=60&data_path=" + dir.resolve("data") + "/";
    switch (backend) {
      case "sqlite" -> {
        Path catalog = dir.resolve("lake.sqlite");
        return new CatalogTarget("sqlite:" + catalog + "?" + data, Map.of(), Map.of(),
            "ATTACH 'ducklake:sqlite:" + catalog + "' AS lake");
      }
      case "postgresql" -> {
        PostgresServer pg = PostgresServer.shared();
        String db = pg.createDatabase("workers");
        return new CatalogTarget("postgresql://" + pg.host() + ":" + pg.port() + "/" + db + "?user=" + pg.user() + "&"
            + data, Map.of("password", pg.password()), Map.of("PGPASSWORD", pg.password()),
            "ATTACH 'ducklake:postgres:" + pg.libpq(db) + "' AS lake");
      }
      case "mysql" -> {
        MariaDbServer my = MariaDbServer.shared();
        String db = my.createDatabase("workers");
        return new CatalogTarget("mysql://" + my.host() + ":" + my.port() + "/" + db + "?user=" + my.user() + "&"
            + data, Map.of("password", my.password()), Map.of("MYSQL_PWD", my.password()),
            "ATTACH 'ducklake:mysql:" + my.dsn(db) + "' AS lake");
      }
      default -> throw new IllegalArgumentException(backend);
    }
  }

  /** Creates the lake with one table {@code main.t}. */
  void createLakeWithTable(List<NewColumn> columns) {
    try (DuckLakeCatalog catalog = DuckLakeCatalog.open(CatalogConfig.parse(url + "&create=true", login))) {
      Transaction t = new Transaction(catalog);
      t.createTable("main", "t", columns, false);
      t.commit();
    }
  }

  /** Mallard's URL with the password in it, for connections in the test's own process. */
  String urlWithPassword() {
    return url + (login.containsKey("password") ? "&password=" + login.get("password") : "");
  }

  /** A child JVM running {@code main} with {@code args}, with the password in its environment. */
  ProcessBuilder childJvm(Class<?> main, String... args) {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        // Small and quickly started: the children run a few hundred short commits each.
        "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), main.getName()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(environment);
    return pb;
  }
}
