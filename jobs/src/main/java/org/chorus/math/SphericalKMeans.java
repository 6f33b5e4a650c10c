package org.chorus.math;

import java.util.SplittableRandom;

/**
 * Spherical k-means of sparse unit vectors (cosine similarity), seeded: greedy k-means++ seeding (each new centre the
 * best, by total distance, of 2 + ln k candidates, as scikit-learn does) and Lloyd iterations whose centres are the
 * normalised sums of their points. Candidates are drawn in proportion to the square of the cosine distance
 * d = 1 - cos to the nearest centre, not d itself (k-means++'s squared Euclidean distance is 2d): text vectors are
 * nearly orthogonal, so d is about 1 between topics but still about 0.4 between two prompts of one topic, and
 * drawing by d too often puts two seeds in one topic; squaring sharpens the contrast and the greedy choice among
 * candidates keeps outliers out. An empty cluster
 * takes the point farthest from its centre. Restarts keep the lowest cost, the sum of 1 - cos to the centre.
 */
public final class SphericalKMeans {
  private SphericalKMeans() {}

  /** Sparse unit vectors: indices[i] (ascending) and values[i] of point i, in {@code dim} dimensions. */
  public record Points(int[][] indices, double[][] values, int dim) {
    public int size() {
      return indices.length;
    }

    double dot(int i, double[] centre) {
      double s = 0;
      int[] idx = indices[i];
      double[] v = values[i];
      for (int j = 0; j < idx.length; j++) {
        s += v[j] * centre[idx[j]];
      }
      return s;
    }
  }

  public record Result(double[][] centres, int[] assignment, double cost) {}

  public static Result fit(Points p, int k, int restarts, int maxIterations, long seed) {
    if (k < 1 || p.size() < k) {
      throw new IllegalArgumentException(p.size() + " points cannot make " + k + " clusters");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    Result best = null;
    for (int r = 0; r < Math.max(1, restarts); r++) {
      Result res = lloyd(p, seedGreedy(p, k, rng.split()), maxIterations);
      if (best == null || res.cost() < best.cost() - 1e-9) {
        best = res;
      }
    }
    return best;
  }

  static double[][] seedGreedy(Points p, int k, SplittableRandom rng) {
    int n = p.size();
    double[][] centres = new double[k][];
    centres[0] = dense(p, rng.nextInt(n));
    double[] nearest = new double[n];
    for (int i = 0; i < n; i++) {
      nearest[i] = distance(p.dot(i, centres[0]));
    }
    int trials = 2 + (int) Math.log(k);
    for (int c = 1; c < k; c++) {
      double[] weights = new double[n];
      double total = 0;
      for (int i = 0; i < n; i++) {
        weights[i] = nearest[i] * nearest[i];
        total += weights[i];
      }
      double bestPotential = Double.POSITIVE_INFINITY;
      double[] bestNearest = null;
      int bestPoint = -1;
      for (int t = 0; t < trials; t++) {
        int candidate = total > 0 ? KMeans.pickWeighted(weights, total, rng) : rng.nextInt(n);
        double[] centre = dense(p, candidate);
        double[] next = new double[n];
        double potential = 0;
        for (int i = 0; i < n; i++) {
          next[i] = Math.min(nearest[i], distance(p.dot(i, centre)));
          potential += next[i];
        }
        if (potential < bestPotential) {
          bestPotential = potential;
          bestNearest = next;
          bestPoint = candidate;
        }
      }
      centres[c] = dense(p, bestPoint);
      nearest = bestNearest;
    }
    return centres;
  }

  static Result lloyd(Points p, double[][] centres, int maxIterations) {
    int n = p.size();
    int k = centres.length;
    int[] assignment = new int[n];
    java.util.Arrays.fill(assignment, -1);
    double[] sim = new double[n];
    for (int iter = 0; iter < Math.max(1, maxIterations); iter++) {
      boolean changed = false;
      for (int i = 0; i < n; i++) {
        int arg = 0;
        double best = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
          double s = p.dot(i, centres[c]);
          if (s > best) {
            best = s;
            arg = c;
          }
        }
        sim[i] = best;
        if (assignment[i] != arg) {
          assignment[i] = arg;
          changed = true;
        }
      }
      if (!changed) {
        break;
      }
      centres = centres(p, assignment, sim, k);
    }
    double cost = 0;
    for (int i = 0; i < n; i++) {
      cost += distance(sim[i]);
    }
    return new Result(centres, assignment, cost);
  }

  private static double[][] centres(Points p, int[] assignment, double[] sim, int k) {
    double[][] sums = new double[k][p.dim()];
    int[] sizes = new int[k];
    for (int i = 0; i < p.size(); i++) {
      int c = assignment[i];
      sizes[c]++;
      int[] idx = p.indices()[i];
      double[] v = p.values()[i];
      for (int j = 0; j < idx.length; j++) {
        sums[c][idx[j]] += v[j];
      }
    }
    for (int c = 0; c < k; c++) {
      if (sizes[c] == 0) {
        int far = 0;
        for (int i = 1; i < p.size(); i++) {
          if (sim[i] < sim[far]) {
            far = i;
          }
        }
        sums[c] = dense(p, far);
        sim[far] = 1;
      }
      normalise(sums[c]);
    }
    return sums;
  }

  /**
   * The mean silhouette with cosine distance 1 - x.y, exact in O(n k): the mean distance from x to the points of a
   * cluster with sum S and size m is 1 - x.S / m (its own cluster: 1 - (x.S - 1) / (m - 1)). A point alone in its
   * cluster scores 0.
   */
  public static double silhouette(Points p, int[] assignment, int k) {
    double[][] sums = new double[k][p.dim()];
    int[] sizes = new int[k];
    for (int i = 0; i < p.size(); i++) {
      sizes[assignment[i]]++;
      int[] idx = p.indices()[i];
      double[] v = p.values()[i];
      for (int j = 0; j < idx.length; j++) {
        sums[assignment[i]][idx[j]] += v[j];
      }
    }
    double total = 0;
    for (int i = 0; i < p.size(); i++) {
      int own = assignment[i];
      if (sizes[own] < 2) {
        continue;
      }
      double a = 1 - (p.dot(i, sums[own]) - 1) / (sizes[own] - 1);
      double b = Double.POSITIVE_INFINITY;
      for (int c = 0; c < k; c++) {
        if (c != own && sizes[c] > 0) {
          b = Math.min(b, 1 - p.dot(i, sums[c]) / sizes[c]);
        }
      }
      double m = Math.max(a, b);
      total += m > 0 ? (b - a) / m : 0;
    }
    return total / p.size();
  }

  private static double distance(double cos) {
    return Math.max(0, 1 - cos);
  }

  private static double[] dense(Points p, int i) {
    double[] d = new double[p.dim()];
    int[] idx = p.indices()[i];
    for (int j = 0; j < idx.length; j++) {
      d[idx[j]] = p.values()[i][j];
    }
    return d;
  }

  private static void normalise(double[] v) {
    double s = 0;
    for (double x : v) {
      s += x * x;
    }
    double norm = Math.sqrt(s);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] /= norm;
      }
    }
  }
}
