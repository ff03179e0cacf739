package dev.mallard.calcite.parser;

import dev.mallard.calcite.LakeSchemas;
import dev.mallard.calcite.ddl.DdlTarget;
import dev.mallard.calcite.ddl.MallardDdl;
import dev.mallard.engine.types.DuckLakeType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.calcite.jdbc.CalcitePrepare;
import org.apache.calcite.server.DdlExecutorImpl;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;

/**
 * Runs Mallard's DDL statements against the {@link DdlTarget} of the statement's connection.
 * {@link DdlExecutorImpl} calls the {@code execute} method whose parameter is the statement's class.
 */
public class MallardDdlExecutor extends DdlExecutorImpl {
  public static final MallardDdlExecutor INSTANCE = new MallardDdlExecutor(MallardDdl::target);

  private final Function<CalcitePrepare.Context, DdlTarget> targets;

  /** @param targets finds the lake of a statement's context (tests pass a fake) */
  public MallardDdlExecutor(Function<CalcitePrepare.Context, DdlTarget> targets) {
    this.targets = Objects.requireNonNull(targets);
  }

  private DdlTarget target(CalcitePrepare.Context context) {
    return targets.apply(context);
  }

  public void execute(MallardCreateSchema create, CalcitePrepare.Context context) {
    if (create.getReplace()) {
      throw new UnsupportedOperationException("CREATE OR REPLACE SCHEMA is not supported");
    }
    target(context).createSchema(schemaName(create.name), create.ifNotExists);
    LakeSchemas.refresh(context.getMutableRootSchema());
  }

  public void execute(MallardDrop drop, CalcitePrepare.Context context) {
    DdlTarget target = target(context);
    if (drop.getOperator() == MallardDrop.SCHEMA) {
      target.dropSchema(schemaName(drop.name), drop.ifExists, drop.cascade);
      LakeSchemas.refresh(context.getMutableRootSchema());
    } else if (drop.getOperator() == MallardDrop.TABLE) {
      target.dropTable(drop.name.names, drop.ifExists);
    } else {
      target.dropView(drop.name.names, drop.ifExists);
    }
  }

  public void execute(MallardCreateTable create, CalcitePrepare.Context context) {
    if (create.query != null) {
      target(context).createTableAs(create.name.names, names(create.columnNames), create.query.sql(),
          create.ifNotExists, create.getReplace());
      return;
    }
    List<dev.mallard.engine.txn.NewColumn> columns = new ArrayList<>();
    for (SqlNode column : create.columns) {
      columns.add(((MallardColumnDeclaration) column).toColumn());
    }
    target(context).createTable(create.name.names, columns, create.ifNotExists, create.getReplace());
  }

  public void execute(MallardCreateView create, CalcitePrepare.Context context) {
    target(context).createView(create.name.names, names(create.columnNames), create.query.sql(),
        create.getReplace());
  }

  public void execute(MallardAlterTable alter, CalcitePrepare.Context context) {
    DdlTarget target = target(context);
    List<String> table = alter.table.names;
    MallardAlterTable.Action action = alter.action;
    if (action instanceof MallardAlterTable.AddColumn add) {
      target.addColumn(table, add.column().name.names, add.column().toColumn(), add.ifNotExists());
    } else if (action instanceof MallardAlterTable.DropColumn drop) {
      target.dropColumn(table, drop.path().names, drop.ifExists());
    } else if (action instanceof MallardAlterTable.RenameColumn rename) {
      target.renameColumn(table, rename.path().names, rename.newName().getSimple());
    } else if (action instanceof MallardAlterTable.RenameTable rename) {
      target.renameTable(table, rename.newName().getSimple());
    } else if (action instanceof MallardAlterTable.SetType setType) {
      DuckLakeType type = setType.type().type();
      if (type.kind().isNested()) {
        // DdlTarget.setColumnType takes a type without children, which cannot say a struct's fields.
        throw new UnsupportedOperationException("ALTER COLUMN " + setType.path()
            + " SET DATA TYPE to a nested type (" + type + ") is not supported yet");
      }
      target.setColumnType(table, setType.path().names, type);
    } else if (action instanceof MallardAlterTable.SetNotNull setNotNull) {
      target.setNotNull(table, setNotNull.path().names, setNotNull.notNull());
    } else if (action instanceof MallardAlterTable.SetDefault setDefault) {
      target.setDefault(table, setDefault.path().names, DefaultValues.text(setDefault.defaultValue()));
    } else if (action instanceof MallardAlterTable.SetPartitionedBy partitionedBy) {
      target.setPartitionedBy(table, partitionedBy.keys());
    } else {
      throw new AssertionError(action);
    }
  }

  public void execute(MallardCommentOn comment, CalcitePrepare.Context context) {
    target(context).comment(comment.target, comment.name.names, comment.comment);
  }

  public void execute(MallardTruncateTable truncate, CalcitePrepare.Context context) {
    target(context).truncate(truncate.name.names);
  }

  private static String schemaName(SqlIdentifier name) {
    if (!name.isSimple()) {
      // DdlTarget names a schema by one string: the catalog part has nowhere to go.
      throw new UnsupportedOperationException("Schema name " + name + " must not be qualified");
    }
    return name.getSimple();
  }

  private static List<String> names(SqlNodeList identifiers) {
    if (identifiers == null) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    for (SqlNode identifier : identifiers) {
      names.add(((SqlIdentifier) identifier).getSimple());
    }
    return names;
  }
}
