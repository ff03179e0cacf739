package dev.mallard.calcite.parser;

import dev.mallard.calcite.ddl.DdlTarget.PartitionKey;
import java.util.List;
import java.util.Locale;
import org.apache.calcite.sql.SqlDdl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlSpecialOperator;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;

/** ALTER TABLE name and one {@link Action}. */
public final class MallardAlterTable extends SqlDdl {
  private static final SqlOperator OPERATOR = new SqlSpecialOperator("ALTER TABLE", SqlKind.ALTER_TABLE);

  public final SqlIdentifier table;
  public final Action action;

  public MallardAlterTable(SqlParserPos pos, SqlIdentifier table, Action action) {
    super(OPERATOR, pos);
    this.table = table;
    this.action = action;
  }

  /** What ALTER TABLE does. Column paths are a column's name, or a struct's and its fields' (s.f). */
  public sealed interface Action {
    void unparse(SqlWriter writer);
  }

  /** ADD [COLUMN] [IF NOT EXISTS] column. */
  public record AddColumn(MallardColumnDeclaration column, boolean ifNotExists) implements Action {
    @Override
    public void unparse(SqlWriter writer) {
      writer.keyword("ADD COLUMN");
      if (ifNotExists) {
        writer.keyword("IF NOT EXISTS");
      }
      column.unparse(writer, 0, 0);
    }
  }

  /** DROP [COLUMN] [IF EXISTS] path. */
  public record DropColumn(SqlIdentifier path, boolean ifExists) implements Action {
    @Override
    public void unparse(SqlWriter writer) {
      writer.keyword("DROP COLUMN");
      if (ifExists) {
        writer.keyword("IF EXISTS");
      }
      path.unparse(writer, 0, 0);
    }
  }

  /** RENAME [COLUMN] path TO name. */
  public record RenameColumn(SqlIdentifier path, SqlIdentifier newName) implements Action {
    @Override
    public void unparse(SqlWriter writer) {
      writer.keyword("RENAME COLUMN");
      path.unparse(writer, 0, 0);
      writer.keyword("TO");
      newName.unparse(writer, 0, 0);
    }
  }

  /** RENAME TO name. */
  public record RenameTable(SqlIdentifier newName) implements Action {
    @Override
    public void unparse(SqlWriter writer) {
      writer.keyword("RENAME TO");
      newName.unparse(writer, 0, 0);
    }
  }

  /** ALTER [COLUMN] path [SET DATA] TYPE type. */
  public record SetType(SqlIdentifier path, ColumnType type) implements Action {
    @Override
    public void unparse(SqlWriter writer) {
      writer.keyword("ALTER COLUMN");
      path.unparse(writer, 0, 0);
      writer.keyword("SET DATA TYPE");
      type.unparse(writer);
    }
  }

  /** ALTER [COLUMN] path SET NOT NULL (notNull) or DROP NOT NULL. */
  public record SetNotNull(SqlIdentifier path, boolean notNull) implements Action {
    @Override
    public void unparse(SqlWriter writer) {
      writer.keyword("ALTER COLUMN");
      path.unparse(writer, 0, 0);
      writer.keyword(notNull ? "SET NOT NULL" : "DROP NOT NULL");
    }
  }

  /** ALTER [COLUMN] path SET DEFAULT literal, or DROP DEFAULT (a null literal). */
  public record SetDefault(SqlIdentifier path, SqlNode defaultValue) implements Action {
    @Override
    public void unparse(SqlWriter writer) {
      writer.keyword("ALTER COLUMN");
      path.unparse(writer, 0, 0);
      if (defaultValue == null) {
        writer.keyword("DROP DEFAULT");
      } else {
        writer.keyword("SET DEFAULT");
        defaultValue.unparse(writer, 0, 0);
      }
    }
  }

  /** SET PARTITIONED BY (keys), or RESET PARTITIONED BY (no keys). */
  public record SetPartitionedBy(List<PartitionKey> keys) implements Action {
    public SetPartitionedBy {
      keys = List.copyOf(keys);
    }

    @Override
    public void unparse(SqlWriter writer) {
      if (keys.isEmpty()) {
        writer.keyword("RESET PARTITIONED BY");
        return;
      }
      writer.keyword("SET PARTITIONED BY");
      SqlWriter.Frame frame = writer.startList("(", ")");
      for (PartitionKey key : keys) {
        writer.sep(",");
        if (key.transform().equals("identity")) {
          writer.identifier(key.column(), true);
        } else {
          int paren = key.transform().indexOf('(');
          String function = paren < 0 ? key.transform() : key.transform().substring(0, paren);
          writer.keyword(function);
          SqlWriter.Frame args = writer.startList("(", ")");
          if (paren >= 0) {
            writer.sep(",");
            writer.print(key.transform().substring(paren + 1, key.transform().length() - 1));
            writer.setNeedWhitespace(true);
          }
          writer.sep(",");
          writer.identifier(key.column(), true);
          writer.endList(args);
        }
      }
      writer.endList(frame);
    }
  }

  /**
   * A key of SET PARTITIONED BY written as a call: year, month, day or hour of a column, or
   * bucket(n, column), DuckLake's transforms.
   */
  static PartitionKey partitionKey(SqlIdentifier function, int buckets, SqlIdentifier column, SqlParserPos pos) {
    String name = function.getSimple().toLowerCase(Locale.ROOT);
    switch (name) {
      case "year", "month", "day", "hour" -> {
        if (buckets != 0) {
          throw ParseErrors.at(pos, name + "(column) takes only a column");
        }
        return new PartitionKey(column.getSimple(), name);
      }
      case "bucket" -> {
        if (buckets <= 0) {
          throw ParseErrors.at(pos, "bucket(n, column) needs a positive number of buckets");
        }
        return new PartitionKey(column.getSimple(), "bucket(" + buckets + ")");
      }
      default -> throw ParseErrors.at(pos, "Unknown partition transform " + function.getSimple()
          + ": DuckLake partitions by a column, year, month, day, hour (column) or bucket(n, column)");
    }
  }

  @Override
  public SqlOperator getOperator() {
    return OPERATOR;
  }

  @Override
  public List<SqlNode> getOperandList() {
    return List.of(table);
  }

  @Override
  public void unparse(SqlWriter writer, int leftPrec, int rightPrec) {
    writer.keyword("ALTER TABLE");
    table.unparse(writer, 0, 0);
    action.unparse(writer);
  }
}
