package dev.mallard.jdbc.conformance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One upstream sqllogictest file (DuckDB's dialect of the format), parsed into the records the
 * runner replays. Loops ({@code loop}, {@code foreach}, and their concurrent forms, run one
 * iteration after another) are unrolled here with {@code ${var}} substituted, and records that a
 * {@code skipif}/{@code onlyif} or a {@code mode skip} section leaves out for DuckDB are dropped, so
 * the runner sees a flat list. What the file needs from its environment ({@code require},
 * {@code require-env}) and its default {@code test-env} values are collected as they are.
 */
final class SqlLogicTest {
  /** How a record expects its statement to end. */
  enum Expect { OK, ERROR, MAYBE }

  /** A statement, a query or an {@code unzip}; {@code line} is the 1-based line of its header. */
  record Record(Kind kind, int line, String sql, Expect expect, String connection, String sortMode) {}

  enum Kind { STATEMENT, QUERY, UNZIP }

  final Path path;
  final List<String> requires = new ArrayList<>();
  final List<String> requiredEnv = new ArrayList<>();
  /** {@code test-env} defaults in file order; the runner's own values win. */
  final Map<String, String> testEnv = new LinkedHashMap<>();
  final List<Record> records = new ArrayList<>();

  private SqlLogicTest(Path path) {
    this.path = path;
  }

  static SqlLogicTest parse(Path path) throws IOException {
    SqlLogicTest test = new SqlLogicTest(path);
    List<String> lines = Files.readAllLines(path);
    test.parseBlock(lines, 0, lines.size(), Map.of());
    return test;
  }

  /** Parses lines [from, to) with the loop variables {@code vars} substituted. */
  private void parseBlock(List<String> lines, int from, int to, Map<String, String> vars) {
    boolean skipping = false;
    String condition = null;
    int i = from;
    while (i < to) {
      String raw = lines.get(i);
      String line = substitute(raw, vars).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        i++;
        continue;
      }
      String[] words = line.split("\\s+");
      switch (words[0]) {
        case "loop", "concurrentloop", "foreach", "concurrentforeach" -> {
          int end = matchingEndloop(lines, i, to);
          List<String> values = new ArrayList<>();
          if (words[0].endsWith("loop")) {
            int start = Integer.parseInt(words[2]);
            int stop = Integer.parseInt(words[3]);
            for (int v = start; v < stop; v++) {
              values.add(Integer.toString(v));
            }
          } else {
            for (int w = 2; w < words.length; w++) {
              values.add(words[w]);
            }
          }
          if (!skipping) {
            for (String value : values) {
              Map<String, String> inner = new LinkedHashMap<>(vars);
              inner.put(words[1], value);
              parseBlock(lines, i + 1, end, inner);
            }
          }
          i = end + 1;
          condition = null;
        }
        case "mode" -> {
          if (words.length > 1 && words[1].equals("skip")) {
            skipping = true;
          } else if (words.length > 1 && words[1].equals("unskip")) {
            skipping = false;
          }
          i++;
        }
        case "skipif", "onlyif" -> {
          condition = line;
          i++;
        }
        case "require" -> {
          requires.add(line.substring("require".length()).strip());
          i++;
        }
        case "require-env" -> {
          requiredEnv.add(words[1]);
          i++;
        }
        case "test-env" -> {
          testEnv.putIfAbsent(words[1], line.substring(line.indexOf(words[1]) + words[1].length()).strip());
          i++;
        }
        case "unzip" -> {
          if (!skipping && applies(condition, vars)) {
            records.add(new Record(Kind.UNZIP, i + 1, words[1] + " " + words[2], Expect.OK, null, null));
          }
          condition = null;
          i++;
        }
        case "statement", "query" -> {
          int header = i;
          List<String> sql = new ArrayList<>();
          i++;
          while (i < to && !lines.get(i).strip().isEmpty() && !lines.get(i).strip().equals("----")) {
            sql.add(substitute(lines.get(i), vars));
            i++;
          }
          // Expected results or error text: DuckDB is the oracle here, so they are skipped.
          while (i < to && !lines.get(i).strip().isEmpty()) {
            i++;
          }
          if (!skipping && applies(condition, vars)) {
            records.add(record(words, header + 1, String.join("\n", sql)));
          }
          condition = null;
        }
        default -> {
          // hash-threshold, sleep, set seed, tags, halt-less directives: nothing to replay.
          i++;
          condition = null;
        }
      }
    }
  }

  private static Record record(String[] words, int line, String sql) {
    if (words[0].equals("statement")) {
      Expect expect = switch (words[1]) {
        case "ok" -> Expect.OK;
        case "error" -> Expect.ERROR;
        default -> Expect.MAYBE;
      };
      return new Record(Kind.STATEMENT, line, sql, expect, words.length > 2 ? words[2] : null, null);
    }
    // query <types> [sort mode] [label] [connection]: a connection name starts with "con".
    String sort = words.length > 2 ? words[2] : null;
    String connection = null;
    for (int w = 2; w < words.length; w++) {
      if (words[w].startsWith("con")) {
        connection = words[w];
      }
    }
    return new Record(Kind.QUERY, line, sql, Expect.OK, connection, sort);
  }

  private static int matchingEndloop(List<String> lines, int start, int to) {
    int depth = 0;
    for (int i = start; i < to; i++) {
      String first = lines.get(i).strip().split("\\s+")[0];
      if (first.equals("loop") || first.equals("concurrentloop") || first.equals("foreach")
          || first.equals("concurrentforeach")) {
        depth++;
      } else if (first.equals("endloop") && --depth == 0) {
        return i;
      }
    }
    throw new IllegalArgumentException("loop at line " + (start + 1) + " has no endloop");
  }

  /**
   * Whether a {@code skipif}/{@code onlyif} condition lets DuckDB run the next record: engine names
   * ({@code duckdb} is the one here) or, inside loops, a comparison of a substituted loop variable
   * ({@code 1=0}, {@code 3<25}).
   */
  private static boolean applies(String condition, Map<String, String> vars) {
    if (condition == null) {
      return true;
    }
    String[] words = condition.split("\\s+", 2);
    boolean holds = holds(words.length > 1 ? words[1].strip() : "", vars);
    return words[0].equals("skipif") != holds;
  }

  private static boolean holds(String test, Map<String, String> vars) {
    for (String op : new String[] {"=", "<", ">"}) {
      int at = test.indexOf(op);
      if (at > 0) {
        String left = test.substring(0, at).strip();
        left = vars.getOrDefault(left, left);
        String right = test.substring(at + 1).strip();
        if (op.equals("=")) {
          return left.equals(right);
        }
        int cmp = Integer.compare(Integer.parseInt(left), Integer.parseInt(right));
        return op.equals("<") ? cmp < 0 : cmp > 0;
      }
    }
    return test.equals("duckdb");
  }

  private static String substitute(String text, Map<String, String> vars) {
    String out = text;
    for (Map.Entry<String, String> v : vars.entrySet()) {
      out = out.replace("${" + v.getKey() + "}", v.getValue()).replace("{" + v.getKey() + "}", v.getValue());
    }
    return out;
  }
}
