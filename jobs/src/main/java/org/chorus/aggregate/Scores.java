package org.chorus.aggregate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/** Count-based scores of a {@link Tally}, and what every method's scores share: ranks and rank agreement. */
public final class Scores {
  private Scores() {}

  /** Share of its comparisons each item won, a tie counting half; NaN for an item never compared. */
  public static double[] winRate(Tally t) {
    double[] won = new double[t.n];
    double[] games = t.games();
    for (int p = 0; p < t.pairs(); p++) {
      won[t.first[p]] += t.firstWins[p] + t.ties[p] / 2;
      won[t.second[p]] += t.secondWins[p] + t.ties[p] / 2;
    }
    for (int i = 0; i < t.n; i++) {
      won[i] = games[i] > 0 ? won[i] / games[i] : Double.NaN;
    }
    return won;
  }

  /**
   * Borda count from pairwise data: the sum over the items i was compared with of the share of their comparisons
   * i won (ties half). With complete rankings from every voter this is the classical Borda score divided by the
   * number of voters; with pairs it keeps one heavily compared pair from counting more than another.
   */
  public static double[] borda(Tally t) {
    double[] s = new double[t.n];
    for (int p = 0; p < t.pairs(); p++) {
      double all = t.firstWins[p] + t.secondWins[p] + t.ties[p];
      if (all > 0) {
        s[t.first[p]] += (t.firstWins[p] + t.ties[p] / 2) / all;
        s[t.second[p]] += (t.secondWins[p] + t.ties[p] / 2) / all;
      }
    }
    return s;
  }

  /** Copeland: pairwise majorities won, plus half for each compared pair drawn. */
  public static double[] copeland(Tally t) {
    double[] s = new double[t.n];
    for (int p = 0; p < t.pairs(); p++) {
      double a = t.firstWins[p];
      double b = t.secondWins[p];
      s[t.first[p]] += a > b ? 1 : a == b ? 0.5 : 0;
      s[t.second[p]] += b > a ? 1 : a == b ? 0.5 : 0;
    }
    return s;
  }

  /** Competition ranks (1 = best; equal scores share the best of their ranks: 1, 2, 2, 4); NaN ranks last. */
  public static int[] ranks(double[] scores) {
    Integer[] order = IntStream.range(0, scores.length).boxed().toArray(Integer[]::new);
    Comparator<Integer> byScore = Comparator.comparingDouble(i -> Double.isNaN(scores[i])
        ? Double.NEGATIVE_INFINITY : -scores[i]);
    Arrays.sort(order, byScore);
    int[] rank = new int[scores.length];
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      rank[i] = k > 0 && Double.compare(scores[i], scores[order[k - 1]]) == 0 ? rank[order[k - 1]] : k + 1;
    }
    return rank;
  }

  /** The item with the best score, or -1 when the best score is shared or there are no scores. */
  public static int winner(double[] scores) {
    int best = -1;
    boolean shared = false;
    for (int i = 0; i < scores.length; i++) {
      if (Double.isNaN(scores[i])) {
        continue;
      }
      if (best < 0 || scores[i] > scores[best]) {
        best = i;
        shared = false;
      } else if (scores[i] == scores[best]) {
        shared = true;
      }
    }
    return shared ? -1 : best;
  }

  /**
   * Kendall's tau-b between two score vectors over the items both score (ties in either vector handled as in
   * tau-b); NaN when fewer than two items or one vector is constant.
   */
  public static double kendallTau(double[] x, double[] y) {
    long concordant = 0;
    long discordant = 0;
    long tiesX = 0;
    long tiesY = 0;
    for (int i = 0; i < x.length; i++) {
      if (Double.isNaN(x[i]) || Double.isNaN(y[i])) {
        continue;
      }
      for (int j = i + 1; j < x.length; j++) {
        if (Double.isNaN(x[j]) || Double.isNaN(y[j])) {
          continue;
        }
        int a = Double.compare(x[i], x[j]);
        int b = Double.compare(y[i], y[j]);
        if (a == 0 && b == 0) {
          continue;
        } else if (a == 0) {
          tiesX++;
        } else if (b == 0) {
          tiesY++;
        } else if (a == b) {
          concordant++;
        } else {
          discordant++;
        }
      }
    }
    double denominator = Math.sqrt((double) (concordant + discordant + tiesX) * (concordant + discordant + tiesY));
    return denominator == 0 ? Double.NaN : (concordant - discordant) / denominator;
  }
}
