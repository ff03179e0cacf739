package dev.mallard.jdbc;

import dev.mallard.calcite.DuckLakeSchema;
import dev.mallard.calcite.LakeContext;
import dev.mallard.calcite.MallardPrepare;
import dev.mallard.calcite.MallardJavaTypeFactory;
import dev.mallard.calcite.MallardTypeSystem;
import dev.mallard.calcite.parser.MallardParserFactory;
import dev.mallard.engine.MallardException;
import dev.mallard.engine.catalog.CatalogConfig;
import dev.mallard.engine.catalog.DuckLakeCatalog;
import dev.mallard.engine.catalog.SchemaInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.WeakHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.calcite.avatica.AvaticaConnection;
import org.apache.calcite.avatica.AvaticaStatement;
import org.apache.calcite.avatica.DriverVersion;
import org.apache.calcite.avatica.Handler;
import org.apache.calcite.avatica.Meta;
import org.apache.calcite.avatica.HandlerImpl;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.jdbc.CalciteConnection;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.schema.SchemaPlus;

/**
 * The {@code jdbc:ducklake:} driver. A URL names the catalog database and options, e.g.
 * {@code jdbc:ducklake:sqlite:/data/lake.sqlite?data_path=/data/files/&snapshot=5}; the lake's
 * schemas become the connection's schemas, {@code main} the default.
 */
public final class DuckLakeDriver extends org.apache.calcite.jdbc.Driver {
  public static final String PREFIX = "jdbc:ducklake:";

  /** The instance DriverManager hands connections to. */
  private static final DuckLakeDriver REGISTERED = new DuckLakeDriver();

  static {
    REGISTERED.register();
  }

  /** Hands the lake opened in {@link #connect} to the handler that sets up the same connection. */
  private final ThreadLocal<LakeContext> opening = new ThreadLocal<>();
  private final Map<AvaticaConnection, Session> byConnection = Collections.synchronizedMap(new WeakHashMap<>());
  /** The same sessions by root schema, which is what statement preparation knows of its connection. */
  private final Map<CalciteSchema, Session> byRootSchema = Collections.synchronizedMap(new WeakHashMap<>());

  /** The session of a connection this driver opened. */
  static Session session(Connection connection) throws SQLException {
    Session session = REGISTERED.byConnection.get(connection.unwrap(AvaticaConnection.class));
    if (session == null) {
      throw new SQLException("Not an open connection of the jdbc:ducklake: driver");
    }
    return session;
  }

  @Override
  protected String getConnectStringPrefix() {
    return PREFIX;
  }

  /**
   * Makes {@code connection}'s results fail on a TIMESTAMP value with digits below the millisecond
   * instead of showing it exactly: for the remote server, whose protocol (Avatica's) carries
   * timestamps in milliseconds and would drop them.
   */
  public static void refuseTimestampsFinerThanMilliseconds(Connection connection) throws SQLException {
    session(connection).refuseTimestampsFinerThanMilliseconds();
  }

  /** Calcite's JDBC objects, with result sets that show TIMESTAMP(6) and (9) exactly. */
  @Override
  protected String getFactoryClassName(org.apache.calcite.avatica.UnregisteredDriver.JdbcVersion jdbcVersion) {
    return MallardJdbcFactory.class.getName();
  }

  @Override
  protected DriverVersion createDriverVersion() {
    return new DriverVersion("Mallard DuckLake JDBC Driver", Version.TEXT, "Mallard", Version.TEXT, true,
        Version.MAJOR, Version.MINOR, Version.MAJOR, Version.MINOR);
  }

