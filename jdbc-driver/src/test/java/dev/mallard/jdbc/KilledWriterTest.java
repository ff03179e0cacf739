package dev.mallard.jdbc;

import static dev.mallard.testing.ResultAssert.assertSameRows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mallard.engine.txn.NewColumn;
import dev.mallard.engine.types.DuckLakeType;
import dev.mallard.testing.DuckDb;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4's acceptance: a writer process killed with SIGKILL at random points during 50 commits
 * (and restarted after each kill) leaves a catalog that DuckDB 1.5.5 opens, holding exactly the
 * committed rows: every commit the writer saw acknowledged is there in full; the one commit in
 * flight at each kill is there in full or not at all; nothing else is there.
 */
class KilledWriterTest {
  private static final int COMMITS = 50;
  private static final int KILLS = 5;

  @TempDir Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql", "mysql"})
  void aWriterKilledMidCommitLeavesExactlyTheCommittedRows(String backend) throws Exception {
    CatalogTarget target = CatalogTarget.create(backend, dir);
    target.createLakeWithTable(List.of(NewColumn.of("commit_no", DuckLakeType.parse("int32"), true, null),
        NewColumn.of("k", DuckLakeType.parse("int32"), true, null)));
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    String context = backend + ", seed " + seed;

    TreeSet<Integer> acknowledged = new TreeSet<>();
    TreeSet<Integer> inFlightAtKill = new TreeSet<>();
    int next = 0;
    for (int run = 0; acknowledged.size() < COMMITS; run++) {
      boolean kill = run < KILLS;
      int remaining = COMMITS - acknowledged.size();
      // The acknowledgements go to a file, which keeps what the writer printed whenever it dies.
      Path acks = dir.resolve("acks-" + run + ".txt");
      Path log = dir.resolve("writer-" + run + ".log");
      Process writer = target.childJvm(KillableWriter.class, target.url(), Integer.toString(next),
          Integer.toString(remaining)).redirectOutput(acks.toFile()).redirectError(log.toFile()).start();
      if (kill) {
        // Kill after a random number of acknowledged commits plus a random pause, so that the kill
        // lands anywhere in the next commit (writing Parquet, writing catalog rows, committing).
        int ackedBeforeKill = 1 + random.nextInt(8);
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (acknowledged(acks, context).size() < ackedBeforeKill && writer.isAlive()) {
          assertThat(System.nanoTime()).as(context + ": writer too slow").isLessThan(deadline);
          Thread.sleep(2);
        }
        Thread.sleep(random.nextInt(60));
        writer.destroyForcibly(); // SIGKILL on Linux
      }
      assertThat(writer.waitFor(5, TimeUnit.MINUTES)).as(context).isTrue();
      if (!kill) {
        assertThat(writer.exitValue()).as(context + ": " + Files.readString(log)).isZero();
      }
      List<Integer> acked = acknowledged(acks, context);
      acknowledged.addAll(acked);
      int last = acked.isEmpty() ? next - 1 : acked.get(acked.size() - 1);
      if (kill) {
        inFlightAtKill.add(last + 1);
      }
      // The commit in flight may have landed: never reuse its number.
      next = last + 2;
    }

    try (DuckDb duckdb = DuckDb.start(DuckDb.Version.V1_5_5);
        Connection c = Mallard.connect(target.urlWithPassword())) {
      duckdb.execute(target.duckDbAttach());
      duckdb.execute("USE lake");
      Map<Integer, Integer> rowsPerCommit = new TreeMap<>();
      for (List<Object> row : duckdb.query("SELECT commit_no, count(*), count(DISTINCT k) FROM t GROUP BY commit_no")
          .rows()) {
        int n = ((BigInteger) row.get(0)).intValueExact();
        assertThat(row.get(2)).as(context + ", commit " + n).isEqualTo(row.get(1));
        rowsPerCommit.put(n, ((BigInteger) row.get(1)).intValueExact());
      }
      for (int n : acknowledged) {
        assertThat(rowsPerCommit.get(n)).as(context + ": acknowledged commit " + n).isEqualTo(KillableWriter.rowsOf(n));
      }
      for (Map.Entry<Integer, Integer> e : rowsPerCommit.entrySet()) {
        assertThat(acknowledged.contains(e.getKey()) || inFlightAtKill.contains(e.getKey()))
            .as(context + ": commit " + e.getKey() + " was never made").isTrue();
        assertThat(e.getValue()).as(context + ": commit " + e.getKey() + " is all there or not at all")
            .isEqualTo(KillableWriter.rowsOf(e.getKey()));
      }
      System.out.printf("KilledWriterTest %s: %d acknowledged commits, %d kills, in flight at a kill and"
          + " committed: %s%n", backend, acknowledged.size(), inFlightAtKill.size(),
          inFlightAtKill.stream().filter(rowsPerCommit::containsKey).toList());
      // Each commit is one snapshot: creation, the table, then the commits that landed.
      assertThat(duckdb.query("SELECT count(*) FROM snapshots()").scalar()).as(context)
          .isEqualTo(BigInteger.valueOf(2 + rowsPerCommit.size()));
      String sql = "SELECT commit_no, k FROM t ORDER BY commit_no, k";
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
        assertSameRows(duckdb.query(sql), rs, true);
      }
    }
  }

  /** The commits a writer acknowledged: its complete output lines so far. */
  private static List<Integer> acknowledged(Path acks, String context) throws java.io.IOException {
    String text = Files.readString(acks);
    List<Integer> out = new ArrayList<>();
    for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
      if (!line.isEmpty()) {
        assertThat(line).as(context).startsWith("committed ");
        out.add(Integer.parseInt(line.substring("committed ".length())));
      }
    }
    return out;
  }
}
