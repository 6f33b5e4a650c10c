package org.chorus.aggregate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;
import org.chorus.math.PoissonBootstrap;

/**
 * One election (the responses to one prompt) under every method: scores per item overall and per group, bootstrap
 * intervals, the label each method gives each compared pair, and how the methods compare. Plain Java; the Spark job
 * runs one per prompt.
 */
public final class Election {
  /** Majority methods need every pair (n^2 memory, Schulze n^3 time): skipped above this many items. */
  public static final int MAJORITY_ITEMS_LIMIT = 2000;
  public static final List<String> METHODS = List.of("winrate", "borda", "copeland", "schulze", "kemeny", "bt", "elo",
      "rank_centrality", "maxmin");

  /** One comparison: items a and b, outcome 1 (a won), 0 (b won) or 0.5, its weight and the rater's group. */
  public record Comparison(String id, String a, String b, double outcome, double weight, String group) {}

  public record Options(List<String> methods, int bootstrap, double btPrior, long seed)
      implements java.io.Serializable {}

  /** An item's score under a method for a group ("all" overall); interval bounds NaN without bootstrap. */
  public record ItemScore(String method, String group, String item, double score, int rank, double ciLow,
      double ciHigh, String note) {}

  /** The label a method gives a compared pair. */
  public record PairLabel(String method, String itemA, String itemB, String winner, double margin,
      double agreement, Map<String, String> groupLabels, boolean contested) {}

  /** How one method treats this election's preferences. */
  public record MethodStats(String method, int comparedPairs, boolean condorcetExists, boolean picksCondorcet,
      int majorityViolations, int paretoViolations, Map<String, double[]> honoured) {}

  /** Two methods side by side on this election. */
  public record MethodPair(String methodA, String methodB, double kendallTau, int flips, int comparedPairs) {}

  public record Result(List<ItemScore> scores, List<PairLabel> labels, List<MethodStats> stats,
      List<MethodPair> pairs) {}

  private Election() {}

