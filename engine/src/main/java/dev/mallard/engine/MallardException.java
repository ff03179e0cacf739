package dev.mallard.engine;

/**
 * The root of Mallard's exception family. Messages say what happened and what to do; the cause is
 * kept. Callers that need to react differently catch a subclass.
 */
public class MallardException extends RuntimeException {
  public MallardException(String message) {
    super(message);
  }

  public MallardException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The catalog database is unreachable, is not a DuckLake catalog, or holds something we cannot read. */
  public static class CatalogException extends MallardException {
    public CatalogException(String message) {
      super(message);
    }

    public CatalogException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A file could not be read or written. */
  public static class StorageException extends MallardException {
    public StorageException(String message) {
      super(message);
    }

    public StorageException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** A data or delete file is not what the catalog says it is: corrupt, truncated, wrong columns. */
  public static class FormatException extends MallardException {
    public FormatException(String message) {
      super(message);
    }

    public FormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The request is wrong: an unknown table, a bad option, a malformed URL. */
  public static class UserException extends MallardException {
    public UserException(String message) {
      super(message);
    }

    public UserException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Something DuckLake allows that Mallard does not do yet. Fails loudly instead of answering wrongly. */
  public static class UnsupportedFeatureException extends MallardException {
    public UnsupportedFeatureException(String message) {
      super(message);
    }
  }

  /** Another writer committed a change that conflicts with this transaction's. */
  public static class ConflictException extends MallardException {
    public ConflictException(String message) {
      super(message);
    }
  }
}
