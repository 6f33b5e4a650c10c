package org.chorus.aggregate;

import java.util.Arrays;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus aggregate}: every aggregation method side by side, overall, weighted and per group. */
@Command(name = "aggregate", description = "Aggregate comparisons under many methods; compare the methods.")
public final class AggregateCommand extends JobCommand<AggregateJob.Options, AggregateJob.Result> {
  @Option(names = "--dataset", required = true, paramLabel = "ID", description = "dataset of input.comparisons")
  String dataset;

  @Option(names = "--methods", paramLabel = "M,M",
      description = "comma-separated subset of winrate, borda, copeland, schulze, kemeny, bt, elo, rank_centrality, "
          + "maxmin (default: all)")
  String methods;

  @Option(names = "--population", paramLabel = "ID",
      description = "weight each comparison by its rater's weight in derived.participant_weights")
  String population;

  @Option(names = "--groups-from", paramLabel = "CONVERSATION",
      description = "raters' groups from derived.participant_groups of this conversation (default: the comparisons' "
          + "rater_group, else objective)")
  String groupsFrom;

  @Option(names = "--bootstrap", defaultValue = "0", paramLabel = "B",
      description = "Poisson bootstrap replicates for confidence intervals (default: ${DEFAULT-VALUE})")
  int bootstrap;

  @Option(names = "--bt-prior", defaultValue = "0", paramLabel = "L",
      description = "Gaussian prior precision on Bradley-Terry log-strengths (default: ${DEFAULT-VALUE})")
  double btPrior;

  @Option(names = "--seed", defaultValue = "1", paramLabel = "S",
      description = "seed of Elo's order and of the bootstrap (default: ${DEFAULT-VALUE})")
  long seed;

  @Override
  protected Job<AggregateJob.Options, AggregateJob.Result> job() {
    return new AggregateJob();
  }

  @Override
  protected AggregateJob.Options options(ChorusConfig config) {
    AggregateJob.Options o = AggregateJob.Options.of(dataset).withPopulation(population).withGroupsFrom(groupsFrom)
        .withBootstrap(bootstrap).withBtPrior(btPrior).withSeed(seed);
    return methods == null ? o : o.withMethods(Arrays.stream(methods.split(",")).map(String::trim)
        .filter(s -> !s.isEmpty()).toList());
  }
}