  public static Result compute(List<Comparison> comparisons, Options options) {
    TreeSet<String> itemSet = new TreeSet<>();
    TreeSet<String> groupSet = new TreeSet<>();
    for (Comparison c : comparisons) {
      itemSet.add(c.a());
      itemSet.add(c.b());
      if (c.group() != null) {
        groupSet.add(c.group());
      }
    }
    List<String> items = new ArrayList<>(itemSet);
    Map<String, Integer> index = new LinkedHashMap<>();
    for (String s : items) {
      index.put(s, index.size());
    }
    int n = items.size();
    List<String> groups = new ArrayList<>(groupSet);
    // Elo's order: by a seeded hash of the comparison id, the same for every run with the seed
    List<Comparison> ordered = new ArrayList<>(comparisons);
    ordered.sort(java.util.Comparator.comparingLong((Comparison c) -> PoissonBootstrap.mix(options.seed() ^ c.id().hashCode()))
        .thenComparing(Comparison::id));

    Tally overall = tally(n, index, comparisons, null, null);
    Map<String, Tally> byGroup = new TreeMap<>();
    Map<String, List<Comparison>> orderedByGroup = new TreeMap<>();
    for (String g : groups) {
      byGroup.put(g, tally(n, index, comparisons, g, null));
      orderedByGroup.put(g, ordered.stream().filter(c -> g.equals(c.group())).toList());
    }
    List<ItemScore> scores = new ArrayList<>();
    Map<String, double[]> overallScores = new LinkedHashMap<>();
    Map<String, Map<String, double[]>> groupScores = new LinkedHashMap<>();
    boolean majority = n <= MAJORITY_ITEMS_LIMIT;
    double[][][] replicates = null;
    if (options.bootstrap() > 0) {
      replicates = new double[options.methods().size()][][];
      Tally[] boot = new Tally[options.bootstrap()];
      double[][] multiplicity = poissonMultiplicities(comparisons, options.bootstrap(), options.seed());
      for (int b = 0; b < boot.length; b++) {
        boot[b] = tally(n, index, comparisons, null, multiplicity[b]);
      }
      for (int m = 0; m < options.methods().size(); m++) {
        String method = options.methods().get(m);
        if (!majority && (method.equals("schulze") || method.equals("kemeny"))) {
          continue;
        }
        replicates[m] = new double[boot.length][];
        for (int b = 0; b < boot.length; b++) {
          Map<String, Tally> groupBoot = new TreeMap<>();
          if (method.equals("maxmin")) {
            for (String g : groups) {
              groupBoot.put(g, tally(n, index, comparisons, g, multiplicity[b]));
            }
          }
          List<Comparison> games = method.equals("elo") ? weighted(ordered, multiplicity[b], comparisons) : List.of();
          replicates[m][b] = score(method, boot[b], groupBoot, games, index, options).scores;
        }
      }
    }
    for (int m = 0; m < options.methods().size(); m++) {
      String method = options.methods().get(m);
      if (!majority && (method.equals("schulze") || method.equals("kemeny"))) {
        continue;
      }
      Scored s = score(method, overall, byGroup, ordered, index, options);
      overallScores.put(method, s.scores);
      int[] rank = Scores.ranks(s.scores);
      for (int i = 0; i < n; i++) {
        double lo = Double.NaN;
        double hi = Double.NaN;
        if (replicates != null) {
          double[] r = new double[replicates[m].length];
          for (int b = 0; b < r.length; b++) {
            r[b] = replicates[m][b][i];
          }
          lo = PoissonBootstrap.percentile(r, 2.5);
          hi = PoissonBootstrap.percentile(r, 97.5);
        }
        scores.add(new ItemScore(method, "all", items.get(i), s.scores[i], rank[i], lo, hi, s.note));
      }
      if (!method.equals("maxmin")) {
        Map<String, double[]> perGroup = new TreeMap<>();
        for (String g : groups) {
          Scored gs = score(method, byGroup.get(g), Map.of(), orderedByGroup.get(g), index, options);
          perGroup.put(g, gs.scores);
          int[] gr = Scores.ranks(gs.scores);
          for (int i = 0; i < n; i++) {
            if (!Double.isNaN(gs.scores[i])) {
              scores.add(new ItemScore(method, g, items.get(i), gs.scores[i], gr[i], Double.NaN, Double.NaN,
                  gs.note));
            }
          }
        }
        groupScores.put(method, perGroup);
      } else {
        // MaxMin's pair labels show the groups' own win-rate labels it takes the worst of (their item scores are
        // winrate's group rows)
        Map<String, double[]> perGroup = new TreeMap<>();
        byGroup.forEach((g, t) -> perGroup.put(g, Scores.winRate(t)));
        groupScores.put(method, perGroup);
      }
    }
    return compare(comparisons, items, index, overall, groups, overallScores, groupScores, scores);
  }