  @Override
  public Connection connect(String url, Properties info) throws SQLException {
    if (!acceptsURL(url)) {
      return null;
    }
    Map<String, String> lakeOptions = new HashMap<>();
    Properties calcite = new Properties();
    calcite.setProperty("caseSensitive", "false");
    calcite.setProperty("unquotedCasing", "UNCHANGED");
    calcite.setProperty("quotedCasing", "UNCHANGED");
    calcite.setProperty("conformance", "BABEL");
    // DuckDB sorts NULLs last whatever the direction (Calcite's default puts them first in DESC).
    calcite.setProperty("defaultNullCollation", "LAST");
    // Mallard's grammar: DuckDB's reserved words only (columns named day, year or value work),
    // time travel, and DDL run by MallardDdlExecutor.
    calcite.setProperty("parserFactory", MallardParserFactory.class.getName() + "#INSTANCE");
    calcite.setProperty("typeSystem", MallardTypeSystem.class.getName() + "#EXACT_TIMESTAMPS");
    for (String key : info.stringPropertyNames()) {
      if (CatalogConfig.OPTIONS.contains(key.toLowerCase())) {
        lakeOptions.put(key, info.getProperty(key));
      } else {
        calcite.setProperty(key, info.getProperty(key));
      }
    }
    LakeContext lake;
    try {
      lake = new LakeContext(DuckLakeCatalog.open(CatalogConfig.parse(url.substring(PREFIX.length()), lakeOptions)));
    } catch (MallardException e) {
      throw Errors.toSqlException(e);
    }
    opening.set(lake);
    try {
      // Calcite's Driver.connect, with Mallard's Java types (TIME(6) and TIME(9) as longs).
      AvaticaConnection connection = new org.apache.calcite.jdbc.MallardConnection(this, factory, PREFIX,
          org.apache.calcite.avatica.ConnectStringParser.parse("", calcite),
          new MallardJavaTypeFactory(MallardTypeSystem.EXACT_TIMESTAMPS));
      handler.onConnectionInit(connection);
      return connection;
    } catch (SQLException | RuntimeException e) {
      lake.close();
      throw e;
    } finally {
      opening.remove();
    }
  }


  @Override
  public Meta createMeta(AvaticaConnection connection) {
    return TransactionalMeta.wrap(super.createMeta(connection), opening.get(), () -> {
      try {
        return connection.unwrap(CalciteConnection.class).getRootSchema().unwrap(CalciteSchema.class);
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    });
  }

  /**
   * Calcite's preparation with Mallard's rules, so writes to lakes plan, inside the driver's own:
   * plans reused per connection, and row limits, timeouts and cancel applied to every execution.
   */
  @Override
  public CalcitePrepare createPrepare() {
    return new StatementPrepare(new MallardPrepare(), byRootSchema::get);
  }

  @Override
  protected Handler createHandler() {
    Handler calcite = super.createHandler();
    return new HandlerImpl() {
      @Override
      public void onConnectionInit(AvaticaConnection connection) throws SQLException {
        calcite.onConnectionInit(connection);
        LakeContext lake = opening.get();
        SchemaPlus root = connection.unwrap(CalciteConnection.class).getRootSchema();
        Session session = new Session(lake);
        byConnection.put(connection, session);
        byRootSchema.put(root.unwrap(CalciteSchema.class), session);
        DuckLakeCatalog catalog = lake.catalog();
        for (SchemaInfo schema : catalog.view(catalog.currentSnapshot()).schemas()) {
          // Lake schemas sit at the root, where JDBC metadata (and so GUI tools) can list them.
          SchemaPlus added = root.add(schema.name(), new DuckLakeSchema(lake, schema.name()));
          added.setCacheEnabled(false);
        }
        if (root.subSchemas().get("main") != null) {
          connection.setSchema("main");
        }
        connection.setAutoCommit(true); // JDBC's default; Calcite's own starts with it off
      }

      @Override
      public void onStatementExecute(AvaticaStatement statement, ResultSink resultSink) {
        calcite.onStatementExecute(statement, resultSink);
        Session session = byConnection.get(statement.connection);
        if (session == null) {
          return;
        }
        try {
          AtomicBoolean cancelFlag = statement.connection.getCancelFlag(statement.handle);
          // A new execution: a cancel of the previous one must not stop it.
          cancelFlag.set(false);
          session.executionStarts(cancelFlag, statement.getLargeMaxRows());
        } catch (NoSuchStatementException | SQLException e) {
          throw new IllegalStateException("The statement being executed is unknown to its connection", e);
        }
      }

      @Override
      public void onConnectionClose(AvaticaConnection connection) {
        calcite.onConnectionClose(connection);
        Session session = byConnection.remove(connection);
        if (session != null) {
          session.lake().close();
        }
      }
    };
  }
}
