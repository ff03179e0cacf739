<#--
  DuckDB's integer division, a // b (see DuckDbDivision). Calcite's lexer read "//" as the start of
  a comment, which made "SELECT i // 2 FROM t" return i: templates/Parser.jj keeps only "--" as a
  single-line comment, and config.fmpp declares the DOUBLE_SLASH token and hooks this production in
  after an expression, where Calcite's binary operators are read.
-->

/** "// b" after an expression: the operator and its right operand. */
void MallardIntegerDivide(List<Object> list, ExprContext exprContext, Span s) :
{
}
{
    <DOUBLE_SLASH> {
        checkNonQueryExpression(exprContext);
        list.add(new SqlParserUtil.ToTreeListItem(DuckDbDivision.INTEGER_DIVIDE, getPos()));
    }
    AddExpression2b(list, ExprContext.ACCEPT_SUB_QUERY)
}
