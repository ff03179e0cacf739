package dev.mallard.calcite.parser;

import java.io.Reader;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.util.SqlBasicVisitor;
import org.apache.calcite.util.SourceStringReader;

/**
 * The generated parser, with what DuckDB allows in calls and Calcite does not: positional arguments
 * followed by named ones, {@code ducklake_list_files('lake', 't', snapshot_version => 3)}. Calcite
 * takes named arguments only when all are named, so the leading positional arguments of the functions
 * below are given their names after parsing. And {@code count_star()}, DuckDB's name for
 * {@code count(*)}, which it writes into the SQL of the views it stores, is {@code count(*)}.
 */
final class MallardParser extends MallardSqlParserImpl {
  /** The names of the leading parameters of functions DuckDB calls with mixed arguments. */
  private static final Map<String, List<String>> LEADING_PARAMETERS = Map.of(
      "ducklake_list_files", List.of("catalog", "table_name"));

  private MallardParser(Reader reader) {
    super(reader);
  }

  /** A parser of the text of {@code reader}, set up as the generated factory sets up its own. */
  static MallardParser create(Reader reader) {
    MallardParser parser = new MallardParser(reader);
    if (reader instanceof SourceStringReader source) {
      String sql = source.getSourceString();
      parser.setOriginalSql(sql);
      parser.jj_input_stream.ReInit(reader, 1, 1, sql.length());
    }
    return parser;
  }

  @Override
  public SqlNode parseSqlStmtEof() throws Exception {
    return rewrite(super.parseSqlStmtEof());
  }

  @Override
  public SqlNodeList parseSqlStmtList() throws Exception {
    return rewrite(super.parseSqlStmtList());
  }

  private static <T extends SqlNode> T rewrite(T statement) {
    return countStar(nameLeadingArguments(statement));
  }

  private static boolean isCountStar(SqlNode node) {
    return node instanceof SqlCall call && call.operandCount() == 0
        && call.getOperator().getName().equalsIgnoreCase("count_star");
  }

  private static SqlNode countStarCall(SqlNode node) {
    return SqlStdOperatorTable.COUNT.createCall(node.getParserPosition(), SqlIdentifier.star(node.getParserPosition()));
  }

  private static <T extends SqlNode> T countStar(T statement) {
    if (statement != null) {
      statement.accept(new SqlBasicVisitor<Void>() {
        @Override
        public Void visit(SqlCall call) {
          for (int i = 0; i < call.operandCount(); i++) {
            if (isCountStar(call.operand(i))) {
              call.setOperand(i, countStarCall(call.operand(i)));
            }
          }
          return super.visit(call);
        }

        @Override
        public Void visit(SqlNodeList list) {
          for (int i = 0; i < list.size(); i++) {
            if (isCountStar(list.get(i))) {
              list.set(i, countStarCall(list.get(i)));
            }
          }
          return super.visit(list);
        }
      });
    }
    return statement;
  }

  private static <T extends SqlNode> T nameLeadingArguments(T statement) {
    if (statement != null) {
      statement.accept(new SqlBasicVisitor<Void>() {
        @Override
        public Void visit(SqlCall call) {
          if (call instanceof SqlBasicCall basic && call.getOperator().getName() != null) {
            List<String> names = LEADING_PARAMETERS.get(call.getOperator().getName().toLowerCase(Locale.ROOT));
            if (names != null && hasNamedArgument(call)) {
              for (int i = 0; i < Math.min(names.size(), call.operandCount()); i++) {
                SqlNode arg = call.operand(i);
                if (arg != null && arg.getKind() != SqlKind.ARGUMENT_ASSIGNMENT) {
                  basic.setOperand(i, SqlStdOperatorTable.ARGUMENT_ASSIGNMENT.createCall(arg.getParserPosition(),
                      arg, new SqlIdentifier(names.get(i), arg.getParserPosition())));
                }
              }
            }
          }
          return super.visit(call);
        }
      });
    }
    return statement;
  }

  private static boolean hasNamedArgument(SqlCall call) {
    return call.getOperandList().stream().anyMatch(a -> a != null && a.getKind() == SqlKind.ARGUMENT_ASSIGNMENT);
  }
}
