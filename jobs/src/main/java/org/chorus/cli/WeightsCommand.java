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

  @Option(names = "--trim-percentile", paramLabel = "P",
      description = "clamp weights to their (100-P)th..Pth percentiles, then re-rake within them (50 < P < 100)")
  Double trimPercentile;

  @Option(names = "--collapse",
      description = "drop target levels nobody has and pool sample levels the margins lack, instead of failing")
  boolean collapse;

  @Option(names = "--tolerance", defaultValue = "5e-4", paramLabel = "T",
      description = "stop when max |weighted share / target - 1| <= T (default: ${DEFAULT-VALUE})")
  double tolerance;

  @Override
  public Integer call() {
    ChorusException.checkUsage(cap == null || cap > 1, "--cap must be greater than 1, got %s", cap);
    ChorusException.checkUsage(trimPercentile == null || (trimPercentile > 50 && trimPercentile < 100),
        "--trim-percentile must be between 50 and 100, got %s", trimPercentile);
    ChorusException.checkUsage(tolerance > 0 && tolerance < 1, "--tolerance must be in (0, 1), got %s", tolerance);
    WeightsJob.Options options = new WeightsJob.Options(cap == null ? Double.NaN : cap,
        trimPercentile == null ? Double.NaN : trimPercentile, collapse, tolerance, 1000);
    WeightsJob.Result r = WeightsJob.run(tables(), margins, population, scope != null ? scope : population, options);
    for (String c : r.collapsed()) {
      out().println("  collapsed " + c);
    }
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
