package org.chorus.aggregate;

/**
 * Rank Centrality (Negahban, Oh and Shah, "Rank centrality: ranking from pairwise comparisons", Operations Research
 * 2017): a random walk that moves from i to j with probability a_ji / d_max, where a_ji is the share of their
 * comparisons j won (ties half) and d_max the largest number of distinct opponents, and stays otherwise. The scores
 * are its stationary distribution, found by power iteration from the uniform distribution.
 */
public final class RankCentrality {
  private RankCentrality() {}

  public static double[] scores(Tally t, double tolerance, int maxIterations) {
    int n = t.n;
    int[] degree = new int[n];
    for (int p = 0; p < t.pairs(); p++) {
      degree[t.first[p]]++;
      degree[t.second[p]]++;
    }
    int dMax = 1;
    for (int d : degree) {
      dMax = Math.max(dMax, d);
    }
    // move[p][0]: probability of moving first -> second; move[p][1]: second -> first
    double[] firstToSecond = new double[t.pairs()];
    double[] secondToFirst = new double[t.pairs()];
    double[] stay = new double[n];
    java.util.Arrays.fill(stay, 1);
    for (int p = 0; p < t.pairs(); p++) {
      double all = t.firstWins[p] + t.secondWins[p] + t.ties[p];
      if (all == 0) {
        continue;
      }
      firstToSecond[p] = (t.secondWins[p] + t.ties[p] / 2) / all / dMax;
      secondToFirst[p] = (t.firstWins[p] + t.ties[p] / 2) / all / dMax;
      stay[t.first[p]] -= firstToSecond[p];
      stay[t.second[p]] -= secondToFirst[p];
    }
    double[] pi = new double[n];
    java.util.Arrays.fill(pi, 1.0 / n);
    double[] next = new double[n];
    for (int it = 0; it < maxIterations; it++) {
      for (int i = 0; i < n; i++) {
        next[i] = pi[i] * stay[i];
      }
      for (int p = 0; p < t.pairs(); p++) {
        next[t.second[p]] += pi[t.first[p]] * firstToSecond[p];
        next[t.first[p]] += pi[t.second[p]] * secondToFirst[p];
      }
      double change = 0;
      for (int i = 0; i < n; i++) {
        change += Math.abs(next[i] - pi[i]);
      }
      double[] swap = pi;
      pi = next;
      next = swap;
      if (change < tolerance) {
        break;
      }
    }
    return pi;
  }
}
