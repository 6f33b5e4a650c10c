package org.chorus.cli;

import org.apache.spark.sql.AnalysisException;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.chorus.core.ChorusException;
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
  public Integer call() throws Exception {
    // a run killed while publishing is finished first, so the query sees whole runs (docs/jobs.md)
    tables().publisher().recover();
    try {
      Dataset<Row> result = spark().sql(query);
      ResultPrinter.print(result, format, out());
    } catch (Exception e) {
      // Only the user's own query is "bad usage"; analysis errors inside jobs are failures of the job.
      // (Scala throws the checked AnalysisException without declaring it, so it is caught as Exception here.)
      if (!(e instanceof AnalysisException)) {
        throw e;
      }
      String message = e.getMessage() == null ? "" : e.getMessage().split("\n")[0];
      throw new ChorusException(ChorusException.EXIT_USAGE, "bad query: " + message, e);
    }
    return 0;
  }
}
