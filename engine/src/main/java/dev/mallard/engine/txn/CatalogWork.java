package dev.mallard.engine.txn;

import java.sql.SQLException;

/**
 * Catalog rows a maintenance operation (merge, rewrite, flush) writes as part of a snapshot commit,
 * beside a transaction's ordinary changes. It runs inside the commit's catalog transaction, once per
 * attempt, so it must re-check on the catalog as it is then that what it replaces is still there,
 * and throw a {@code ConflictException} if not (the commit then rolls back and writes nothing).
 */
@FunctionalInterface
public interface CatalogWork {
  void write(CommitContext context) throws SQLException;
}
