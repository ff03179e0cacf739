<#--
  DuckDB's ORDER BY ALL and GROUP BY ALL. Calcite's AddOrderItem and GroupBy are renamed
  (templates/Parser.jj) and wrapped here. ORDER BY ALL parses as DuckDB stores it in a view's SQL,
  ORDER BY COLUMNS(*); both, and GROUP BY ALL, are expanded by MallardValidator (see AllColumns).
-->

/** ALL as an ORDER BY item (with its ASC/DESC and NULLS), or one of Calcite's items. */
void AddOrderItem(List<SqlNode> list) :
{
    SqlNode e;
}
{
    <ALL> { e = AllColumns.columnsStar(getPos()); }
    (
        <ASC>
    |   <DESC> {
            e = SqlStdOperatorTable.DESC.createCall(getPos(), e);
        }
    )?
    (
        LOOKAHEAD(2)
        <NULLS> <FIRST> {
            e = SqlStdOperatorTable.NULLS_FIRST.createCall(getPos(), e);
        }
    |
        <NULLS> <LAST> {
            e = SqlStdOperatorTable.NULLS_LAST.createCall(getPos(), e);
        }
    )?
    {
        list.add(e);
    }
|
    CalciteAddOrderItem(list)
}

/**
 * GROUP BY ALL with nothing after ALL (DuckDB: group by every select item without an aggregate),
 * else Calcite's GROUP BY [ALL | DISTINCT] list.
 */
SqlNodeList GroupBy() :
{
    final SqlNodeList list;
    final Span s;
}
{
    (
        LOOKAHEAD({ getToken(1).kind == GROUP && getToken(2).kind == BY && getToken(3).kind == ALL
            && AllColumns.endsClause(getToken(4).image, getToken(4).kind == EOF) })
        <GROUP> { s = span(); } <BY> <ALL> {
            return AllColumns.groupByAll(s.end(this));
        }
    |
        list = CalciteGroupBy() { return list; }
    )
}
