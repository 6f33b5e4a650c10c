package org.chorus.panel;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * NASH: the lottery over panels that maximises the Nash welfare, the sum over people of log(probability) (Flanigan
 * et al. 2021 report it alongside LEXIMIN). Over a fixed set of panels the objective sum_t n_t log(pi_t) is concave
 * in the lottery and is maximised by the multiplicative (EM) update lambda_P <- lambda_P g_P / N with
 * g_P = sum_t c_{P,t} / pi_t and N the people who can be selected at all. New panels come from the pricing step
 * with weights 1/pi_t. The same g gives a certificate: for any lottery, optimum - current <= N log(max_P g_P / N)
 * over all feasible panels (Jensen), so the loop stops when the pricing step proves that gap below
 * {@code tolerance} per person.
 */
public final class Nash {
  private Nash() {}

  /** The lottery, the proven bound on (optimal - achieved) Nash welfare per person, and the work done. */
  public record Result(Lottery lottery, double gapPerPerson, int panels, long pricingSolves, int emIterations) {}

  public static Result solve(PanelInstance inst, double tolerance, int maxRounds, Consumer<String> progress) {
    int types = inst.types();
    try (PanelModel pricing = new PanelModel(inst)) {
      Leximin.Columns columns = Leximin.Columns.covering(inst, pricing);
      double people = 0;
      for (int t = 0; t < types; t++) {
        if (columns.reachable[t]) {
          people += inst.typeSize[t];
        }
      }
      List<Double> lambda = new ArrayList<>();
      for (int i = 0; i < columns.panels.size(); i++) {
        lambda.add(1.0 / columns.panels.size());
      }
      double gap = Double.POSITIVE_INFINITY;
      int em = 0;
      double[] weight = new double[types];
      for (int round = 0; round < maxRounds; round++) {
        double[] pi = probabilities(inst, columns.panels, lambda);
        // EM on the current panels until their own gradients are nearly flat; over-relaxed (exponent 1.9, kept
        // only when the welfare rises, else the plain monotone step)
        double welfare = welfare(inst, pi, columns.reachable);
        for (int it = 0; it < 500; it++) {
          double maxG = 0;
          double[] g = new double[lambda.size()];
          for (int i = 0; i < g.length; i++) {
            g[i] = gradient(columns.panels.get(i), pi, columns.reachable);
            maxG = Math.max(maxG, g[i]);
          }
          em++;
          if (maxG / people - 1 < tolerance / 10) {
            break;
          }
          List<Double> fast = emStep(lambda, g, people, 1.9);
          double[] fastPi = probabilities(inst, columns.panels, fast);
          double fastWelfare = welfare(inst, fastPi, columns.reachable);
          if (fastWelfare > welfare) {
            lambda = fast;
            pi = fastPi;
            welfare = fastWelfare;
          } else {
            lambda = emStep(lambda, g, people, 1.0);
            pi = probabilities(inst, columns.panels, lambda);
            welfare = welfare(inst, pi, columns.reachable);
          }
        }
        double scale = 0;
        for (int t = 0; t < types; t++) {
          weight[t] = columns.reachable[t] ? 1 / pi[t] : 0;
          scale = Math.max(scale, weight[t]);
        }
        for (int t = 0; t < types; t++) {
          weight[t] /= scale;
        }
        int[] panel = pricing.best(weight);
        double g = gradient(panel, pi, columns.reachable);
        gap = Math.log(Math.max(1, g / people));
        if (gap <= tolerance) {
          break;
        }
        if (!columns.add(panel)) {
          continue; // a panel already in the lottery: more EM steps raise its weight
        }
        // the new panel enters with the share that maximises the welfare along the segment (exact line search)
        double gamma = lineSearch(inst, pi, panel, columns.reachable);
        for (int i = 0; i < lambda.size(); i++) {
          lambda.set(i, lambda.get(i) * (1 - gamma));
        }
        lambda.add(gamma);
        if ((round + 1) % 50 == 0) {
          progress.accept(String.format("nash round %d: gap %.2e per person (%d panels)", round + 1, gap,
              columns.panels.size()));
        }
      }
      double[] w = lambda.stream().mapToDouble(Double::doubleValue).toArray();
      return new Result(Lottery.of(columns.panels, w), gap, columns.panels.size(), pricing.solves(), em);
    }
  }

  /** lambda_P (g_P / N)^omega, renormalised to sum 1. */
  static List<Double> emStep(List<Double> lambda, double[] g, double people, double omega) {
    List<Double> next = new ArrayList<>(lambda.size());
    double sum = 0;
    for (int i = 0; i < g.length; i++) {
      double v = lambda.get(i) * Math.pow(g[i] / people, omega);
      next.add(v);
      sum += v;
    }
    for (int i = 0; i < g.length; i++) {
      next.set(i, next.get(i) / sum);
    }
    return next;
  }

  /** sum_t n_t log(pi_t) over the selectable types. */
  static double welfare(PanelInstance inst, double[] pi, boolean[] reachable) {
    double w = 0;
    for (int t = 0; t < pi.length; t++) {
      if (reachable[t]) {
        w += inst.typeSize[t] * Math.log(pi[t]);
      }
    }
    return w;
  }

  /**
   * The gamma in [0, 1) maximising sum_t n_t log((1 - gamma) pi_t + gamma a_t), a_t = c_t / n_t: the derivative
   * sum_t n_t (a_t - pi_t) / ((1 - gamma) pi_t + gamma a_t) decreases in gamma, so bisection finds its zero.
   */
  static double lineSearch(PanelInstance inst, double[] pi, int[] panel, boolean[] reachable) {
    double lo = 0;
    double hi = 1 - 1e-12;
    for (int it = 0; it < 60; it++) {
      double mid = (lo + hi) / 2;
      double d = 0;
      for (int t = 0; t < pi.length; t++) {
        if (reachable[t]) {
          double a = panel[t] / (double) inst.typeSize[t];
          d += inst.typeSize[t] * (a - pi[t]) / ((1 - mid) * pi[t] + mid * a);
        }
      }
      if (d > 0) {
        lo = mid;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  static double[] probabilities(PanelInstance inst, List<int[]> panels, List<Double> lambda) {
    double[] pi = new double[inst.types()];
    for (int i = 0; i < panels.size(); i++) {
      int[] c = panels.get(i);
      double l = lambda.get(i);
      for (int t = 0; t < c.length; t++) {
        if (c[t] > 0) {
          pi[t] += l * c[t];
        }
      }
    }
    for (int t = 0; t < pi.length; t++) {
      pi[t] /= inst.typeSize[t];
    }
    return pi;
  }

  /** g_P = sum_t c_{P,t} / pi_t over the selectable types. */
  static double gradient(int[] panel, double[] pi, boolean[] reachable) {
    double g = 0;
    for (int t = 0; t < panel.length; t++) {
      if (panel[t] > 0 && reachable[t]) {
        g += panel[t] / pi[t];
      }
    }
    return g;
  }
}
