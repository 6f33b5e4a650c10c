package org.chorus.opinions;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;

/**
 * Principal components of the centred, mean-imputed vote matrix, by distributed orthogonal (block power)
 * iteration over the sparse rows. With column means mu_j over the observed votes, an imputed cell equals its mean,
 * so the centred matrix C has c_ij = v_ij - mu_j on observed cells and 0 elsewhere: it stays sparse. Each
 * iteration is one pass: Z = C^T (C W), then W = orth(Z).
 */
public final class SparsePca implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Loadings[j][t] of statement j on component t (unit columns, by decreasing variance); eigenvalues per column. */
  public record Components(double[][] loadings, double[] eigenvalues, int iterations) implements Serializable {}

  private SparsePca() {}

  /**
   * @param active statements whose votes enter the matrix (moderated-out and meta statements are constant 0 columns:
   *     centred, they vanish)
   */
  public static Components fit(JavaRDD<VoteMatrix.Row> rows, Broadcast<double[]> means, Broadcast<boolean[]> active,
      int statements, int k, long seed, int maxIterations, double tolerance) {
    double[][] w = new double[statements][k];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int j = 0; j < statements; j++) {
      for (int t = 0; t < k; t++) {
        w[j][t] = active.value()[j] ? rng.nextDouble() - 0.5 : 0;
      }
    }
    orthonormalize(w);
    double[] eig = new double[k];
    int it = 0;
    for (; it < maxIterations; it++) {
      double[][] current = w;
      Broadcast<double[][]> bw = org.apache.spark.api.java.JavaSparkContext.fromSparkContext(rows.context())
          .broadcast(current);
      double[] z = rows.treeAggregate(new double[statements * k],
          (acc, row) -> accumulate(acc, row, bw.value(), means.value(), active.value(), k),
          (a, b) -> {
            for (int i = 0; i < a.length; i++) {
              a[i] += b[i];
            }
            return a;
          }, 2);
      bw.destroy();
      double[][] next = new double[statements][k];
      for (int j = 0; j < statements; j++) {
        System.arraycopy(z, j * k, next[j], 0, k);
      }
      for (int t = 0; t < k; t++) {
        double dot = 0;
        for (int j = 0; j < statements; j++) {
          dot += next[j][t] * current[j][t];
        }
        eig[t] = dot; // Rayleigh quotient w^T C^T C w with unit w
      }
      orthonormalize(next);
      // Converged when the leading two components (the projection) stop moving; further components only seed
      // clustering and may sit in a near-degenerate noise subspace that never settles.
      double change = 0;
      for (int t = 0; t < Math.min(2, k); t++) {
        double dot = 0;
        for (int j = 0; j < statements; j++) {
          dot += next[j][t] * current[j][t];
        }
        change = Math.max(change, 1 - Math.abs(dot));
      }
      w = next;
      if (change < tolerance) {
        it++;
        break;
      }
    }
    fixSigns(w);
    return new Components(w, eig, it);
  }

  /** The row's centred votes times W: sum over its active cells of (v_ij - mu_j) W_jt. */
  static double[] scores(VoteMatrix.Row row, double[][] w, double[] mu, boolean[] active, int k) {
    double[] s = new double[k];
    for (int e = 0; e < row.statements.length; e++) {
      int j = row.statements[e];
      if (!active[j]) {
        continue;
      }
      double c = row.votes[e] - mu[j];
      for (int t = 0; t < k; t++) {
        s[t] += c * w[j][t];
      }
    }
    return s;
  }

  static double[] accumulate(double[] acc, VoteMatrix.Row row, double[][] w, double[] mu, boolean[] active, int k) {
    double[] s = scores(row, w, mu, active, k);
    for (int e = 0; e < row.statements.length; e++) {
      int j = row.statements[e];
      if (!active[j]) {
        continue;
      }
      double c = row.votes[e] - mu[j];
      for (int t = 0; t < k; t++) {
        acc[j * k + t] += c * s[t];
      }
    }
    return acc;
  }

  /** Modified Gram-Schmidt on the columns. */
  static void orthonormalize(double[][] w) {
    int n = w.length;
    int k = n == 0 ? 0 : w[0].length;
    for (int t = 0; t < k; t++) {
      for (int u = 0; u < t; u++) {
        double dot = 0;
        for (int j = 0; j < n; j++) {
          dot += w[j][t] * w[j][u];
        }
        for (int j = 0; j < n; j++) {
          w[j][t] -= dot * w[j][u];
        }
      }
      double norm = 0;
      for (int j = 0; j < n; j++) {
        norm += w[j][t] * w[j][t];
      }
      norm = Math.sqrt(norm);
      if (norm > 0) {
        for (int j = 0; j < n; j++) {
          w[j][t] /= norm;
        }
      }
    }
  }

  /** A deterministic sign: the largest loading of each component is positive. */
  static void fixSigns(double[][] w) {
    int k = w.length == 0 ? 0 : w[0].length;
    for (int t = 0; t < k; t++) {
      int arg = 0;
      for (int j = 0; j < w.length; j++) {
        if (Math.abs(w[j][t]) > Math.abs(w[arg][t])) {
          arg = j;
        }
      }
      if (w.length > 0 && w[arg][t] < 0) {
        for (double[] row : w) {
          row[t] = -row[t];
        }
      }
    }
  }

  /**
   * Polis's sparsity-aware projection: the sum over the participant's voted cells of c_ij W_jt, scaled by
   * sqrt(statements / max(votes, 1)). {@code votesCounted} includes the zeroed (moderated-out, meta) columns.
   */
  public static double[] project(VoteMatrix.Row row, double[][] w, double[] mu, boolean[] active, int statements,
      int votesCounted, int k) {
    double[] p = scores(row, w, mu, active, k);
    double scale = Math.sqrt(statements / (double) Math.max(votesCounted, 1));
    for (int t = 0; t < k; t++) {
      p[t] *= scale;
    }
    return p;
  }
}