  private static Result compare(List<Comparison> comparisons, List<String> items, Map<String, Integer> index,
      Tally overall, List<String> groups, Map<String, double[]> overallScores,
      Map<String, Map<String, double[]>> groupScores, List<ItemScore> scores) {
    int n = items.size();
    double[][] d = n <= MAJORITY_ITEMS_LIMIT ? overall.beats() : null;
    int condorcet = d == null ? -1 : Majority.condorcetWinner(d);
    List<PairLabel> labels = new ArrayList<>();
    List<MethodStats> stats = new ArrayList<>();
    List<String> methods = new ArrayList<>(overallScores.keySet());
    // per compared pair: wins each way and whether any comparison went the other way
    for (String method : methods) {
      double[] s = overallScores.get(method);
      int majorityViolations = 0;
      int paretoViolations = 0;
      for (int p = 0; p < overall.pairs(); p++) {
        int i = overall.first[p];
        int j = overall.second[p];
        double wi = overall.firstWins[p];
        double wj = overall.secondWins[p];
        double all = wi + wj + overall.ties[p];
        String winner = s[i] > s[j] ? items.get(i) : s[j] > s[i] ? items.get(j) : null;
        double agree = winner == null ? Double.NaN : (winner.equals(items.get(i)) ? wi : wj) + overall.ties[p] / 2;
        Map<String, String> groupLabels = new TreeMap<>();
        Map<String, double[]> perGroup = groupScores.getOrDefault(method, Map.of());
        for (var g : perGroup.entrySet()) {
          double[] gs = g.getValue();
          if (!Double.isNaN(gs[i]) && !Double.isNaN(gs[j])) {
            groupLabels.put(g.getKey(), gs[i] > gs[j] ? items.get(i) : gs[j] > gs[i] ? items.get(j) : "tie");
          }
        }
        boolean contested = groupLabels.containsValue(items.get(i)) && groupLabels.containsValue(items.get(j));
        labels.add(new PairLabel(method, items.get(i), items.get(j), winner, Math.abs(s[i] - s[j]),
            all > 0 ? agree / all : Double.NaN, groupLabels, contested));
        if ((wi > wj && s[j] > s[i]) || (wj > wi && s[i] > s[j])) {
          majorityViolations++;
        }
        if ((wi > 0 && wj == 0 && overall.ties[p] == 0 && s[j] > s[i])
            || (wj > 0 && wi == 0 && overall.ties[p] == 0 && s[i] > s[j])) {
          paretoViolations++;
        }
      }
      Map<String, double[]> honoured = new TreeMap<>();
      for (Comparison c : comparisons) {
        if (c.outcome() == 0.5) {
          continue;
        }
        int winner = index.get(c.outcome() == 1 ? c.a() : c.b());
        int loser = index.get(c.outcome() == 1 ? c.b() : c.a());
        for (String g : c.group() == null ? List.of("all") : List.of("all", c.group())) {
          double[] h = honoured.computeIfAbsent(g, k -> new double[2]);
          h[0] += s[winner] > s[loser] ? c.weight() : 0;
          h[1] += c.weight();
        }
      }
      stats.add(new MethodStats(method, overall.pairs(), condorcet >= 0,
          condorcet >= 0 && Scores.winner(s) == condorcet, majorityViolations, paretoViolations, honoured));
    }
    List<MethodPair> pairs = new ArrayList<>();
    for (int x = 0; x < methods.size(); x++) {
      for (int y = x + 1; y < methods.size(); y++) {
        double[] a = overallScores.get(methods.get(x));
        double[] b = overallScores.get(methods.get(y));
        int flips = 0;
        for (int p = 0; p < overall.pairs(); p++) {
          int i = overall.first[p];
          int j = overall.second[p];
          if (Integer.signum(Double.compare(a[i], a[j])) != Integer.signum(Double.compare(b[i], b[j]))) {
            flips++;
          }
        }
        pairs.add(new MethodPair(methods.get(x), methods.get(y), Scores.kendallTau(a, b), flips, overall.pairs()));
      }
    }
    return new Result(scores, labels, stats, pairs);
  }

  private record Scored(double[] scores, String note) {}

