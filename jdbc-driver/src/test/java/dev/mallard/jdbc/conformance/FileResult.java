package dev.mallard.jdbc.conformance;

/**
 * The outcome of replaying one upstream file.
 *
 * @param file the file's path under the corpus's {@code test/} folder, e.g. {@code sql/insert/insert_basic.test}
 * @param detail for a failure its first mismatch; otherwise why the file did not pass
 * @param comparisons how many table states and queries Mallard answered the same as DuckDB
 * @param skippedQueries queries Mallard could not parse or does not support (not mismatches)
 */
record FileResult(String file, Status status, String detail, int comparisons, int skippedQueries) {
  enum Status {
    /** Every comparison agreed, and there was at least one. */
    PASS,
    /** Mallard answered differently from DuckDB, or failed on something it supports. */
    FAIL,
    /** The file needs what cannot run here (cloud storage, secrets, other catalog servers, missing extensions). */
    NOT_APPLICABLE,
    /** The runner cannot replay the file faithfully (DuckDB-file or in-memory catalogs). */
    RUNNER_LIMIT,
    /**
     * DuckDB 1.5.5 failed a statement the file expects to succeed (the corpus follows ducklake's
     * main branch), so the rest of the file is not what it tests; comparisons until then agreed.
     */
    REFERENCE_DIVERGED,
    /** Nothing in the file changed or read a lake Mallard can open, so nothing was compared. */
    NOTHING_COMPARED
  }

  String directory() {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? "." : file.substring(0, slash);
  }
}
