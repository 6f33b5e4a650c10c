package org.chorus.math;

import java.util.SplittableRandom;

/**
 * Weighted k-means (Lloyd) with k-means++ seeding and restarts; seeded, so the same input gives the same clusters.
 * Shared math: used for Polis's base clusters and group clusters and to seed model-based clustering.
 */
public final class KMeans {
  private KMeans() {}

  /** Centres, the cluster of each point, and the weighted sum of squared distances. */
  public record Result(double[][] centers, int[] assignment, double inertia) {
    public int k() {
      return centers.length;
    }
  }

  public static Result fit(double[][] points, double[] weights, int k, long seed, int restarts, int maxIterations) {
    if (points.length == 0) {
      return new Result(new double[0][], new int[0], 0);
    }
    int kk = Math.min(k, distinctCount(points, k));
    Result best = null;
    SplittableRandom rng = new SplittableRandom(seed);
    for (int r = 0; r < Math.max(1, restarts); r++) {
      Result res = lloyd(points, weights, seedPlusPlus(points, weights, kk, rng.split()), maxIterations);
      if (best == null || res.inertia() < best.inertia() - 1e-12) {
        best = res;
      }
    }
    return best;
  }

  static int distinctCount(double[][] points, int cap) {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (double[] p : points) {
      seen.add(java.util.Arrays.toString(p));
      if (seen.size() >= cap) {
        return cap;
      }
    }
    return seen.size();
  }

  static double[][] seedPlusPlus(double[][] x, double[] w, int k, SplittableRandom rng) {
    int n = x.length;
    double[][] centers = new double[k][];
    double total = 0;
    for (double wi : w) {
      total += wi;
    }
    centers[0] = x[pickWeighted(w, total, rng)].clone();
    double[] d2 = new double[n];
    for (int i = 0; i < n; i++) {
      d2[i] = dist2(x[i], centers[0]);
    }
    for (int c = 1; c < k; c++) {
      double sum = 0;
      double[] score = new double[n];
      for (int i = 0; i < n; i++) {
        score[i] = w[i] * d2[i];
        sum += score[i];
      }
      int pick = sum > 0 ? pickWeighted(score, sum, rng) : rng.nextInt(n);
      centers[c] = x[pick].clone();
      for (int i = 0; i < n; i++) {
        d2[i] = Math.min(d2[i], dist2(x[i], centers[c]));
      }
    }
    return centers;
  }

  /** An index drawn with probability w[i] / total. */
  static int pickWeighted(double[] w, double total, SplittableRandom rng) {
    double u = rng.nextDouble() * total;
    double c = 0;
    for (int i = 0; i < w.length; i++) {
      c += w[i];
      if (u < c) {
        return i;
      }
    }
    return w.length - 1;
  }

  static Result lloyd(double[][] x, double[] w, double[][] centers, int maxIterations) {
    int n = x.length;
    int k = centers.length;
    int d = x[0].length;
    int[] assign = new int[n];
    java.util.Arrays.fill(assign, -1);
    double inertia = 0;
    for (int it = 0; it < maxIterations; it++) {
      boolean changed = false;
      inertia = 0;
      for (int i = 0; i < n; i++) {
        int bestC = 0;
        double bestD = Double.MAX_VALUE;
        for (int c = 0; c < k; c++) {
          double dd = dist2(x[i], centers[c]);
          if (dd < bestD) {
            bestD = dd;
            bestC = c;
          }
        }
        if (assign[i] != bestC) {
          assign[i] = bestC;
          changed = true;
        }
        inertia += w[i] * bestD;
      }
      if (!changed && it > 0) {
        break;
      }
      double[][] sums = new double[k][d];
      double[] mass = new double[k];
      for (int i = 0; i < n; i++) {
        mass[assign[i]] += w[i];
        for (int j = 0; j < d; j++) {
          sums[assign[i]][j] += w[i] * x[i][j];
        }
      }
      for (int c = 0; c < k; c++) {
        if (mass[c] > 0) {
          for (int j = 0; j < d; j++) {
            centers[c][j] = sums[c][j] / mass[c];
          }
        }
      }
    }
    return new Result(centers, assign, inertia);
  }

  public static double dist2(double[] a, double[] b) {
    double s = 0;
    for (int j = 0; j < a.length; j++) {
      double t = a[j] - b[j];
      s += t * t;
    }
    return s;
  }

  /**
   * Weighted mean silhouette: for each point, (b - a) / max(a, b) with a the weighted mean distance to its own
   * cluster and b to the nearest other cluster; points alone in their cluster score 0.
   */
  public static double silhouette(double[][] x, double[] w, int[] assign, int k) {
    int n = x.length;
    double total = 0;
    double mass = 0;
    for (int i = 0; i < n; i++) {
      double[] sum = new double[k];
      double[] wsum = new double[k];
      for (int j = 0; j < n; j++) {
        if (i == j) {
          continue;
        }
        double dd = Math.sqrt(dist2(x[i], x[j]));
        sum[assign[j]] += w[j] * dd;
        wsum[assign[j]] += w[j];
      }
      int own = assign[i];
      if (wsum[own] == 0) {
        mass += w[i];
        continue;
      }
      double a = sum[own] / wsum[own];
      double b = Double.MAX_VALUE;
      for (int c = 0; c < k; c++) {
        if (c != own && wsum[c] > 0) {
          b = Math.min(b, sum[c] / wsum[c]);
        }
      }
      double s = b == Double.MAX_VALUE ? 0 : (b - a) / Math.max(a, b);
      total += w[i] * s;
      mass += w[i];
    }
    return mass == 0 ? 0 : total / mass;
  }
}
