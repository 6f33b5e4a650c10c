package org.chorus.opinions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Polis's statement statistics, exactly as its math code defines them (polismath stats.clj, repness.clj,
 * conversation.clj), with the export's vote convention (1 agree, -1 disagree, 0 pass). Counts: {@code na} agrees,
 * {@code nd} disagrees, {@code ns} all votes including passes.
 */
public final class PolisMath {
  /** One-tailed 90% critical value of the standard normal: Polis's z-sig-90. */
  public static final double Z_90 = 1.2816;

  private PolisMath() {}

  /** Laplace-smoothed probability (1 + n) / (2 + total). */
  public static double probability(long n, long total) {
    return (1.0 + n) / (2.0 + total);
  }

  /** Polis prop-test: 2 sqrt(ns+1) ((n+1)/(ns+1) - 1/2). */
  public static double propTest(long n, long ns) {
    double succ = n + 1.0;
    double trials = ns + 1.0;
    return 2 * Math.sqrt(trials) * (succ / trials - 0.5);
  }

  /**
   * Polis two-prop-test of succIn/nIn against succOut/nOut, with +1 on each count; 0 when the pooled proportion is 1.
   */
  public static double twoPropTest(long succIn, long succOut, long nIn, long nOut) {
    double s1 = succIn + 1.0;
    double t1 = nIn + 1.0;
    double s2 = succOut + 1.0;
    double t2 = nOut + 1.0;
    double p1 = s1 / t1;
    double p2 = s2 / t2;
    double pooled = (s1 + s2) / (t1 + t2);
    if (pooled == 1.0) {
      return 0.0;
    }
    return (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1 / t1 + 1 / t2));
  }

  /** Group-informed consensus: the product over groups of (A_g + 1) / (S_g + 2), S counting passes. */
  public static double groupInformedConsensus(long[] agreesByGroup, long[] votesByGroup) {
    double p = 1.0;
    for (int g = 0; g < agreesByGroup.length; g++) {
      p *= probability(agreesByGroup[g], votesByGroup[g]);
    }
    return p;
  }

  /**
   * Comment-routing priority: importance = (1 - (P+1)/(S+2)) (E+1) (A+1)/(S+2), priority = (importance
   * (1 + 8 * 2^(-S/5)))^2; a meta statement gets the fixed pre-squared priority 7.
   */
  public static double priority(long agrees, long passes, long total, double extremity, boolean isMeta) {
    double base;
    if (isMeta) {
      base = 7.0;
    } else {
      double importance = (1 - probability(passes, total)) * (extremity + 1) * probability(agrees, total);
      base = importance * (1 + 8 * Math.pow(2, -total / 5.0));
    }
    return base * base;
  }

  /** Representativeness of one statement for one group, both directions. */
  public record Repness(long statementId, long na, long nd, long ns, double pa, double pd, double pat, double pdt,
      double ra, double rd, double rat, double rdt) {

    /** Polis picks the direction whose representativeness test is larger. */
    public boolean agreeDirection() {
      return rat > rdt;
    }

    public boolean significant() {
      return (pat > Z_90 && rat > Z_90) || (pdt > Z_90 && rdt > Z_90);
    }

    /** ra * rat * pa * pat in the chosen direction. */
    public double metric() {
      return agreeDirection() ? ra * rat * pa * pat : rd * rdt * pd * pdt;
    }

    double bestAgreeMetric() {
      return ra * rat * pa * pat;
    }
  }

  /** Statistics of group g's votes (na, nd, ns) against everyone else's (the rest). */
  public static Repness repness(long statementId, long na, long nd, long ns, long naRest, long ndRest, long nsRest) {
    double pa = probability(na, ns);
    double pd = probability(nd, ns);
    return new Repness(statementId, na, nd, ns, pa, pd, propTest(na, ns), propTest(nd, ns),
        pa / probability(naRest, nsRest), pd / probability(ndRest, nsRest),
        twoPropTest(na, naRest, ns, nsRest), twoPropTest(nd, ndRest, ns, nsRest));
  }

  /** A selected representative statement, with its direction and rank (1 = first shown). */
  public record Selected(Repness stats, boolean agree, int rank) {}

  /**
   * Polis's select-rep-comments for one group: the best agree statement first (when one qualifies), then the
   * significant statements by descending repness metric, at most {@code pickMax}; agrees before disagrees.
   */
  public static List<Selected> selectRepresentative(List<Repness> group, int pickMax) {
    Repness bestAgree = null;
    for (Repness r : group) {
      if (beatsBestOfAgrees(r, bestAgree)) {
        bestAgree = r;
      }
    }
    List<Repness> significant = new ArrayList<>();
    for (Repness r : group) {
      if (r.significant()) {
        significant.add(r);
      }
    }
    Repness bestOverall = null;
    if (significant.isEmpty()) {
      for (Repness r : group) {
        if (bestOverall == null || Math.max(r.rat(), r.rdt()) > Math.max(bestOverall.rat(), bestOverall.rdt())) {
          bestOverall = r;
        }
      }
    } else {
      significant.sort(Comparator.comparingDouble(Repness::metric).reversed());
    }
    List<Selected> picked = new ArrayList<>();
    Repness head = bestAgree != null ? bestAgree : bestOverall;
    if (head != null) {
      picked.add(new Selected(head, head.agreeDirection(), 0));
      for (Repness r : significant) {
        if (picked.size() >= pickMax) {
          break;
        }
        if (r.statementId() != head.statementId()) {
          picked.add(new Selected(r, r.agreeDirection(), 0));
        }
      }
    }
    // agrees before disagrees, otherwise in selection order (a stable sort, as Polis's)
    List<Selected> ordered = new ArrayList<>();
    picked.stream().filter(Selected::agree).forEach(ordered::add);
    picked.stream().filter(s -> !s.agree()).forEach(ordered::add);
    List<Selected> ranked = new ArrayList<>();
    for (int i = 0; i < ordered.size(); i++) {
      ranked.add(new Selected(ordered.get(i).stats(), ordered.get(i).agree(), i + 1));
    }
    return ranked;
  }

  static boolean beatsBestOfAgrees(Repness r, Repness best) {
    if (r.na() == 0 && r.nd() == 0) {
      return false;
    }
    if (best != null) {
      if (best.ra() > 1.0) {
        return r.bestAgreeMetric() > best.bestAgreeMetric();
      }
      return r.pa() * r.pat() > best.pa() * best.pat();
    }
    return r.pat() > Z_90 || (r.ra() > 1.0 && r.pa() > 0.5);
  }

  /** Polis's consensus statements: the top 5 by pa*pat with pa > 0.5 and pat significant (and likewise disagree). */
  public record ConsensusStats(long statementId, long na, long nd, long ns) {
    double pa() {
      return probability(na, ns);
    }

    double pd() {
      return probability(nd, ns);
    }

    double pat() {
      return propTest(na, ns);
    }

    double pdt() {
      return propTest(nd, ns);
    }
  }

  /** Returns [agree list, disagree list] of statement ids in rank order. */
  public static List<List<Long>> selectConsensus(List<ConsensusStats> stats, int pickMax) {
    List<Long> agree = stats.stream().filter(s -> s.pa() > 0.5 && s.pat() > Z_90)
        .sorted(Comparator.comparingDouble((ConsensusStats s) -> s.pa() * s.pat()).reversed())
        .limit(pickMax).map(ConsensusStats::statementId).toList();
    List<Long> disagree = stats.stream().filter(s -> s.pd() > 0.5 && s.pdt() > Z_90)
        .sorted(Comparator.comparingDouble((ConsensusStats s) -> s.pd() * s.pdt()).reversed())
        .limit(pickMax).map(ConsensusStats::statementId).toList();
    return List.of(agree, disagree);
  }

  /**
   * Polis's in-conversation rule: participants with at least min(7, statements) votes, topped up greedily (most
   * votes first) to 15 participants when fewer qualify. Returns a mask over the given vote counts.
   */
  public static boolean[] inConversation(long[] voteCounts, int statements) {
    int threshold = Math.min(7, statements);
    boolean[] in = new boolean[voteCounts.length];
    int count = 0;
    for (int i = 0; i < voteCounts.length; i++) {
      if (voteCounts[i] >= threshold) {
        in[i] = true;
        count++;
      }
    }
    if (count < 15) {
      Integer[] order = new Integer[voteCounts.length];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, (a, b) -> Long.compare(voteCounts[b], voteCounts[a]));
      for (int i = 0; i < order.length && count < 15; i++) {
        if (!in[order[i]] && voteCounts[order[i]] > 0) {
          in[order[i]] = true;
          count++;
        }
      }
    }
    return in;
  }

  /**
   * Extremity of a statement: the distance from the origin of a virtual participant who agreed with it alone,
   * projected like any participant: |1 - mean_j| * sqrt(statements) * |(pc1_j, pc2_j)|.
   */
  public static double extremity(double columnMean, double[] loadings, int statements) {
    double norm = 0;
    for (double l : loadings) {
      norm += l * l;
    }
    return Math.abs(1 - columnMean) * Math.sqrt(statements) * Math.sqrt(norm);
  }
}
