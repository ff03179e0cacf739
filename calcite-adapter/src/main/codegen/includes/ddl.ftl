<#--
  Mallard's DDL: the statements DuckLake's reference implementation accepts on a lake, in DuckDB's
  syntax. Each parses to a node of dev.mallard.calcite.parser, which MallardDdlExecutor runs
  against the lake's DdlTarget. Things DuckLake cannot store (constraints other than NOT NULL,
  non-constant defaults, some types) are rejected here, with a message that says so, rather
  than parsed and dropped.
-->

boolean IfNotExistsOpt() :
{
}
{
    // Three tokens, so that a table named "if" still parses.
    LOOKAHEAD(3) <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

boolean IfExistsOpt() :
{
}
{
    LOOKAHEAD(2) <IF> <EXISTS> { return true; }
|
    { return false; }
}

/** {@code AS query}, remembering the query's text as written (see QuerySource). */
QuerySource AsQuery() :
{
    final Token first;
    final SqlNode query;
}
{
    <AS> { first = getToken(1); }
    query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    {
        return QuerySource.of(query, getOriginalSql(),
            first.beginLine, first.beginColumn, token.endLine, token.endColumn);
    }
}

/** CREATE SCHEMA [IF NOT EXISTS] name. */
SqlCreate MallardCreateSchema(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
}
{
    <SCHEMA> ifNotExists = IfNotExistsOpt() name = CompoundIdentifier()
    {
        return new MallardCreateSchema(s.end(this), replace, ifNotExists, name);
    }
}

/**
 * CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name (column definitions), or
 * CREATE [OR REPLACE] TABLE [IF NOT EXISTS] name [(column names)] AS query.
 */
SqlCreate MallardCreateTable(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    SqlNodeList columnNames = null;
    SqlNodeList columns = null;
    QuerySource query = null;
}
{
    <TABLE> ifNotExists = IfNotExistsOpt() name = CompoundIdentifier()
    (
        LOOKAHEAD(ParenthesizedSimpleIdentifierList() <AS>)
        columnNames = ParenthesizedSimpleIdentifierList() query = AsQuery()
    |
        columns = TableElementList()
    |
        query = AsQuery()
    )
    {
        return new MallardCreateTable(s.end(this), replace, ifNotExists, name, columns, columnNames,
            query);
    }
}

/** The parenthesized column definitions of CREATE TABLE. */
SqlNodeList TableElementList() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <LPAREN> { s = span(); }
    TableElement(list) ( <COMMA> TableElement(list) )*
    <RPAREN>
    { return new SqlNodeList(list, s.end(this)); }
}

/** A column definition; table constraints are refused (DuckLake has none). */
void TableElement(List<SqlNode> list) :
{
    final SqlNode column;
}
{
    (
        <PRIMARY> | <UNIQUE> | <CHECK> | <FOREIGN> | <CONSTRAINT>
    )
    { throw ParseErrors.constraint(token.image, getPos()); }
|
    column = ColumnDefinition() { list.add(column); }
}

/**
 * A column: name, type, then NOT NULL, NULL and DEFAULT in any order. Used by CREATE TABLE and
 * by ALTER TABLE ADD COLUMN, where the name may be a path into a struct (s.field).
 */
MallardColumnDeclaration ColumnDefinition() :
{
    final SqlIdentifier name;
    final ColumnType type;
    boolean nullable = true;
    SqlNode defaultValue = null;
}
{
    name = CompoundIdentifier()
    type = DuckDbType()
    (
        <NOT> <NULL> { nullable = false; }
    |
        <NULL> { nullable = true; }
    |
        <DEFAULT_> defaultValue = Expression(ExprContext.ACCEPT_NON_QUERY) {
            DefaultValues.check(defaultValue);
        }
    |
        ( <PRIMARY> | <UNIQUE> | <CHECK> | <REFERENCES> | <CONSTRAINT> | <COLLATE> | <GENERATED>
        | <AS> )
        { throw ParseErrors.constraint(token.image, getPos()); }
    )*
    {
        return new MallardColumnDeclaration(name.getParserPosition().plus(getPos()), name, type,
            nullable, defaultValue);
    }
}

