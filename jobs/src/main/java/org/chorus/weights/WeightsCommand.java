package org.chorus.weights;

import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus weights}: raking weights of participants to population margins, with survey diagnostics. */
@Command(name = "weights", description = "Rake participants to population margins; write weights and diagnostics.")
public final class WeightsCommand extends JobCommand<WeightsJob.Options, WeightsJob.Result> {
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
  protected Job<WeightsJob.Options, WeightsJob.Result> job() {
    return new WeightsJob();
  }

  @Override
  protected WeightsJob.Options options(ChorusConfig config) {
    WeightsJob.Options o = WeightsJob.Options.of(margins, population).with(new WeightsJob.Rake(
        cap == null ? Double.NaN : cap, trimPercentile == null ? Double.NaN : trimPercentile, collapse, tolerance,
        1000));
    return scope == null ? o : o.withScope(scope);
  }
}
