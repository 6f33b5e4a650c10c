package org.chorus.policy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * One accepted statement with its votes: overall and per opinion group, each as agree / disagree / pass counts, plus
 * the group-informed consensus and the Community Notes bridging verdict computed by {@code chorus opinions}.
 */
public record Candidate(long statementId, String text, Votes overall, SortedMap<Integer, Votes> groups, double gic,
    String bridgingStatus, Double bridgingIntercept) {

  /** Vote counts on one statement. */
  public record Votes(long agree, long disagree, long pass) {
    public long total() {
      return agree + disagree + pass;
    }

    /** agrees / (agrees + disagrees + passes): the support the CCAI analysis used; NaN without votes. */
    public double support() {
      long n = total();
      return n == 0 ? Double.NaN : (double) agree / n;
    }
  }

  public Candidate {
    groups = Collections.unmodifiableSortedMap(new TreeMap<>(groups));
  }

  public double support() {
    return overall.support();
  }

  /** Each group's support; NaN for a group with no votes on the statement. */
  public SortedMap<Integer, Double> groupSupport() {
    SortedMap<Integer, Double> out = new TreeMap<>();
    groups.forEach((g, v) -> out.put(g, v.support()));
    return out;
  }

  /** The lowest group support (NaN when a group has no votes or there are no groups). */
  public double minGroupSupport() {
    if (groups.isEmpty()) {
      return Double.NaN;
    }
    double min = Double.POSITIVE_INFINITY;
    for (Votes v : groups.values()) {
      double s = v.support();
      if (Double.isNaN(s)) {
        return Double.NaN;
      }
      min = Math.min(min, s);
    }
    return min;
  }

  /** Builds the per-group counts from the three maps of derived.statement_stats. */
  public static SortedMap<Integer, Votes> groups(Map<Integer, Long> agree, Map<Integer, Long> disagree,
      Map<Integer, Long> pass) {
    SortedMap<Integer, Votes> out = new TreeMap<>();
    for (Integer g : agree.keySet()) {
      out.put(g, new Votes(agree.get(g), disagree.getOrDefault(g, 0L), pass.getOrDefault(g, 0L)));
    }
    return out;
  }

  static List<Integer> groupIds(List<Candidate> candidates) {
    TreeMap<Integer, Boolean> ids = new TreeMap<>();
    candidates.forEach(c -> c.groups.keySet().forEach(g -> ids.put(g, true)));
    return List.copyOf(ids.keySet());
  }
}
