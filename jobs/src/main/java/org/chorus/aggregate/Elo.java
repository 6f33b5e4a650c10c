package org.chorus.aggregate;

/**
 * Online Elo ratings as in PRISM's (and LMSYS Chatbot Arena's) ranking code: every rating starts at 1000; for each
 * comparison in order, E_a = 1 / (1 + 10^((R_b - R_a) / 400)) and R_a += K (S_a - E_a), R_b += K (E_a - S_a), with
 * S_a = 1, 0 or 0.5 and K = 4. The result depends on the order, so callers fix it with a seed; a comparison's weight
 * scales its update.
 */
public final class Elo {
  public static final double K = 4;
  public static final double SCALE = 400;
  public static final double BASE = 10;
  public static final double INITIAL = 1000;

  private Elo() {}

  /**
   * @param a first item of each comparison, in the order they are played
   * @param b second item
   * @param outcome 1 when a won, 0 when b won, 0.5 for a tie
   * @param weight the comparison's weight (1 for plain Elo)
   */
  public static double[] ratings(int n, int[] a, int[] b, double[] outcome, double[] weight) {
    double[] r = new double[n];
    java.util.Arrays.fill(r, INITIAL);
    for (int g = 0; g < a.length; g++) {
      double expected = 1 / (1 + Math.pow(BASE, (r[b[g]] - r[a[g]]) / SCALE));
      double delta = K * weight[g] * (outcome[g] - expected);
      r[a[g]] += delta;
      r[b[g]] -= delta;
    }
    return r;
  }
}
