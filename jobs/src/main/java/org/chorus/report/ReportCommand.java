package org.chorus.report;

import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus report}: a self-contained HTML page of charts over what the warehouse holds. */
@Command(name = "report", description = "Write a self-contained index.html (inline SVG charts, no network) over what "
    + "the warehouse holds.")
public final class ReportCommand extends JobCommand<ReportJob.Options, ReportJob.Result> {
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
  protected Job<ReportJob.Options, ReportJob.Result> job() {
    return new ReportJob();
  }

  @Override
  protected ReportJob.Options options(ChorusConfig config) {
    return ReportJob.Options.of(out).withConversation(conversation).withPopulation(population).withPool(pool)
        .withDataset(dataset).withPrompts(prompts).withShards(shards);
  }
}
