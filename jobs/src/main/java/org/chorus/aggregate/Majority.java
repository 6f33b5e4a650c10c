package org.chorus.aggregate;

import java.util.Arrays;
import java.util.stream.IntStream;

/** The methods built on pairwise majorities: Condorcet winner, Schulze, Kemeny. */
public final class Majority {
  /** Kemeny is solved exactly (dynamic programming over subsets) up to this many items. */
  public static final int KEMENY_EXACT_ITEMS = 12;

  private Majority() {}

  /** The item that beats every other item by a strict pairwise majority, or -1 when there is none. */
  public static int condorcetWinner(double[][] d) {
    int n = d.length;
    for (int i = 0; i < n; i++) {
      boolean all = true;
      for (int j = 0; j < n && all; j++) {
        all = i == j || d[i][j] > d[j][i];
      }
      if (all) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Schulze's method (Schulze 2011, "A new monotonic, clone-independent, reversal symmetric, and
   * Condorcet-consistent single-winner election method"): p[i][j] is the strength of the strongest path from i to j
   * through pairwise defeats d[x][y] > d[y][x] (widest path, Floyd-Warshall); i ranks above j when
   * p[i][j] > p[j][i]. The score of i is the number of items it ranks above, which orders the items as the
   * method does (the relation is transitive).
   */
  public static double[] schulze(double[][] d) {
    int n = d.length;
    double[][] p = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        p[i][j] = i != j && d[i][j] > d[j][i] ? d[i][j] : 0;
      }
    }
    for (int k = 0; k < n; k++) {
      double[] pk = p[k];
      for (int i = 0; i < n; i++) {
        double pik = p[i][k];
        if (i == k || pik == 0) {
          continue;
        }
        double[] pi = p[i];
        for (int j = 0; j < n; j++) {
          if (j != i && j != k) {
            double via = Math.min(pik, pk[j]);
            if (via > pi[j]) {
              pi[j] = via;
            }
          }
        }
      }
    }
    double[] score = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (p[i][j] > p[j][i]) {
          score[i]++;
        }
      }
    }
    return score;
  }

  /** A Kemeny order and whether it is proven optimal. */
  public record Kemeny(int[] order, double agreement, boolean exact) {
    /** Scores for the order: n for the first item, n-1 for the next, ... */
    public double[] scores() {
      double[] s = new double[order.length];
      for (int k = 0; k < order.length; k++) {
        s[order[k]] = order.length - k;
      }
      return s;
    }
  }

  /**
   * Kemeny-Young: the order that agrees with the most pairwise preferences, sum over i before j of d[i][j]. Exact
   * for up to {@link #KEMENY_EXACT_ITEMS} items (f(S) = max over i in S of f(S - i) + sum_{j not in S} d[i][j],
   * i placed last among the first |S|); beyond that a heuristic, marked as such: the Borda order improved by
   * moving single items to better places until no move helps (a local optimum under insertion moves).
   */
  public static Kemeny kemeny(double[][] d) {
    int n = d.length;
    return n <= KEMENY_EXACT_ITEMS ? kemenyExact(d) : kemenyLocalSearch(d);
  }

  private static Kemeny kemenyExact(double[][] d) {
    int n = d.length;
    int full = (1 << n) - 1;
    double[] f = new double[1 << n];
    int[] last = new int[1 << n];
    Arrays.fill(f, Double.NEGATIVE_INFINITY);
    f[0] = 0;
    for (int s = 1; s <= full; s++) {
      for (int i = 0; i < n; i++) {
        if ((s & (1 << i)) == 0) {
          continue;
        }
        double gain = 0;
        for (int j = 0; j < n; j++) {
          if ((s & (1 << j)) == 0) {
            gain += d[i][j];
          }
        }
        double v = f[s & ~(1 << i)] + gain;
        if (v > f[s]) {
          f[s] = v;
          last[s] = i;
        }
      }
    }
    int[] order = new int[n];
    int s = full;
    for (int k = n - 1; k >= 0; k--) {
      order[k] = last[s];
      s &= ~(1 << last[s]);
    }
    return new Kemeny(order, f[full], true);
  }

  private static Kemeny kemenyLocalSearch(double[][] d) {
    int n = d.length;
    double[] borda = new double[n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        double all = d[i][j] + d[j][i];
        borda[i] += all > 0 ? d[i][j] / all : 0;
      }
    }
    int[] order = IntStream.range(0, n).boxed().sorted((a, b) -> Double.compare(borda[b], borda[a]))
        .mapToInt(Integer::intValue).toArray();
    boolean improved = true;
    while (improved) {
      improved = false;
      for (int from = 0; from < n; from++) {
        int item = order[from];
        // gain of moving the item to each other place, accumulated one step at a time
        double best = 1e-12;
        int bestTo = from;
        double gain = 0;
        for (int to = from - 1; to >= 0; to--) {
          gain += d[item][order[to]] - d[order[to]][item];
          if (gain > best) {
            best = gain;
            bestTo = to;
          }
        }
        gain = 0;
        for (int to = from + 1; to < n; to++) {
          gain += d[order[to]][item] - d[item][order[to]];
          if (gain > best) {
            best = gain;
            bestTo = to;
          }
        }
        if (bestTo != from) {
          if (bestTo < from) {
            System.arraycopy(order, bestTo, order, bestTo + 1, from - bestTo);
          } else {
            System.arraycopy(order, from + 1, order, from, bestTo - from);
          }
          order[bestTo] = item;
          improved = true;
        }
      }
    }
    return new Kemeny(order, agreement(d, order), false);
  }

  /** Sum over pairs of d[i][j] where i comes before j in the order. */
  public static double agreement(double[][] d, int[] order) {
    double s = 0;
    for (int a = 0; a < order.length; a++) {
      for (int b = a + 1; b < order.length; b++) {
        s += d[order[a]][order[b]];
      }
    }
    return s;
  }
}
