package dev.mallard.jdbc.server;

import dev.mallard.jdbc.DuckLakeDriver;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.calcite.avatica.AvaticaSeverity;
import org.apache.calcite.avatica.NoSuchStatementException;
import org.apache.calcite.avatica.jdbc.JdbcMeta;
import org.apache.calcite.avatica.remote.AvaticaRuntimeException;
import org.apache.calcite.avatica.remote.TypedValue;
import org.apache.calcite.avatica.proto.Requests;

/**
 * Avatica's JDBC-backed Meta, with the server's policies: each remote connection opens the lake
 * with the server's options and only the client options that are safe to take from a client; at
 * most so many connections at once; and, when read-only, only queries.
 */
final class ServerMeta extends JdbcMeta {
  /**
   * The connection options a client may set: which snapshot it reads. Anything else (a data path,
   * creating a catalog, a Calcite model or schema factory) would let a client reach beyond the lake.
   */
  static final Set<String> CLIENT_OPTIONS = Set.of("snapshot", "snapshot_time");
  /** SQLSTATE of a connection refused because the server has too many (PostgreSQL's too_many_connections). */
  static final String TOO_MANY_CONNECTIONS = "53300";

  private final ServerConfig config;

  ServerMeta(ServerConfig config) throws SQLException {
    super(config.url(), serverOptions(config));
    this.config = config;
  }

  private static Properties serverOptions(ServerConfig config) {
    Properties p = new Properties();
    String idle = Long.toString(config.idleTimeoutSeconds());
    // Capacity is not the limit (the check below is): Avatica's cache would evict, i.e. close, an
    // open connection to make room, where a server should refuse the new one.
    p.setProperty(ConnectionCacheSettings.MAX_CAPACITY.key(), Long.toString(Long.MAX_VALUE));
    p.setProperty(ConnectionCacheSettings.EXPIRY_DURATION.key(), idle);
    p.setProperty(ConnectionCacheSettings.EXPIRY_UNIT.key(), TimeUnit.SECONDS.name());
    p.setProperty(StatementCacheSettings.MAX_CAPACITY.key(), Long.toString(Long.MAX_VALUE));
    p.setProperty(StatementCacheSettings.EXPIRY_DURATION.key(), idle);
    p.setProperty(StatementCacheSettings.EXPIRY_UNIT.key(), TimeUnit.SECONDS.name());
    if (config.readOnly()) {
      p.setProperty("read_only", "true"); // the lake itself refuses writes too
    }
    return p;
  }

  /** The embedded connection, seen through {@link NestedResults} so that lists and structs go over the wire. */
  @Override
  protected Connection createConnection(String url, Properties info) throws SQLException {
    return NestedResults.connection(super.createConnection(url, info));
  }

  /** Closes connections and statements idle past the timeout (the caches only do it when used). */
  void closeIdle() {
    getConnectionCache().cleanUp();
    getStatementCache().cleanUp();
  }

  /** Closes every remote connection, and so every lake the server opened. */
  void closeAll() {
    getStatementCache().invalidateAll();
    getConnectionCache().invalidateAll();
    getConnectionCache().cleanUp();
  }

  long openConnections() {
    getConnectionCache().cleanUp();
    return getConnectionCache().size();
  }

  @Override
  public void openConnection(ConnectionHandle ch, Map<String, String> clientInfo) {
    Map<String, String> allowed = new HashMap<>();
    if (clientInfo != null) {
      clientInfo.forEach((key, value) -> {
        if (CLIENT_OPTIONS.contains(key.toLowerCase(java.util.Locale.ROOT))) {
          allowed.put(key, value);
        }
      });
    }
    // Counting and opening under one lock keeps concurrent opens from passing the limit together.
    synchronized (this) {
      if (openConnections() >= config.maxConnections()) {
        throw new AvaticaRuntimeException("The server has its maximum of " + config.maxConnections()
            + " connections open; close one or try again later", -1, TOO_MANY_CONNECTIONS, AvaticaSeverity.ERROR);
      }
      super.openConnection(ch, allowed);
    }
    try {
      DuckLakeDriver.refuseTimestampsFinerThanMilliseconds(getConnection(ch.id));
    } catch (SQLException e) {
      throw new AvaticaRuntimeException(e.getMessage(), -1, "HY000", AvaticaSeverity.ERROR);
    }
  }

  @Override
  public StatementHandle prepare(ConnectionHandle ch, String sql, long maxRowCount) {
    checkReadOnly(sql);
    return super.prepare(ch, sql, maxRowCount);
  }

  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, int maxRowsInFirstFrame,
      PrepareCallback callback) throws NoSuchStatementException {
    checkReadOnly(sql);
    return super.prepareAndExecute(h, sql, maxRowCount, maxRowsInFirstFrame, callback);
  }

  @SuppressWarnings("deprecation")
  @Override
  public ExecuteResult prepareAndExecute(StatementHandle h, String sql, long maxRowCount, PrepareCallback callback)
      throws NoSuchStatementException {
    checkReadOnly(sql);
    return super.prepareAndExecute(h, sql, maxRowCount, callback);
  }

  @Override
  public ExecuteBatchResult prepareAndExecuteBatch(StatementHandle h, List<String> sqlCommands)
      throws NoSuchStatementException {
    refuseBatchIfReadOnly();
    return super.prepareAndExecuteBatch(h, sqlCommands);
  }

  @Override
  public ExecuteBatchResult executeBatch(StatementHandle h, List<List<TypedValue>> parameterValues)
      throws NoSuchStatementException {
    refuseBatchIfReadOnly();
    return super.executeBatch(h, parameterValues);
  }

  @Override
  public ExecuteBatchResult executeBatchProtobuf(StatementHandle h, List<Requests.UpdateBatch> parameterValues)
      throws NoSuchStatementException {
    refuseBatchIfReadOnly();
    return super.executeBatchProtobuf(h, parameterValues);
  }

  private void checkReadOnly(String sql) {
    if (config.readOnly()) {
      ReadOnlyGuard.check(sql);
    }
  }

  private void refuseBatchIfReadOnly() {
    if (config.readOnly()) {
      throw ReadOnlyGuard.refused("This Mallard server is read-only: it runs queries only, not batches of updates");
    }
  }
}
