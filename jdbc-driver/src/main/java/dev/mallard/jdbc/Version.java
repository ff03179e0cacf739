package dev.mallard.jdbc;

/** The driver's version, as JDBC reports it. */
final class Version {
  static final String TEXT = "0.1.0";
  static final int MAJOR = 0;
  static final int MINOR = 1;

  private Version() {}
}