/** CREATE [OR REPLACE] VIEW name [(column aliases)] AS query. */
SqlCreate MallardCreateView(Span s, boolean replace) :
{
    final SqlIdentifier name;
    SqlNodeList columnNames = null;
    final QuerySource query;
}
{
    <VIEW> name = CompoundIdentifier()
    [ columnNames = ParenthesizedSimpleIdentifierList() ]
    query = AsQuery()
    {
        return new MallardCreateView(s.end(this), replace, name, columnNames, query);
    }
}

/** DROP SCHEMA [IF EXISTS] name [CASCADE | RESTRICT]. */
SqlDrop MallardDropSchema(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
    boolean cascade = false;
}
{
    <SCHEMA> ifExists = IfExistsOpt() name = CompoundIdentifier()
    [
        <CASCADE> { cascade = true; }
    |
        <RESTRICT> { cascade = false; }
    ]
    {
        return new MallardDrop(MallardDrop.SCHEMA, s.end(this), ifExists, name, cascade);
    }
}

/** DROP TABLE [IF EXISTS] name. */
SqlDrop MallardDropTable(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    <TABLE> ifExists = IfExistsOpt() name = CompoundIdentifier()
    {
        return new MallardDrop(MallardDrop.TABLE, s.end(this), ifExists, name, false);
    }
}

/** DROP VIEW [IF EXISTS] name. */
SqlDrop MallardDropView(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    <VIEW> ifExists = IfExistsOpt() name = CompoundIdentifier()
    {
        return new MallardDrop(MallardDrop.VIEW, s.end(this), ifExists, name, false);
    }
}

/** TRUNCATE [TABLE] name. */
SqlTruncate MallardTruncateTable(Span s) :
{
    final SqlIdentifier name;
}
{
    [ <TABLE> ] name = CompoundIdentifier()
    {
        return new MallardTruncateTable(s.end(this), name);
    }
}

/** COMMENT ON TABLE | VIEW | COLUMN | SCHEMA name IS 'text' | NULL. */
SqlNode MallardCommentOn() :
{
    final Span s;
    final DdlTarget.CommentTarget target;
    final SqlIdentifier name;
    String text = null;
}
{
    <COMMENT> { s = span(); } <ON>
    (
        <TABLE> { target = DdlTarget.CommentTarget.TABLE; }
    |
        <VIEW> { target = DdlTarget.CommentTarget.VIEW; }
    |
        <COLUMN> { target = DdlTarget.CommentTarget.COLUMN; }
    |
        <SCHEMA> { target = DdlTarget.CommentTarget.SCHEMA; }
    )
    name = CompoundIdentifier()
    <IS>
    (
        <NULL>
    |
        text = SimpleStringLiteral()
    )
    {
        return new MallardCommentOn(s.end(this), target, name, text);
    }
}

/** ALTER TABLE name followed by one action. */
SqlNode MallardAlterTable() :
{
    final Span s;
    final SqlIdentifier table;
    final MallardAlterTable.Action action;
}
{
    <ALTER> { s = span(); } <TABLE> table = CompoundIdentifier()
    (
        action = AddColumn()
    |
        action = DropColumn()
    |
        action = Rename()
    |
        action = AlterColumn()
    |
        action = SetPartitionedBy()
    |
        <RESET> <PARTITIONED> <BY> {
            action = new MallardAlterTable.SetPartitionedBy(List.of());
        }
    )
    {
        return new MallardAlterTable(s.end(this), table, action);
    }
}

