package org.chorus.aggregate;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * Bradley-Terry strengths by maximum likelihood: P(i beats j) = e^{theta_i} / (e^{theta_i} + e^{theta_j}), a tie
 * counting as half a win for each side. Fitted by Hunter's MM algorithm (Hunter 2004, "MM algorithms for
 * generalized Bradley-Terry models", eq. 3): gamma_i <- W_i / sum_j N_ij / (gamma_i + gamma_j).
 *
 * <p>With a Gaussian prior theta ~ N(0, 1/lambda) the same minorizer gives, per item, the root of
 * W_i - C_i e^{theta_i} - lambda theta_i = 0 with C_i = sum_j N_ij / (gamma_i + gamma_j) at the current gammas,
 * still an ascent step (the log-posterior minus a function that touches it from below is maximised).
 *
 * <p>The MLE exists only when every split of the items into two sets has the second set winning at least once
 * against the first (Ford 1957): the graph with an edge i -> j whenever i won or drew against j is strongly
 * connected. When it is not and no prior was asked for, {@link #fit} says so and applies {@link #FALLBACK_PRIOR}.
 */
public final class BradleyTerry {
  /** The prior (precision on theta) applied when the MLE does not exist and none was given. */
  public static final double FALLBACK_PRIOR = 0.01;

  private BradleyTerry() {}

  /**
   * The fitted log-strengths (centred on 0 when no prior is used), whether the MLE exists, the prior used,
   * the MM iterations and whether they converged (largest change in theta below the tolerance).
   */
  public record Fit(double[] theta, boolean mleExists, double prior, int iterations, boolean converged) {}

  public static Fit fit(Tally t, double prior, double tolerance, int maxIterations) {
    int n = t.n;
    boolean exists = stronglyConnected(t);
    double lambda = prior > 0 ? prior : exists ? 0 : FALLBACK_PRIOR;
    double[] wins = new double[n];
    for (int p = 0; p < t.pairs(); p++) {
      wins[t.first[p]] += t.firstWins[p] + t.ties[p] / 2;
      wins[t.second[p]] += t.secondWins[p] + t.ties[p] / 2;
    }
    double[] games = t.games();
    double[] theta = new double[n];
    double[] gamma = new double[n];
    Arrays.fill(gamma, 1);
    double[] c = new double[n];
    int it = 0;
    boolean converged = false;
    while (it < maxIterations && !converged) {
      it++;
      Arrays.fill(c, 0);
      for (int p = 0; p < t.pairs(); p++) {
        int i = t.first[p];
        int j = t.second[p];
        double share = (t.firstWins[p] + t.secondWins[p] + t.ties[p]) / (gamma[i] + gamma[j]);
        c[i] += share;
        c[j] += share;
      }
      double change = 0;
      for (int i = 0; i < n; i++) {
        if (games[i] == 0) {
          continue;
        }
        double next = lambda == 0 ? Math.log(wins[i] / c[i]) : rootWithPrior(wins[i], c[i], lambda, theta[i]);
        change = Math.max(change, Math.abs(next - theta[i]));
        theta[i] = next;
      }
      if (lambda == 0) {
        center(theta, games);
      }
      for (int i = 0; i < n; i++) {
        gamma[i] = Math.exp(theta[i]);
      }
      converged = change < tolerance;
    }
    return new Fit(theta, exists, lambda, it, converged);
  }

  /** The root of w - c e^x - lambda x = 0 (decreasing in x) by Newton's method from x0, safeguarded by bisection. */
  static double rootWithPrior(double w, double c, double lambda, double x0) {
    double lo = -1;
    while (w - c * Math.exp(lo) - lambda * lo < 0) {
      lo *= 2;
    }
    double hi = 1;
    while (w - c * Math.exp(hi) - lambda * hi > 0) {
      hi *= 2;
    }
    double x = Math.min(Math.max(x0, lo), hi);
    for (int k = 0; k < 100; k++) {
      double g = w - c * Math.exp(x) - lambda * x;
      if (g > 0) {
        lo = x;
      } else {
        hi = x;
      }
      double next = x + g / (c * Math.exp(x) + lambda);
      if (next <= lo || next >= hi) {
        next = (lo + hi) / 2;
      }
      if (Math.abs(next - x) < 1e-15 * Math.max(1, Math.abs(x))) {
        return next;
      }
      x = next;
    }
    return x;
  }

  private static void center(double[] theta, double[] games) {
    double sum = 0;
    int count = 0;
    for (int i = 0; i < theta.length; i++) {
      if (games[i] > 0) {
        sum += theta[i];
        count++;
      }
    }
    for (int i = 0; i < theta.length; i++) {
      if (games[i] > 0) {
        theta[i] -= sum / count;
      }
    }
  }

  /**
   * Whether the compared items form one strongly connected "won or drew against" graph (Kosaraju, iterative).
   * Items never compared are left out.
   */
  static boolean stronglyConnected(Tally t) {
    int n = t.n;
    List<List<Integer>> out = new ArrayList<>();
    List<List<Integer>> in = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
      in.add(new ArrayList<>());
    }
    boolean[] compared = new boolean[n];
    for (int p = 0; p < t.pairs(); p++) {
      int i = t.first[p];
      int j = t.second[p];
      compared[i] = compared[j] = true;
      if (t.firstWins[p] + t.ties[p] > 0) {
        out.get(i).add(j);
        in.get(j).add(i);
      }
      if (t.secondWins[p] + t.ties[p] > 0) {
        out.get(j).add(i);
        in.get(i).add(j);
      }
    }
    int start = -1;
    int total = 0;
    for (int i = 0; i < n; i++) {
      if (compared[i]) {
        total++;
        start = start < 0 ? i : start;
      }
    }
    if (total <= 1) {
      return total == 1;
    }
    // strongly connected iff every compared item is reached from start forwards and backwards
    return reached(out, start) == total && reached(in, start) == total;
  }

  private static int reached(List<List<Integer>> edges, int start) {
    boolean[] seen = new boolean[edges.size()];
    Deque<Integer> stack = new ArrayDeque<>();
    stack.push(start);
    seen[start] = true;
    int count = 0;
    while (!stack.isEmpty()) {
      int v = stack.pop();
      count++;
      for (int w : edges.get(v)) {
        if (!seen[w]) {
          seen[w] = true;
          stack.push(w);
        }
      }
    }
    return count;
  }
}
