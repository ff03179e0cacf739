package dev.mallard.examples;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;

/**
 * The forms of a {@code jdbc:ducklake:} URL: {@code jdbc:ducklake:<catalog database>:<location>}
 * with options in the query string or as connection properties.
 */
public final class JdbcUrls {
  private JdbcUrls() {}

  /** URL forms, for reference; {@link #main} opens the ones that need no server. */
  public static final List<String> FORMS = List.of(
      // A catalog in a SQLite file; data files where the catalog's data_path says.
      "jdbc:ducklake:sqlite:/data/lake.sqlite",
      // The data files moved: read them from another directory (or s3://bucket/prefix/).
      "jdbc:ducklake:sqlite:/data/lake.sqlite?data_path=/mnt/copy/files/",
      // Time travel: a snapshot by id, or the newest at or before a time.
      "jdbc:ducklake:sqlite:/data/lake.sqlite?snapshot=3",
      "jdbc:ducklake:sqlite:/data/lake.sqlite?snapshot_time=2025-01-06%2010:00:00%2B00",
      // Refuse writes on this connection.
      "jdbc:ducklake:sqlite:/data/lake.sqlite?read_only=true",
      // A catalog in DuckDB's own database file (opened read-only).
      "jdbc:ducklake:duckdb:/data/lake.duckdb",
      // Catalogs in PostgreSQL and MySQL/MariaDB; the password may also come as a property or
      // from PGPASSWORD / MYSQL_PWD.
      "jdbc:ducklake:postgresql://lake_user@db.example.com:5432/lakes",
      "jdbc:ducklake:mysql://lake_user@db.example.com:3306/lakes",
      // S3 data with an explicit endpoint (MinIO and the like).
      "jdbc:ducklake:postgresql://db/lakes?s3_endpoint=minio:9000&s3_use_ssl=false&s3_path_style=true",
      // Through a Mallard server instead of in this JVM: Avatica's remote driver.
      "jdbc:avatica:remote:url=http://127.0.0.1:8765;serialization=protobuf");

  public static void main(String[] args) throws SQLException {
    String catalog = args.length > 0 ? args[0] : "examples/sample-lake/lake.sqlite";
    FORMS.forEach(System.out::println);
    System.out.println();
    System.out.println("sales rows, latest:      " + count("jdbc:ducklake:sqlite:" + catalog, new Properties()));
    System.out.println("sales rows, snapshot 4:  " + count("jdbc:ducklake:sqlite:" + catalog + "?snapshot=4",
        new Properties()));
    Properties readOnly = new Properties();
    readOnly.setProperty("read_only", "true"); // the same option as a property
    System.out.println("sales rows, read-only:   " + count("jdbc:ducklake:sqlite:" + catalog, readOnly));
  }

  static long count(String url, Properties properties) throws SQLException {
    try (Connection c = DriverManager.getConnection(url, properties);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM sales")) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