/** ADD [COLUMN] [IF NOT EXISTS] column definition; the name may be a struct path (s.field). */
MallardAlterTable.Action AddColumn() :
{
    final boolean ifNotExists;
    final MallardColumnDeclaration column;
}
{
    <ADD> [ <COLUMN> ] ifNotExists = IfNotExistsOpt() column = ColumnDefinition()
    {
        return new MallardAlterTable.AddColumn(column, ifNotExists);
    }
}

/** DROP [COLUMN] [IF EXISTS] path. */
MallardAlterTable.Action DropColumn() :
{
    final boolean ifExists;
    final SqlIdentifier path;
}
{
    <DROP> [ <COLUMN> ] ifExists = IfExistsOpt() path = CompoundIdentifier()
    {
        return new MallardAlterTable.DropColumn(path, ifExists);
    }
}

/** RENAME TO new_table_name, or RENAME [COLUMN] path TO new_column_name. */
MallardAlterTable.Action Rename() :
{
    final SqlIdentifier path;
    final SqlIdentifier newName;
}
{
    <RENAME>
    (
        <TO> newName = SimpleIdentifier() {
            return new MallardAlterTable.RenameTable(newName);
        }
    |
        [ <COLUMN> ] path = CompoundIdentifier() <TO> newName = SimpleIdentifier() {
            return new MallardAlterTable.RenameColumn(path, newName);
        }
    )
}

/**
 * ALTER [COLUMN] path followed by [SET DATA] TYPE type, SET NOT NULL, DROP NOT NULL,
 * SET DEFAULT literal or DROP DEFAULT.
 */
MallardAlterTable.Action AlterColumn() :
{
    final SqlIdentifier path;
    final ColumnType type;
    final SqlNode defaultValue;
}
{
    <ALTER> [ <COLUMN> ] path = CompoundIdentifier()
    (
        <TYPE> type = DuckDbType() [ <USING> { throw ParseErrors.alterTypeUsing(getPos()); } ] {
            return new MallardAlterTable.SetType(path, type);
        }
    |
        <SET>
        (
            <DATA> <TYPE> type = DuckDbType()
            [ <USING> { throw ParseErrors.alterTypeUsing(getPos()); } ] {
                return new MallardAlterTable.SetType(path, type);
            }
        |
            <NOT> <NULL> { return new MallardAlterTable.SetNotNull(path, true); }
        |
            <DEFAULT_> defaultValue = Expression(ExprContext.ACCEPT_NON_QUERY) {
                DefaultValues.check(defaultValue);
                return new MallardAlterTable.SetDefault(path, defaultValue);
            }
        )
    |
        <DROP>
        (
            <NOT> <NULL> { return new MallardAlterTable.SetNotNull(path, false); }
        |
            <DEFAULT_> { return new MallardAlterTable.SetDefault(path, null); }
        )
    )
}

/** SET PARTITIONED BY (key, ...), each key a column or year|month|day|hour(column) or bucket(n, column). */
MallardAlterTable.Action SetPartitionedBy() :
{
    final List<DdlTarget.PartitionKey> keys = new ArrayList<DdlTarget.PartitionKey>();
}
{
    <SET> <PARTITIONED> <BY> <LPAREN>
    AddPartitionKey(keys) ( <COMMA> AddPartitionKey(keys) )*
    <RPAREN>
    {
        return new MallardAlterTable.SetPartitionedBy(keys);
    }
}

void AddPartitionKey(List<DdlTarget.PartitionKey> keys) :
{
    final SqlIdentifier name;
    final Span s;
    int buckets = 0;
    final SqlIdentifier column;
}
{
    name = SimpleIdentifier() { s = span(); }
    (
        <LPAREN>
        [ buckets = UnsignedIntLiteral() <COMMA> ]
        column = SimpleIdentifier()
        <RPAREN> {
            keys.add(MallardAlterTable.partitionKey(name, buckets, column, s.end(this)));
        }
    |
        { keys.add(new DdlTarget.PartitionKey(name.getSimple(), "identity")); }
    )
}
