package dev.mallard.jdbc.conformance;

/**
 * The outcome of replaying one upstream file.
 *
 * @param file the file's path under the corpus's {@code test/} folder, e.g. {@code sql/insert/insert_basic.test}
 * @param detail for a failure its first mismatch; otherwise why the file did not pass, or where DuckDB diverged
 * @param divergence where DuckDB 1.5.5 first did not do what the file expects (line, what, SQL), or null
 * @param comparisons how many table states and queries Mallard answered the same as DuckDB
 * @param skippedQueries queries Mallard could not parse or does not support (not mismatches)
 * @param unchangedTables table states not read again because nothing they depend on changed since
 *     both engines last read them the same (see {@link TableStates})
 */
record FileResult(String file, Status status, String detail, String divergence, int comparisons,
    int skippedQueries, int unchangedTables) {
  FileResult(String file, Status status, String detail, String divergence, int comparisons, int skippedQueries) {
    this(file, status, detail, divergence, comparisons, skippedQueries, 0);
  }

  enum Status {
    /** Every comparison agreed, and there was at least one; DuckDB did all the file expects. */
    PASS,
    /**
     * Every comparison agreed, and there was at least one, but DuckDB 1.5.5 failed a statement the
     * file (written for ducklake's main branch) expects to succeed, or the reverse. The replay went
     * on from DuckDB's actual lake, which is what Mallard was compared with.
     */
    PASS_REFERENCE_DIVERGED,
    /** Mallard answered differently from DuckDB, or failed on something it supports. */
    FAIL,
    /** The file needs what cannot run here (cloud storage, secrets, other catalog servers, missing extensions). */
    NOT_APPLICABLE,
    /** The runner cannot replay the file faithfully (in-memory catalogs, DuckDB-file catalogs DuckDB cannot copy to SQLite). */
    RUNNER_LIMIT,
    /** DuckDB 1.5.5 diverged from the file and nothing was left that Mallard could be compared on. */
    REFERENCE_DIVERGED,
    /** Nothing in the file changed or read a lake Mallard can open, so nothing was compared. */
    NOTHING_COMPARED;

    /** Whether the file replayed with at least one comparison and no mismatch: what the ratchet holds. */
    boolean passes() {
      return this == PASS || this == PASS_REFERENCE_DIVERGED;
    }
  }

  String directory() {
    int slash = file.lastIndexOf('/');
    return slash < 0 ? "." : file.substring(0, slash);
  }
}
