<#--
  Time travel. Every form becomes Calcite's SqlSnapshot (what FOR SYSTEM_TIME AS OF parses to),
  so the validator and SqlToRelConverter carry it to a LogicalSnapshot like any other:

    t FOR SYSTEM_TIME AS OF expr        SqlSnapshot(t, expr)            (Calcite's own)
    t AT (TIMESTAMP => expr)            SqlSnapshot(t, expr)            (DuckDB)
    ... TIMESTAMP '2025-01-06 10:00:00.123456+00'  (a literal, any of the forms above)
                                        SqlSnapshot(t, DUCKLAKE_TIMESTAMP(micros))
    t AT (VERSION => n)                 SqlSnapshot(t, DUCKLAKE_VERSION(n))   (DuckDB)
    t FOR SYSTEM_TIME AS OF SNAPSHOT n  SqlSnapshot(t, DUCKLAKE_VERSION(n))   (Mallard)

  DUCKLAKE_VERSION is TimeTravel.DUCKLAKE_VERSION, typed TIMESTAMP because the validator wants a
  timestamp there; it marks a snapshot id and is never evaluated.
-->

/**
 * A table reference (Calcite's, see templates/Parser.jj) and DuckDB's time travel clause,
 * which DuckDB puts after the alias: {@code FROM t AS x AT (VERSION => 3)}.
 */
SqlNode TableRef3(ExprContext exprContext, boolean lateral) :
{
    SqlNode tableRef;
}
{
    tableRef = CalciteTableRef3(exprContext, lateral)
    [
        tableRef = AtClause(tableRef)
        [ tableRef = Tablesample(tableRef) ]
    ]
    { return tableRef; }
}

/** {@code AT (VERSION => n)} or {@code AT (TIMESTAMP => expr)}, applied to tableRef. */
SqlNode AtClause(SqlNode tableRef) :
{
    final Span s;
    final boolean version;
    final SqlNode e;
}
{
    <AT> { s = span(); }
    <LPAREN>
    (
        <VERSION> { version = true; }
    |
        <TIMESTAMP> { version = false; }
    )
    <NAMED_ARGUMENT_ASSIGNMENT>
    e = Expression(ExprContext.ACCEPT_NON_QUERY)
    <RPAREN>
    {
        return TimeTravel.at(tableRef, version, e, s.end(this));
    }
}

/**
 * A FOR SYSTEM_TIME clause: Mallard's {@code AS OF SNAPSHOT n}, where n is a number, a dynamic
 * parameter or an expression in parentheses, or else Calcite's {@code AS OF expr}.
 */
SqlSnapshot Snapshot(SqlNode tableRef) :
{
    final Span s;
    final SqlNode e;
}
{
    LOOKAHEAD(<FOR> <SYSTEM_TIME> <AS> <OF> <SNAPSHOT>
        (<UNSIGNED_INTEGER_LITERAL> | <HOOK> | <LPAREN>))
    <FOR> { s = span(); } <SYSTEM_TIME> <AS> <OF> <SNAPSHOT>
    (
        e = UnsignedNumericLiteralOrParam()
    |
        <LPAREN> e = Expression(ExprContext.ACCEPT_NON_QUERY) <RPAREN>
    )
    {
        return new SqlSnapshot(s.end(this), tableRef, TimeTravel.version(e, s.end(this)));
    }
|
    e = CalciteSnapshot(tableRef) { return TimeTravel.withUtcPeriod((SqlSnapshot) e); }
}
