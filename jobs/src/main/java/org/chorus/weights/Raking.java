package org.chorus.weights;

import java.util.Arrays;

/**
 * Raking (iterative proportional fitting) on the observed cells of the sample: a cell is one combination of the
 * participants' levels that actually occurs, with its participant count, so 10M participants over 6 dimensions are a
 * few thousand cells, and no dense joint table is ever built. Each sweep scales the weights dimension by dimension
 * so that the weighted shares match the target margins; it stops when max |current/target - 1| <= tolerance
 * (5e-4 by default, as survey raking tools do) or after {@code maxSweeps} sweeps. Weights have mean 1 over
 * participants. With a cap R, weights above R x mean are cut to it inside each sweep and the margins re-raked, until
 * both hold (the excess is redistributed over the other participants); trimming at percentiles works the same way
 * with a lower and an upper bound.
 */
public final class Raking {
  private Raking() {}

  /** Weights per cell (one value for every participant of the cell), and how the fit went. */
  public record Result(double[] cellWeights, int sweeps, boolean converged, double maxMarginError) {}

  /**
   * @param cellLevels cellLevels[c][d] = the level index of cell c on dimension d
   * @param cellCount participants in each cell
   * @param targets targets[d][l] = population share of level l of dimension d (each row sums to 1)
   * @param cap weights at most cap x mean, or NaN for no cap
   */
  public static Result rake(int[][] cellLevels, double[] cellCount, double[][] targets, double tolerance,
      int maxSweeps, double cap) {
    return rake(cellLevels, cellCount, targets, tolerance, maxSweeps, Double.NaN, cap);
  }

  /**
   * Raking with bounds on the mean-1 scale: weights below {@code lower} or above {@code upper} (NaN for none) are
   * moved to the bound inside each sweep and the margins re-raked, until the margins and the bounds both hold.
   */
  public static Result rake(int[][] cellLevels, double[] cellCount, double[][] targets, double tolerance,
      int maxSweeps, double lower, double upper) {
    int cells = cellCount.length;
    int dims = targets.length;
    double[] w = new double[cells];
    Arrays.fill(w, 1.0);
    double total = 0;
    for (double c : cellCount) {
      total += c;
    }
    double error = maxMarginError(cellLevels, cellCount, w, targets);
    int sweep = 0;
    while (sweep < maxSweeps && (error > tolerance || outOfBounds(w, cellCount, lower, upper))) {
      for (int d = 0; d < dims; d++) {
        double[] share = shares(cellLevels, cellCount, w, d, targets[d].length);
        for (int c = 0; c < cells; c++) {
          int l = cellLevels[c][d];
          if (share[l] > 0) {
            w[c] *= targets[d][l] / share[l];
          }
        }
        normalise(w, cellCount, total);
        if (!Double.isNaN(lower) || !Double.isNaN(upper)) {
          // clamp and renormalise until the bounds hold: the mass cut off one end is spread over the rest
          for (int round = 0; round < 100 && outOfBounds(w, cellCount, lower, upper); round++) {
            for (int c = 0; c < cells; c++) {
              if (!Double.isNaN(upper)) {
                w[c] = Math.min(w[c], upper);
              }
              if (!Double.isNaN(lower)) {
                w[c] = Math.max(w[c], lower);
              }
            }
            normalise(w, cellCount, total);
          }
        }
      }
      sweep++;
      error = maxMarginError(cellLevels, cellCount, w, targets);
    }
    boolean converged = error <= tolerance && !outOfBounds(w, cellCount, lower, upper);
    return new Result(w, sweep, converged, error);
  }

  /**
   * The weight at percentile {@code pct} (0..100) over participants (each cell counts its participants), by the
   * nearest-rank rule.
   */
  public static double percentile(double[] cellCount, double[] w, double pct) {
    Integer[] order = new Integer[w.length];
    double n = 0;
    for (int c = 0; c < w.length; c++) {
      order[c] = c;
      n += cellCount[c];
    }
    Arrays.sort(order, (a, b) -> Double.compare(w[a], w[b]));
    double rank = Math.max(1, Math.ceil(pct / 100 * n));
    double seen = 0;
    for (int c : order) {
      seen += cellCount[c];
      if (seen >= rank) {
        return w[c];
      }
    }
    return w[order[order.length - 1]];
  }

  /** Weighted share of each level of dimension d. */
  public static double[] shares(int[][] cellLevels, double[] cellCount, double[] w, int d, int levels) {
    double[] share = new double[levels];
    double sum = 0;
    for (int c = 0; c < cellCount.length; c++) {
      double mass = cellCount[c] * w[c];
      share[cellLevels[c][d]] += mass;
      sum += mass;
    }
    for (int l = 0; l < levels; l++) {
      share[l] /= sum;
    }
    return share;
  }

  /** max over dimensions and levels of |current share / target share - 1|. */
  public static double maxMarginError(int[][] cellLevels, double[] cellCount, double[] w, double[][] targets) {
    double max = 0;
    for (int d = 0; d < targets.length; d++) {
      double[] share = shares(cellLevels, cellCount, w, d, targets[d].length);
      for (int l = 0; l < share.length; l++) {
        if (targets[d][l] > 0) {
          max = Math.max(max, Math.abs(share[l] / targets[d][l] - 1));
        }
      }
    }
    return max;
  }

  /** Scales weights so that their mean over participants is 1. */
  static void normalise(double[] w, double[] cellCount, double total) {
    double mass = 0;
    for (int c = 0; c < w.length; c++) {
      mass += cellCount[c] * w[c];
    }
    double f = total / mass;
    for (int c = 0; c < w.length; c++) {
      w[c] *= f;
    }
  }

  private static boolean outOfBounds(double[] w, double[] cellCount, double lower, double upper) {
    for (int c = 0; c < w.length; c++) {
      if (cellCount[c] > 0 && (w[c] > upper * (1 + 1e-9) || w[c] < lower * (1 - 1e-9))) {
        return true;
      }
    }
    return false;
  }

  /** Kish's design effect of the weights: n sum(w^2) / (sum w)^2 over participants. */
  public static double kishDesignEffect(double[] cellCount, double[] w) {
    double n = 0;
    double s1 = 0;
    double s2 = 0;
    for (int c = 0; c < w.length; c++) {
      n += cellCount[c];
      s1 += cellCount[c] * w[c];
      s2 += cellCount[c] * w[c] * w[c];
    }
    return n * s2 / (s1 * s1);
  }

  /** Kish's effective sample size (sum w)^2 / sum(w^2) = n / design effect. */
  public static double effectiveSampleSize(double[] cellCount, double[] w) {
    double s1 = 0;
    double s2 = 0;
    for (int c = 0; c < w.length; c++) {
      s1 += cellCount[c] * w[c];
      s2 += cellCount[c] * w[c] * w[c];
    }
    return s1 * s1 / s2;
  }

  /**
   * Absolute standardised mean difference of one categorical dimension against its target, as the balance package
   * computes it for dummy-coded levels: mean over levels of |p_sample - p_target| / sqrt(p_target (1 - p_target))
   * (levels with a target share of 0 or 1 are skipped).
   */
  public static double asmd(double[] sampleShares, double[] targetShares) {
    double sum = 0;
    int n = 0;
    for (int l = 0; l < targetShares.length; l++) {
      double p = targetShares[l];
      if (p > 0 && p < 1) {
        sum += Math.abs(sampleShares[l] - p) / Math.sqrt(p * (1 - p));
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }
}
