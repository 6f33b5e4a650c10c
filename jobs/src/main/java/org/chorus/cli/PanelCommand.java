package org.chorus.cli;

import org.chorus.core.ChorusException;
import org.chorus.core.tables.WriteResult;
import org.chorus.panel.PanelJob;
import org.chorus.panel.PanelStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus panel}: fair selection probabilities for a sortition pool, and one seeded panel draw. */
@Command(name = "panel", description = "Select a panel from a pool: probabilities per volunteer and one seeded draw.")
final class PanelCommand extends BaseCommand {
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
  public Integer call() {
    PanelJob.Method m;
    try {
      m = PanelJob.Method.valueOf(method.trim().toUpperCase(java.util.Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw ChorusException.usage("--method must be leximin, maximin, nash or legacy, got '%s'", method);
    }
    ChorusException.checkUsage(size >= 1, "--size must be at least 1, got %d", size);
    ChorusException.checkUsage(legacyDraws == null || legacyDraws >= 0, "--legacy-draws must be >= 0");
    long s = seed != null ? seed : config().panel.seed;
    int draws = legacyDraws != null ? legacyDraws : config().panel.legacyDraws;
    PanelJob.Result r = PanelJob.run(tables(), config().panel, pool, size, m, s, draws, msg -> out().println("  " + msg));
    out().printf("panel %s (%s): %,d people, %d types, panel of %d%n", pool, m.id(), r.poolSize(), r.types(), r.k());
    out().println("  " + r.detail());
    out().printf("  %-8s %9s %9s %7s %9s%n", "method", "min", "mean", "gini", "geo-mean");
    print(m.id(), r.stats());
    if (r.legacy() != null) {
      print("legacy", r.legacy().stats());
      out().printf("  legacy: %,d simulated draws; %.1f%% of the pool below %s's minimum %.4f%n", r.legacy().draws(),
          100 * r.legacy().shareBelowChosenMinimum(), m.id(), r.stats().min());
    }
    out().printf("  drawn panel (seed %d): %d members, meets every quota%n", s, r.panel().size());
    for (WriteResult w : r.writes()) {
      out().println("  " + w);
    }
    return 0;
  }

  private void print(String name, PanelStats st) {
    out().printf("  %-8s %9.4f %9.4f %6.1f%% %9.4f%n", name, st.min(), st.mean(), 100 * st.gini(), st.geometricMean());
  }
}
