package org.chorus.cli;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code chorus sql "SELECT ..."}: Spark SQL over every table and over parquet.`path`. */
@Command(name = "sql", description = "Run a Spark SQL query over the warehouse (and parquet.`path`).")
final class SqlCommand extends BaseCommand {
  @Parameters(index = "0", paramLabel = "QUERY", description = "e.g. SELECT * FROM input.votes LIMIT 10")
  String query;

  @Option(names = "--format", description = "csv (header + rows), json (one object per line) or table (default)")
  OutputFormat format = OutputFormat.table;

  @Override
  public Integer call() {
    Dataset<Row> result = spark().sql(query);
    ResultPrinter.print(result, format, out());
    return 0;
  }
}
