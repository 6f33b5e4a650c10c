package org.chorus.panel;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A probability distribution over panels, each panel given as type counts. A person of type t is selected with
 * probability sum_P lambda_P c_{P,t} / n_t: the lottery draws a panel, then within each type draws its c_t members
 * uniformly, which gives every member of a type the same chance.
 */
public record Lottery(List<int[]> panels, double[] weights) {
  /** Drops panels of (numerically) zero weight and renormalises the rest to sum 1. */
  public static Lottery of(List<int[]> panels, double[] weights) {
    List<int[]> kept = new ArrayList<>();
    List<Double> w = new ArrayList<>();
    double sum = 0;
    for (int i = 0; i < panels.size(); i++) {
      if (weights[i] > 1e-12) {
        kept.add(panels.get(i));
        w.add(weights[i]);
        sum += weights[i];
      }
    }
    double[] normalised = new double[w.size()];
    for (int i = 0; i < normalised.length; i++) {
      normalised[i] = w.get(i) / sum;
    }
    return new Lottery(List.copyOf(kept), normalised);
  }

  /** Probability that a person of each type is on the panel. */
  public double[] typeProbabilities(PanelInstance inst) {
    double[] p = new double[inst.types()];
    for (int i = 0; i < panels.size(); i++) {
      int[] c = panels.get(i);
      for (int t = 0; t < c.length; t++) {
        if (c[t] > 0) {
          p[t] += weights[i] * c[t];
        }
      }
    }
    for (int t = 0; t < p.length; t++) {
      p[t] /= inst.typeSize[t];
    }
    return p;
  }

  /** Draws one panel with the seed: a panel by its weight, then its members of each type uniformly. */
  public int[] draw(PanelInstance inst, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    double u = random.nextDouble();
    int chosen = panels.size() - 1;
    double acc = 0;
    for (int i = 0; i < panels.size(); i++) {
      acc += weights[i];
      if (u < acc) {
        chosen = i;
        break;
      }
    }
    return members(inst, panels.get(chosen), random);
  }

  /** c_t members of each type t, drawn uniformly without replacement (a partial Fisher-Yates shuffle). */
  static int[] members(PanelInstance inst, int[] counts, SplittableRandom random) {
    int[] panel = new int[inst.k];
    int n = 0;
    for (int t = 0; t < counts.length; t++) {
      int[] m = inst.typeMembers[t].clone();
      for (int j = 0; j < counts[t]; j++) {
        int r = j + random.nextInt(m.length - j);
        int tmp = m[j];
        m[j] = m[r];
        m[r] = tmp;
        panel[n++] = m[j];
      }
    }
    java.util.Arrays.sort(panel);
    return panel;
  }
}
