package org.chorus.opinions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.chorus.math.KMeans;

/**
 * Polis's grouping: k-means with k = 100 on the participants' 2-D projections ("base clusters"), then weighted
 * k-means on the base centres for k = 2 .. min(maxGroups, 2 + bases/12), k chosen by the weighted silhouette.
 * Group ids are ordered by size, largest first.
 */
public final class PolisClustering {
  private PolisClustering() {}

  public static Map<String, Integer> groups(List<scala.Tuple2<String, double[]>> projections, int minGroups,
      int maxGroups, long seed) {
    int n = projections.size();
    Map<String, Integer> out = new HashMap<>();
    if (n == 0) {
      return out;
    }
    double[][] x = new double[n][];
    double[] ones = new double[n];
    for (int i = 0; i < n; i++) {
      double[] p = projections.get(i)._2();
      x[i] = new double[] {p[0], p.length > 1 ? p[1] : 0};
      ones[i] = 1;
    }
    KMeans.Result base = KMeans.fit(x, ones, Math.min(100, n), seed, 1, 100);
    int nb = base.k();
    double[] mass = new double[nb];
    for (int a : base.assignment()) {
      mass[a]++;
    }
    List<Integer> nonEmpty = new ArrayList<>();
    for (int c = 0; c < nb; c++) {
      if (mass[c] > 0) {
        nonEmpty.add(c);
      }
    }
    double[][] centers = new double[nonEmpty.size()][];
    double[] weights = new double[nonEmpty.size()];
    int[] baseToCompact = new int[nb];
    for (int i = 0; i < nonEmpty.size(); i++) {
      centers[i] = base.centers()[nonEmpty.get(i)];
      weights[i] = mass[nonEmpty.get(i)];
      baseToCompact[nonEmpty.get(i)] = i;
    }
    int kMax = Math.min(maxGroups, 2 + centers.length / 12);
    int[] best = new int[centers.length];
    double bestScore = Double.NEGATIVE_INFINITY;
    int bestK = 1;
    for (int k = Math.max(2, minGroups); k <= kMax && k <= centers.length; k++) {
      KMeans.Result r = KMeans.fit(centers, weights, k, seed + k, 5, 200);
      double s = KMeans.silhouette(centers, weights, r.assignment(), r.k());
      if (s > bestScore + 1e-12) {
        bestScore = s;
        best = r.assignment();
        bestK = r.k();
      }
    }
    int[] order = bySizeDescending(best, weights, bestK);
    for (int i = 0; i < n; i++) {
      out.put(projections.get(i)._1(), order[best[baseToCompact[base.assignment()[i]]]]);
    }
    return out;
  }

  /** Relabels clusters so that 0 is the largest (by total weight), ties by old label. */
  static int[] bySizeDescending(int[] assignment, double[] weights, int k) {
    double[] size = new double[k];
    for (int i = 0; i < assignment.length; i++) {
      size[assignment[i]] += weights[i];
    }
    Integer[] ids = new Integer[k];
    for (int c = 0; c < k; c++) {
      ids[c] = c;
    }
    java.util.Arrays.sort(ids, (a, b) -> size[a] != size[b] ? Double.compare(size[b], size[a]) : Integer.compare(a, b));
    int[] relabel = new int[k];
    for (int r = 0; r < k; r++) {
      relabel[ids[r]] = r;
    }
    return relabel;
  }
}
