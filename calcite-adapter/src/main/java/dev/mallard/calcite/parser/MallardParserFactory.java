package dev.mallard.calcite.parser;

import java.io.Reader;
import org.apache.calcite.server.DdlExecutor;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParserImplFactory;

/**
 * The parser of Mallard connections: connection property
 * {@code parserFactory=dev.mallard.calcite.parser.MallardParserFactory#INSTANCE}. It parses
 * DuckDB-flavoured SQL (see src/main/codegen) and runs DDL through {@link MallardDdlExecutor}.
 */
public final class MallardParserFactory implements SqlParserImplFactory {
  public static final MallardParserFactory INSTANCE = new MallardParserFactory();

  private MallardParserFactory() {}

  @Override
  public SqlAbstractParserImpl getParser(Reader reader) {
    return MallardParser.create(reader);
  }

  @Override
  public DdlExecutor getDdlExecutor() {
    return MallardDdlExecutor.INSTANCE;
  }
}
