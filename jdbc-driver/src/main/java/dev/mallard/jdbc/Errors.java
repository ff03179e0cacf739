package dev.mallard.jdbc;

import dev.mallard.engine.MallardException;
import java.sql.SQLException;

/** Mallard's exceptions as JDBC's, with the SQLSTATE class that fits each. */
public final class Errors {
  private Errors() {}

  public static SQLException toSqlException(MallardException e) {
    String state;
    if (e instanceof MallardException.CatalogException) {
      state = "08001"; // cannot establish the connection: the catalog is missing or unreadable
    } else if (e instanceof MallardException.UnsupportedFeatureException) {
      state = "0A000";
    } else if (e instanceof MallardException.ConflictException) {
      state = "40001";
    } else if (e instanceof MallardException.UserException) {
      state = "42000";
    } else {
      state = "58030"; // I/O error: a storage or file format problem
    }
    return new SQLException(e.getMessage(), state, e);
  }

  /** A failure of the code computing a statement's rows (a cast of bad text, an overflow), as a data exception. */
  static SQLException rowFailed(RuntimeException e) {
    String message = e instanceof NumberFormatException ? "Could not convert text to a number: " + e.getMessage()
        : e.getMessage() == null ? e.toString() : e.getMessage();
    return new SQLException(message, "22000", e);
  }
}
