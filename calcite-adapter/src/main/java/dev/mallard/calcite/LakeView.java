package dev.mallard.calcite;

import dev.mallard.calcite.parser.MallardParserFactory;
import dev.mallard.engine.MallardException.UserException;
import dev.mallard.engine.catalog.SchemaInfo;
import java.util.List;
import java.util.Properties;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.schema.SchemaPlus;
import org.apache.calcite.schema.TranslatableTable;
import org.apache.calcite.schema.impl.AbstractTable;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.tools.Frameworks;

/**
 * A view stored in the lake's catalog: its DuckDB SQL, with the catalog placeholder taken out,
 * planned as part of each query that reads it. A view whose SQL Mallard cannot parse or validate is
 * still listed; reading it fails with an error that names it.
 */
final class LakeView extends AbstractTable implements TranslatableTable {
  /** How Mallard connections parse SQL; views are parsed the same way. */
  static final SqlParser.Config PARSER = SqlParser.config()
      .withParserFactory(MallardParserFactory.INSTANCE)
      .withConformance(SqlConformanceEnum.BABEL)
      .withUnquotedCasing(Casing.UNCHANGED)
      .withQuotedCasing(Casing.UNCHANGED)
      .withCaseSensitive(false);

  private final LakeContext lake;
  private final String schema;
  private final String name;
  private final String sql;
  private final List<String> columnAliases;
  private RelDataType validatedType;

  LakeView(LakeContext lake, String schema, String name, String sql, List<String> columnAliases) {
    this.lake = lake;
    this.schema = schema;
    this.name = name;
    this.sql = sql;
    this.columnAliases = columnAliases;
  }

  String sql() {
    return sql;
  }

  @Override
  public synchronized RelDataType getRowType(RelDataTypeFactory typeFactory) {
    if (validatedType == null) {
      validatedType = validate();
    }
    RelDataType type = typeFactory.copyType(validatedType);
    if (columnAliases.isEmpty()) {
      return type;
    }
    if (columnAliases.size() > type.getFieldCount()) {
      throw new UserException("View " + schema + "." + name + " names " + columnAliases.size()
          + " columns but its query returns " + type.getFieldCount());
    }
    RelDataTypeFactory.Builder b = typeFactory.builder();
    for (int i = 0; i < type.getFieldCount(); i++) {
      b.add(i < columnAliases.size() ? columnAliases.get(i) : type.getFieldList().get(i).getName(),
          type.getFieldList().get(i).getType());
    }
    return b.build();
  }

  /** The row type of the view's query, validated against the lake as it is now. */
  private RelDataType validate() {
    SchemaPlus root = Frameworks.createRootSchema(false);
    for (SchemaInfo s : lake.view().schemas()) {
      root.add(s.name(), new DuckLakeSchema(lake, s.name())).setCacheEnabled(false);
    }
    SchemaPlus home = root.subSchemas().get(schema);
    // Mallard's validator, as statements get (it expands DuckDB's ORDER BY ALL / GROUP BY ALL).
    Properties properties = new Properties();
    properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
    JavaTypeFactory typeFactory = new MallardJavaTypeFactory(MallardTypeSystem.EXACT_TIMESTAMPS);
    CalciteCatalogReader reader = new CalciteCatalogReader(CalciteSchema.from(root),
        home != null ? List.of(schema) : List.of(), typeFactory, new CalciteConnectionConfigImpl(properties));
    SqlValidator validator = new MallardValidator(
        org.apache.calcite.sql.util.SqlOperatorTables.chain(DuckDbFunctions.TABLE, SqlStdOperatorTable.instance()),
        reader, typeFactory,
        MallardValidator.strictGroupBy(SqlValidator.Config.DEFAULT.withConformance(SqlConformanceEnum.BABEL)));
    try {
      SqlNode parsed = SqlParser.create(sql, PARSER).parseQuery();
      return validator.getValidatedNodeType(validator.validate(parsed));
    } catch (Exception e) {
      throw new UserException("View " + schema + "." + name + " cannot be read by Mallard: its SQL does not parse"
          + " or validate here (" + firstLine(e) + "). Its SQL: " + sql);
    }
  }

  private static String firstLine(Throwable e) {
    Throwable cause = e;
    while (cause.getCause() != null && cause.getMessage() != null && cause.getMessage().isEmpty()) {
      cause = cause.getCause();
    }
    String message = String.valueOf(cause.getMessage());
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  @Override
  public RelNode toRel(RelOptTable.ToRelContext context, RelOptTable relOptTable) {
    RelDataType rowType = relOptTable.getRowType();
    RelRoot root;
    try {
      root = context.expandView(rowType, sql, List.of(schema), List.of(schema, name));
    } catch (RuntimeException e) {
      throw new UserException("View " + schema + "." + name + " cannot be read by Mallard: " + firstLine(e));
    }
    return RelOptUtil.createCastRel(root.rel, rowType, true);
  }

  /**
   * The view's SQL for Mallard: DuckDB stores references to the lake itself as
   * {@code {DUCKLAKE_CATALOG}.schema.table}; Mallard's schemas are at the top, so the placeholder goes
   * (outside string literals and quoted names).
   */
  static String withoutCatalogPlaceholder(String sql) {
    String placeholder = "{DUCKLAKE_CATALOG}.";
    StringBuilder out = new StringBuilder();
    char quote = 0;
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (quote == 0 && sql.startsWith(placeholder, i)) {
        i += placeholder.length() - 1;
        continue;
      }
      if (quote == 0 && (c == '\'' || c == '"')) {
        quote = c;
      } else if (c == quote) {
        quote = 0;
      }
      out.append(c);
    }
    return out.toString();
  }
}
