package org.chorus.panel;

import java.util.Locale;
import org.chorus.core.ChorusException;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus panel}: fair selection probabilities for a sortition pool, and one seeded panel draw. */
@Command(name = "panel", description = "Select a panel from a pool: probabilities per volunteer and one seeded draw.")
public final class PanelCommand extends JobCommand<PanelJob.Options, PanelJob.Result> {
  @Option(names = "--pool", required = true, paramLabel = "ID", description = "pool id given to ingest sortition")
  String pool;

  @Option(names = "--size", required = true, paramLabel = "K", description = "panel size")
  int size;

  @Option(names = "--method", defaultValue = "leximin", paramLabel = "M",
      description = "leximin | maximin | nash | legacy (default: ${DEFAULT-VALUE})")
  String method;

  @Option(names = "--seed", paramLabel = "S", description = "seed of the draw (default: chorus.panel.seed)")
  Long seed;

  @Option(names = "--legacy-draws", paramLabel = "N",
      description = "LEGACY draws simulated for its probabilities; 0 skips the comparison (default: "
          + "chorus.panel.legacy-draws)")
  Integer legacyDraws;

  @Override
  protected Job<PanelJob.Options, PanelJob.Result> job() {
    return new PanelJob();
  }

  @Override
  protected PanelJob.Options options(ChorusConfig config) {
    PanelJob.Method m;
    try {
      m = PanelJob.Method.valueOf(method.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ChorusException.usage("--method must be leximin, maximin, nash or legacy, got '%s'", method);
    }
    PanelJob.Options o = PanelJob.Options.of(pool, size, PanelConfig.from(config)).withMethod(m);
    o = seed == null ? o : o.withSeed(seed);
    return legacyDraws == null ? o : o.withLegacyDraws(legacyDraws);
  }
}
