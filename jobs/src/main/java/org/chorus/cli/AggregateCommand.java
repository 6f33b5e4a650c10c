package org.chorus.cli;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.chorus.aggregate.AggregateJob;
import org.chorus.aggregate.Election;
import org.chorus.core.tables.WriteResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus aggregate}: every aggregation method side by side, overall, weighted and per group. */
@Command(name = "aggregate", description = "Aggregate comparisons under many methods; compare the methods.")
final class AggregateCommand extends BaseCommand {
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
  public Integer call() {
    List<String> chosen = methods == null ? List.copyOf(Election.METHODS)
        : Arrays.stream(methods.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    AggregateJob.Result r = AggregateJob.run(tables(), dataset,
        new AggregateJob.Options(chosen, population, groupsFrom, bootstrap, btPrior, seed));
    out().printf("aggregate %s: %,d comparisons over %,d prompts, %d methods%n", dataset, r.comparisons(),
        r.prompts(), chosen.size());
    if (population != null) {
      out().printf("  weighted by population %s (%,d comparisons without a rater weight count as 1)%n", population,
          r.unweightedRaters());
    }
    out().println("  winners (rank 1) per method" + (r.prompts() > 3 ? ", first 3 prompts:" : ":"));
    for (Map.Entry<String, List<String>> w : r.winners().entrySet()) {
      List<String> shown = w.getValue().subList(0, Math.min(3, w.getValue().size()));
      out().printf("    %-16s %s%n", w.getKey(), String.join("  ", shown));
    }
    for (String note : r.notes()) {
      out().println("  note: " + note);
    }
    out().printf("  %-16s %-16s %7s %7s  %s%n", "method a", "method b", "tau", "flips",
        "share of Condorcet winners picked (a, b)");
    for (Row c : r.comparison()) {
      out().printf("  %-16s %-16s %7s %6s%% %4s %4s%n", c.getString(1), c.getString(2), fmt(c.get(3), "%.3f"),
          c.isNullAt(4) ? "-" : String.format("%.1f", 100 * c.getDouble(4)), fmt(c.get(7), "%.2f"),
          fmt(c.get(8), "%.2f"));
    }
    out().println("  who loses most (share of each method's worst group's preferences it honours):");
    for (Map.Entry<String, Map<String, Double>> h : r.honoured().entrySet()) {
      String group = AggregateJob.worst(h.getValue());
      if (group != null) {
        out().printf("    %-16s %s (%.1f%%; all raters %.1f%%)%n", h.getKey(), group, 100 * h.getValue().get(group),
            100 * h.getValue().get("all"));
      }
    }
    for (WriteResult w : r.writes()) {
      out().println("  " + w);
    }
    return 0;
  }

  private static String fmt(Object v, String format) {
    return v == null ? "-" : String.format(format, v);
  }
}
