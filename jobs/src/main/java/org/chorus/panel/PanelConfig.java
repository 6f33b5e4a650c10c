package org.chorus.panel;

import java.io.Serializable;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.config.ConfigSection;
import org.chorus.core.config.SectionReader;

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

  private final String description;

  PanelConfig(ConfigSection s) {
    this.seed = s.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    this.legacyDraws = s.integer("legacy-draws", 0, 100_000_000);
    this.extraPanels = s.integer("extra-panels", 0, 1000);
    this.nashTolerance = s.number("nash-tolerance", 1e-12, 1);
    this.description = s.describe();
  }

  /** {@code chorus.panel} of {@code config}: every bad value on one line (exit 2) before Spark starts. */
  public static PanelConfig from(ChorusConfig config) {
    return config.section("panel", PanelConfig::new);
  }

  @Override
  public String toString() {
    return description;
  }

  /** Checks {@code chorus.panel} when the config is loaded (listed in META-INF/services). */
  public static final class Section extends SectionReader {
    public Section() {
      super("panel", PanelConfig::new);
    }
  }
}
