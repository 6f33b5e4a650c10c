package org.chorus.policy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.chorus.core.ChorusException;

/** How accepted statements become policy rules. */
public enum PolicyRule {
  /** Group-informed consensus, Polis's product over groups of (A_g + 1) / (S_g + 2), at least T. */
  GIC("gic", 0.5),
  /**
   * In every opinion group, agrees / (agrees + disagrees + passes) among the group's voters exceeds T (the Collective
   * Constitutional AI analysis, T from 0.6 to 0.9).
   */
  BOTH_GROUPS("both-groups", 0.7),
  /** Community Notes bridging status "helpful" (intercept at least 0.40, factor below 0.5 in magnitude). */
  BRIDGING("bridging", Double.NaN);

  private final String id;
  private final double defaultThreshold;

  PolicyRule(String id, double defaultThreshold) {
    this.id = id;
    this.defaultThreshold = defaultThreshold;
  }

  public String id() {
    return id;
  }

  public boolean hasThreshold() {
    return !Double.isNaN(defaultThreshold);
  }

  public double defaultThreshold() {
    return defaultThreshold;
  }

  public static PolicyRule parse(String s) {
    for (PolicyRule r : values()) {
      if (r.id.equals(s.toLowerCase(Locale.ROOT))) {
        return r;
      }
    }
    throw ChorusException.usage("unknown --rule '%s': use gic, both-groups or bridging", s);
  }

  /** Whether the statement passes this rule at threshold {@code t}. */
  public boolean selects(Candidate c, double t) {
    return switch (this) {
      case GIC -> c.gic() >= t;
      case BOTH_GROUPS -> !c.groups().isEmpty() && c.minGroupSupport() > t;
      case BRIDGING -> "helpful".equals(c.bridgingStatus());
    };
  }

  /**
   * The selected statements, strongest first: by lowest group support (overall support without groups), then
   * overall support, then statement id.
   */
  public List<Candidate> select(List<Candidate> candidates, double t) {
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : candidates) {
      if (selects(c, t)) {
        out.add(c);
      }
    }
    out.sort(STRONGEST_FIRST);
    return out;
  }

  static final Comparator<Candidate> STRONGEST_FIRST = Comparator
      .comparingDouble((Candidate c) -> -orSupport(c.minGroupSupport(), c.support()))
      .thenComparingDouble(c -> -c.support())
      .thenComparingLong(Candidate::statementId);

  private static double orSupport(double v, double fallback) {
    return Double.isNaN(v) ? (Double.isNaN(fallback) ? 0 : fallback) : v;
  }
}
