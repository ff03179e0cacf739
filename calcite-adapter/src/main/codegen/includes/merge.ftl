<#--
  DuckDB's MERGE INTO, parsed into MallardMerge. Listed in statementParserMethods, so it is tried
  before Calcite's own SqlMerge production, which it replaces: Calcite's knows only one
  unconditional WHEN MATCHED THEN UPDATE and one WHEN NOT MATCHED THEN INSERT, and has no hook.
-->

/** MERGE INTO target [[AS] alias] USING source ON condition (WHEN ... THEN action)+. */
SqlNode MallardMerge() :
{
    final Span s;
    final SqlIdentifier table;
    SqlIdentifier alias = null;
    final SqlNode source;
    final SqlNode condition;
    final List<MallardMerge.Clause> clauses = new ArrayList<MallardMerge.Clause>();
    MallardMerge.Clause clause;
}
{
    <MERGE> { s = span(); } <INTO> table = CompoundTableIdentifier()
    [ [ <AS> ] alias = SimpleIdentifier() ]
    <USING> source = TableRef()
    <ON> condition = Expression(ExprContext.ACCEPT_SUB_QUERY)
    ( clause = MallardMergeClause() { clauses.add(clause); } )+
    {
        return new MallardMerge(s.end(this), table, alias, source, condition, clauses);
    }
}

/** WHEN [NOT] MATCHED [BY SOURCE | BY TARGET] [AND condition] THEN action. */
MallardMerge.Clause MallardMergeClause() :
{
    final MallardMerge.When when;
    SqlNode condition = null;
    MallardMerge.Action action;
    SqlNodeList columns = null;
    SqlNodeList values = null;
    SqlIdentifier id;
    SqlNode e;
}
{
    <WHEN>
    (
        <MATCHED> { when = MallardMerge.When.MATCHED; }
    |
        <NOT> <MATCHED>
        (
            LOOKAHEAD(2) <BY> <SOURCE> { when = MallardMerge.When.NOT_MATCHED_BY_SOURCE; }
        |
            LOOKAHEAD(2) <BY> <TARGET> { when = MallardMerge.When.NOT_MATCHED; }
        |
            { when = MallardMerge.When.NOT_MATCHED; }
        )
    )
    [ <AND> condition = Expression(ExprContext.ACCEPT_SUB_QUERY) ]
    <THEN>
    (
        <UPDATE> { action = MallardMerge.Action.UPDATE; }
        [
            <SET>
            (
                <STAR>
            |
                {
                    columns = new SqlNodeList(getPos());
                    values = new SqlNodeList(getPos());
                }
                id = CompoundIdentifier() { columns.add(id); }
                <EQ> e = Expression(ExprContext.ACCEPT_SUB_QUERY) { values.add(e); }
                (
                    <COMMA> id = CompoundIdentifier() { columns.add(id); }
                    <EQ> e = Expression(ExprContext.ACCEPT_SUB_QUERY) { values.add(e); }
                )*
            )
        ]
    |
        <DELETE> { action = MallardMerge.Action.DELETE; }
    |
        <INSERT> { action = MallardMerge.Action.INSERT; }
        [
            <STAR>
        |
            <DEFAULT_> <VALUES> { values = new SqlNodeList(getPos()); }
        |
            [ columns = ParenthesizedSimpleIdentifierList() ]
            <VALUES> <LPAREN> { values = new SqlNodeList(getPos()); }
            e = MallardMergeValue() { values.add(e); }
            ( <COMMA> e = MallardMergeValue() { values.add(e); } )*
            <RPAREN>
        ]
    |
        <DO> <NOTHING> { action = MallardMerge.Action.DO_NOTHING; }
    |
        <ERROR> { action = MallardMerge.Action.ERROR; }
        [ e = Expression(ExprContext.ACCEPT_NON_QUERY) { values = SqlNodeList.of(e); } ]
    )
    {
        return new MallardMerge.Clause(when, condition, action, columns, values);
    }
}

/** A value of INSERT VALUES: an expression, or DEFAULT. */
SqlNode MallardMergeValue() :
{
    final SqlNode e;
}
{
    <DEFAULT_> { return SqlStdOperatorTable.DEFAULT.createCall(getPos()); }
|
    e = Expression(ExprContext.ACCEPT_SUB_QUERY) { return e; }
}
