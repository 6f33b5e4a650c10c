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
        // EM on the current panels until their own gradients are nearly flat
        for (int it = 0; it < 500; it++) {
          double maxG = 0;
          double[] g = new double[lambda.size()];
          for (int i = 0; i < g.length; i++) {
            g[i] = gradient(columns.panels.get(i), pi, columns.reachable);
            maxG = Math.max(maxG, g[i]);
          }
          for (int i = 0; i < g.length; i++) {
            lambda.set(i, lambda.get(i) * g[i] / people);
          }
          pi = probabilities(inst, columns.panels, lambda);
          em++;
          if (maxG / people - 1 < tolerance / 10) {
            break;
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
        // the new panel enters with a small share, so that the multiplicative update can grow it
        double share = 1.0 / (columns.panels.size() + 1);
        for (int i = 0; i < lambda.size(); i++) {
          lambda.set(i, lambda.get(i) * (1 - share));
        }
        lambda.add(share);
        if ((round + 1) % 50 == 0) {
          progress.accept(String.format("nash round %d: gap %.2e per person (%d panels)", round + 1, gap,
              columns.panels.size()));
        }
      }
      double[] w = lambda.stream().mapToDouble(Double::doubleValue).toArray();
      return new Result(Lottery.of(columns.panels, w), gap, columns.panels.size(), pricing.solves(), em);
    }
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