  private static Scored score(String method, Tally t, Map<String, Tally> groups, List<Comparison> ordered,
      Map<String, Integer> index, Options options) {
    return switch (method) {
      case "winrate" -> new Scored(Scores.winRate(t), null);
      case "borda" -> new Scored(Scores.borda(t), null);
      case "copeland" -> new Scored(Scores.copeland(t), null);
      case "schulze" -> new Scored(Majority.schulze(t.beats()), null);
      case "kemeny" -> {
        Majority.Kemeny k = Majority.kemeny(t.beats());
        yield new Scored(k.scores(), k.exact() ? null : "heuristic: local search from the Borda order");
      }
      case "bt" -> {
        BradleyTerry.Fit f = BradleyTerry.fit(t, options.btPrior(), 1e-9, 10_000);
        String note = !f.mleExists() && options.btPrior() == 0
            ? "MLE does not exist (comparison graph not strongly connected): prior " + f.prior() + " applied" : null;
        if (!f.converged()) {
          note = (note == null ? "" : note + "; ") + "MM stopped after " + f.iterations() + " iterations";
        }
        yield new Scored(f.theta(), note);
      }
      case "elo" -> {
        int[] a = new int[ordered.size()];
        int[] b = new int[ordered.size()];
        double[] o = new double[ordered.size()];
        double[] w = new double[ordered.size()];
        for (int g = 0; g < a.length; g++) {
          Comparison c = ordered.get(g);
          a[g] = index.get(c.a());
          b[g] = index.get(c.b());
          o[g] = c.outcome();
          w[g] = c.weight();
        }
        yield new Scored(Elo.ratings(t.n, a, b, o, w), null);
      }
      case "rank_centrality" -> new Scored(RankCentrality.scores(t, 1e-12, 100_000), null);
      case "maxmin" -> {
        if (groups.isEmpty()) {
          yield new Scored(Scores.winRate(t), "no groups: the overall win rate");
        }
        double[] worst = new double[t.n];
        Arrays.fill(worst, Double.POSITIVE_INFINITY);
        for (Tally g : groups.values()) {
          double[] w = Scores.winRate(g);
          for (int i = 0; i < t.n; i++) {
            if (!Double.isNaN(w[i])) {
              worst[i] = Math.min(worst[i], w[i]);
            }
          }
        }
        for (int i = 0; i < t.n; i++) {
          worst[i] = worst[i] == Double.POSITIVE_INFINITY ? Double.NaN : worst[i];
        }
        yield new Scored(worst, "the worst-off group's win rate");
      }
      default -> throw new IllegalArgumentException("unknown method " + method + "; known: " + METHODS);
    };
  }

  /** The comparisons (of one group when group is non-null), each weighted, times a bootstrap multiplicity. */
  private static Tally tally(int n, Map<String, Integer> index, List<Comparison> comparisons, String group,
      double[] multiplicity) {
    Tally.Builder b = Tally.builder(n);
    for (int k = 0; k < comparisons.size(); k++) {
      Comparison c = comparisons.get(k);
      if (group != null && !group.equals(c.group())) {
        continue;
      }
      double w = c.weight() * (multiplicity == null ? 1 : multiplicity[k]);
      if (w > 0) {
        b.add(index.get(c.a()), index.get(c.b()), c.outcome(), w);
      }
    }
    return b.build();
  }

  /** The ordered comparisons reweighted by a bootstrap replicate (those drawn 0 times dropped). */
  private static List<Comparison> weighted(List<Comparison> ordered, double[] multiplicity,
      List<Comparison> original) {
    Map<Comparison, Integer> position = new java.util.IdentityHashMap<>();
    for (int k = 0; k < original.size(); k++) {
      position.put(original.get(k), k);
    }
    List<Comparison> out = new ArrayList<>();
    for (Comparison c : ordered) {
      double m = multiplicity[position.get(c)];
      if (m > 0) {
        out.add(new Comparison(c.id(), c.a(), c.b(), c.outcome(), c.weight() * m, c.group()));
      }
    }
    return out;
  }

  /**
   * Poisson(1) bootstrap multiplicities (Hanley and MacGibbon 2006; Chamandy et al. 2012): each comparison's count
   * in replicate b is drawn from a generator seeded by the seed and the comparison id, so a replicate needs no
   * shuffle of the data and is the same wherever the comparison is processed.
   */
  static double[][] poissonMultiplicities(List<Comparison> comparisons, int replicates, long seed) {
    double[][] m = new double[replicates][comparisons.size()];
    for (int k = 0; k < comparisons.size(); k++) {
      SplittableRandom r = PoissonBootstrap.forRecord(seed, comparisons.get(k).id());
      for (int b = 0; b < replicates; b++) {
        m[b][k] = PoissonBootstrap.poisson(r);
      }
    }
    return m;
  }

}
