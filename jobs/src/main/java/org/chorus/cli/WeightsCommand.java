package org.chorus.cli;

import org.apache.spark.sql.Row;
import org.chorus.core.ChorusException;
import org.chorus.core.tables.WriteResult;
import org.chorus.weights.WeightsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus weights}: raking weights of participants to population margins, with survey diagnostics. */
@Command(name = "weights", description = "Rake participants to population margins; write weights and diagnostics.")
final class WeightsCommand extends BaseCommand {
  @Option(names = "--margins", required = true, paramLabel = "FILE", description = "CSV dimension,value,share")
  String margins;

  @Option(names = "--population", required = true, paramLabel = "ID", description = "id the weights are stored under")
  String population;

  @Option(names = "--scope", paramLabel = "ID",
      description = "participants of this conversation/dataset (default: the population id)")
  String scope;

  @Option(names = "--cap", paramLabel = "R", description = "weights at most R x mean (excess redistributed)")
  Double cap;

  @Override
  public Integer call() {
    ChorusException.checkUsage(cap == null || cap > 1, "--cap must be greater than 1, got %s", cap);
    WeightsJob.Result r = WeightsJob.run(tables(), margins, population, scope != null ? scope : population,
        cap == null ? Double.NaN : cap);
    out().printf("weights %s: %,d participants, %s after %d sweeps (max margin error %.2e)%n", population,
        r.participants(), r.raking().converged() ? "converged" : "NOT converged", r.raking().sweeps(),
        r.raking().maxMarginError());
    out().printf("  design effect %.3f, effective sample size %,.0f%n", r.designEffect(), r.effectiveSampleSize());
    out().printf("  %-20s %-20s %9s %11s %9s%n", "dimension", "level", "target", "unweighted", "weighted");
    String dim = null;
    String level = null;
    double[] shares = new double[3];
    for (Row d : r.diagnostics()) {
      String metric = d.getString(1);
      int k = switch (metric) {
        case "target_share" -> 0;
        case "unweighted_share" -> 1;
        case "weighted_share" -> 2;
        default -> -1;
      };
      if (k < 0) {
        continue;
      }
      dim = d.getString(2);
      level = d.getString(3);
      shares[k] = d.getDouble(4);
      if (k == 2) {
        out().printf("  %-20s %-20s %9.4f %11.4f %9.4f%n", dim, level, shares[0], shares[1], shares[2]);
      }
    }
    for (WriteResult w : r.writes()) {
      out().println("  " + w);
    }
    return 0;
  }
}
