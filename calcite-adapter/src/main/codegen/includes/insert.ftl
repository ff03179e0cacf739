<#--
  DuckDB's INSERT INTO t BY NAME | BY POSITION, between the target table and the source. Calcite's
  SqlInsert has no hook there: templates/Parser.jj puts a call of this production into it.
-->

/** BY NAME (the target marked, see InsertByName) or BY POSITION (SQL's own order). */
SqlNode MallardInsertBy(SqlNode table) :
{
}
{
    <BY>
    (
        <NAME> { return InsertByName.mark(table, getPos()); }
    |
        <POSITION> { return table; }
    )
}
