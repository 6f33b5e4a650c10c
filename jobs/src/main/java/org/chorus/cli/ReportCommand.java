package org.chorus.cli;

import org.chorus.report.ReportJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus report}: a self-contained HTML page of charts over what the warehouse holds. */
@Command(name = "report", description = "Write a self-contained index.html (inline SVG charts, no network) over what "
    + "the warehouse holds.")
final class ReportCommand extends BaseCommand {
  @Option(names = "--out", required = true, paramLabel = "DIR", description = "where index.html goes")
  String out;

  @Option(names = "--conversation", paramLabel = "ID",
      description = "opinions of this conversation (default: the last one chorus opinions wrote)")
  String conversation;

  @Option(names = "--population", paramLabel = "ID", description = "weights (default: the last written)")
  String population;

  @Option(names = "--pool", paramLabel = "ID", description = "panel probabilities (default: the last written)")
  String pool;

  @Option(names = "--dataset", paramLabel = "ID",
      description = "aggregation and reward model evaluation (default: the last written)")
  String dataset;

  @Option(names = "--prompts", paramLabel = "ID", description = "prompt coverage (default: the last written)")
  String prompts;

  @Option(names = "--shards", paramLabel = "DIR", description = "a directory from chorus shards to summarise")
  String shards;

  @Override
  public Integer call() {
    ReportJob.Result r = ReportJob.run(tables(), new ReportJob.Options(out, conversation, population, pool, dataset,
        prompts, shards));
    out().printf("report: %d charts in %d sections -> %s%n", r.charts(), r.sections().size(), r.file());
    if (!r.missing().isEmpty()) {
      out().println("  not in this warehouse: " + String.join(", ", r.missing()));
    }
    return 0;
  }
}
