package org.chorus.core.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/** Defaults of {@code chorus panel} ({@code chorus.panel}). */
public final class PanelConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Seed of the panel draw (and of the LEGACY simulation) when --seed is not given. */
  public final long seed;
  /** LEGACY panels simulated to estimate its probabilities (for --method legacy and for the comparison). */
  public final int legacyDraws;
  /** Extra panels the column generation tries to add per pricing round. */
  public final int extraPanels;
  /** NASH stops when its proven gap to the optimal Nash welfare is at most this per person. */
  public final double nashTolerance;

  PanelConfig(Config c, List<String> errors) {
    this.seed = Values.longValue(c, "chorus.panel.seed", Long.MIN_VALUE, Long.MAX_VALUE, errors);
    this.legacyDraws = Values.integer(c, "chorus.panel.legacy-draws", 0, 100_000_000, errors);
    this.extraPanels = Values.integer(c, "chorus.panel.extra-panels", 0, 1000, errors);
    this.nashTolerance = Values.number(c, "chorus.panel.nash-tolerance", 1e-12, 1, errors);
  }
}
