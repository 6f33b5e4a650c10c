package org.chorus.aggregate;

import java.util.HashMap;
import java.util.Map;

/**
 * The pairwise results among the n items of one election (in Chorus, the responses to one prompt): for every
 * compared pair, the weighted number of times each side won and the weighted number of ties. Items are 0..n-1.
 * Stored sparsely (a pair only once it was compared), so an election of many items costs what its comparisons
 * cost; the majority methods that need every pair ask for {@link #beats()} themselves.
 */
public final class Tally {
  public final int n;
  /** The compared pairs, i < j. */
  final int[] first;
  final int[] second;
  /** Weighted wins of first over second, of second over first, and ties. */
  final double[] firstWins;
  final double[] secondWins;
  final double[] ties;

  private Tally(int n, int[] first, int[] second, double[] firstWins, double[] secondWins, double[] ties) {
    this.n = n;
    this.first = first;
    this.second = second;
    this.firstWins = firstWins;
    this.secondWins = secondWins;
    this.ties = ties;
  }

  public static Builder builder(int n) {
    return new Builder(n);
  }

  /** Number of compared pairs. */
  public int pairs() {
    return first.length;
  }

  /** d[i][j] = weighted number of times i was preferred to j (ties count for neither side). */
  public double[][] beats() {
    double[][] d = new double[n][n];
    for (int p = 0; p < first.length; p++) {
      d[first[p]][second[p]] += firstWins[p];
      d[second[p]][first[p]] += secondWins[p];
    }
    return d;
  }

  /** Total weight of comparisons item i took part in, ties included. */
  public double[] games() {
    double[] g = new double[n];
    for (int p = 0; p < first.length; p++) {
      double all = firstWins[p] + secondWins[p] + ties[p];
      g[first[p]] += all;
      g[second[p]] += all;
    }
    return g;
  }

  /** Collects results one comparison at a time; the same pair may come many times, either way round. */
  public static final class Builder {
    private final int n;
    private final Map<Long, double[]> pairs = new HashMap<>();

    private Builder(int n) {
      this.n = n;
    }

    /** Adds a comparison of items a and b: outcome 1 = a won, 0 = b won, 0.5 = tie. */
    public Builder add(int a, int b, double outcome, double weight) {
      if (a == b || a < 0 || b < 0 || a >= n || b >= n) {
        throw new IllegalArgumentException("a comparison needs two different items in 0.." + (n - 1) + ", got " + a
            + " and " + b);
      }
      int i = Math.min(a, b);
      int j = Math.max(a, b);
      double[] c = pairs.computeIfAbsent((long) i * n + j, k -> new double[3]);
      double iWins = a == i ? outcome : 1 - outcome;
      if (outcome == 0.5) {
        c[2] += weight;
      } else if (iWins == 1) {
        c[0] += weight;
      } else if (iWins == 0) {
        c[1] += weight;
      } else {
        throw new IllegalArgumentException("an outcome is 1, 0 or 0.5, got " + outcome);
      }
      return this;
    }

    /** Adds w(a over b) wins at once. */
    public Builder wins(int a, int b, double weight) {
      return add(a, b, 1, weight);
    }

    public Tally build() {
      int m = pairs.size();
      int[] f = new int[m];
      int[] s = new int[m];
      double[] fw = new double[m];
      double[] sw = new double[m];
      double[] t = new double[m];
      int p = 0;
      for (var e : pairs.entrySet().stream().sorted(Map.Entry.comparingByKey()).toList()) {
        f[p] = (int) (e.getKey() / n);
        s[p] = (int) (e.getKey() % n);
        fw[p] = e.getValue()[0];
        sw[p] = e.getValue()[1];
        t[p] = e.getValue()[2];
        p++;
      }
      return new Tally(n, f, s, fw, sw, t);
    }
  }
}
