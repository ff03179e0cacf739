<#--
  Column types in DDL, in DuckDB's syntax rather than Calcite's DataType(): DuckDB users write
  HUGEINT, UBIGINT, TIMESTAMPTZ, STRUCT(a INTEGER), INTEGER[] and MAP(VARCHAR, INTEGER), which
  Calcite's types cannot say. The grammar only takes the shape (a name, words such as
  PRECISION or WITH TIME ZONE, arguments in parentheses, [] suffixes); DuckDbTypes maps names to
  DuckLake types and rejects what DuckLake cannot store, naming the type.
-->

/** A column type: a base type, then any number of {@code []} or {@code ARRAY} (list of). */
ColumnType DuckDbType() :
{
    ColumnType type;
    Span s;
    int size;
}
{
    type = DuckDbBaseType()
    (
        <LBRACKET> { s = span(); }
        (
            <RBRACKET> { type = ColumnType.list(type); }
        |
            size = UnsignedIntLiteral() <RBRACKET> {
                throw DuckDbTypes.fixedSizeArray(size, s.end(this));
            }
        )
    |
        <ARRAY> { type = ColumnType.list(type); }
    )*
    { return type; }
}

/** A type name with its words and arguments, e.g. {@code DECIMAL(18, 3)}, {@code STRUCT(a INT)}. */
ColumnType DuckDbBaseType() :
{
    final Span s;
    final String name;
    final StringBuilder words = new StringBuilder();
    final List<Integer> numbers = new ArrayList<Integer>();
    final List<ColumnType.Field> fields = new ArrayList<ColumnType.Field>();
    final List<ColumnType> types = new ArrayList<ColumnType>();
}
{
    name = DuckDbTypeName() {
        s = span();
        DuckDbTypes.checkName(name, s.pos());
    }
    // Words that continue a name: DOUBLE PRECISION, CHARACTER VARYING, TIME WITH TIME ZONE.
    (
        <PRECISION> { words.append(" PRECISION"); }
    |
        <VARYING> { words.append(" VARYING"); }
    |
        <WITH> <TIME> <ZONE> { words.append(" WITH TIME ZONE"); }
    |
        <WITHOUT> <TIME> <ZONE> { words.append(" WITHOUT TIME ZONE"); }
    )*
    [
        <LPAREN>
        (
            LOOKAHEAD({ DuckDbTypes.takesFields(name) })
            DuckDbField(fields) ( <COMMA> DuckDbField(fields) )*
        |
            LOOKAHEAD({ DuckDbTypes.takesTypes(name) })
            AddDuckDbType(types) ( <COMMA> AddDuckDbType(types) )*
        |
            AddTypeModifier(numbers) ( <COMMA> AddTypeModifier(numbers) )*
        )
        <RPAREN>
    ]
    {
        return DuckDbTypes.resolve(name + words, numbers, types, fields, s.end(this));
    }
}

/**
 * The first word of a type name. Type names are not keywords in DuckDB; BINARY and INTERVAL are
 * the ones that Mallard reserves (DuckDB does too, outside types).
 */
String DuckDbTypeName() :
{
    final String name;
}
{
    (
        name = Identifier()
    |
        <BINARY> { name = "BINARY"; }
    |
        <INTERVAL> { name = "INTERVAL"; }
    )
    { return name; }
}

void DuckDbField(List<ColumnType.Field> fields) :
{
    final String name;
    final ColumnType type;
}
{
    name = Identifier() type = DuckDbType() {
        fields.add(new ColumnType.Field(name, type));
    }
}

void AddDuckDbType(List<ColumnType> types) :
{
    final ColumnType type;
}
{
    type = DuckDbType() { types.add(type); }
}

void AddTypeModifier(List<Integer> numbers) :
{
    final int n;
}
{
    n = UnsignedIntLiteral() { numbers.add(n); }
}
