package org.chorus.panel;

import java.util.Arrays;

/** How fair a vector of selection probabilities is: minimum, mean, Gini coefficient and geometric mean. */
public record PanelStats(double min, double mean, double gini, double geometricMean) {
  public static PanelStats of(double[] p) {
    double[] s = p.clone();
    Arrays.sort(s);
    int n = s.length;
    double sum = 0;
    double logSum = 0;
    for (double x : s) {
      sum += x;
      logSum += Math.log(x);
    }
    double mean = sum / n;
    // Gini = sum_i sum_j |p_i - p_j| / (2 n^2 mean), from the sorted values: sum_i (2i - n - 1) p_(i) / (n^2 mean)
    double g = 0;
    for (int i = 0; i < n; i++) {
      g += (2.0 * (i + 1) - n - 1) * s[i];
    }
    // equal values cancel to a rounding error that can be negative (-1e-14 on 2,000 people at 0.1): Gini is >= 0
    double gini = mean == 0 ? 0 : Math.max(0, g / ((double) n * n * mean));
    return new PanelStats(s[0], mean, gini, Math.exp(logSum / n));
  }

  /** Share of the probabilities strictly below a threshold. */
  public static double shareBelow(double[] p, double threshold) {
    long below = Arrays.stream(p).filter(x -> x < threshold).count();
    return below / (double) p.length;
  }
}
