package org.chorus.opinions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;
import org.chorus.core.job.Cached;
import org.chorus.core.job.Progress;
import org.chorus.math.KMeans;

/**
 * Opinion groups as latent classes: each group k has, for every statement j, a distribution theta_kj over
 * (agree, disagree, pass); a participant's votes are independent given the group. Fitted by EM over the sparse rows
 * (one pass per iteration), with a Dirichlet(1) prior on theta; seeded by k-means++ on the leading principal
 * components; the number of groups K chosen by BIC (large conversations: by held-out likelihood). Unlike a 2-D projection, it uses every vote, so it separates
 * five or more groups. Group ids are ordered by size, largest first.
 */
public final class LatentClasses {
  static final int SELECTION_SAMPLE = 20_000;

  private LatentClasses() {}

  public record Model(int k, double[] logPrior, double[][][] logTheta, double logLikelihood, double bic,
      Map<String, Integer> groups) {}

  public static Model fit(JavaRDD<VoteMatrix.Row> rows, List<scala.Tuple2<String, double[]>> projections, int m,
      int maxGroups, long seed, Progress progress) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(rows.context());
    long n = projections.size();
    Map<String, double[]> proj = new HashMap<>();
    projections.forEach(t -> proj.put(t._1(), t._2()));
    // K by BIC on everyone when the conversation is small. On a large one, BIC computed on a sample is biased
    // (unscaled it under-fits, scaled to the population it over-fits, since each group has 2 x statements
    // parameters): K is then chosen by the held-out log-likelihood of a second sample, and the chosen K is fitted
    // on everyone, warm-started from the sample's fit.
    Model best = null;
    if (n <= SELECTION_SAMPLE) {
      int worse = 0;
      for (int k = 2; k <= maxGroups && worse < 2; k++) {
        Model candidate = em(jsc, rows, proj, m, k, seed, n, null);
        if (best == null || candidate.bic() < best.bic()) {
          best = candidate;
          worse = 0;
        } else {
          worse++;
        }
      }
      progress.step("[opinions] latent classes: K = %d by BIC (%d participants)", best.k(), n);
      return best;
    }
    JavaRDD<VoteMatrix.Row>[] split = rows.sample(false, Math.min(1.0, 2.0 * SELECTION_SAMPLE / n), seed)
        .randomSplit(new double[] {0.5, 0.5}, seed + 1);
    try (Cached<JavaRDD<VoteMatrix.Row>> trainCache = Cached.of(split[0], StorageLevel.MEMORY_AND_DISK_SER());
        Cached<JavaRDD<VoteMatrix.Row>> heldCache = Cached.of(split[1], StorageLevel.MEMORY_AND_DISK_SER())) {
      JavaRDD<VoteMatrix.Row> train = trainCache.get();
      JavaRDD<VoteMatrix.Row> held = heldCache.get();
      long trainSize = train.count();
      double bestHeld = Double.NEGATIVE_INFINITY;
      int worse = 0;
      for (int k = 2; k <= maxGroups && worse < 2; k++) {
        Model candidate = em(jsc, train, proj, m, k, seed, trainSize, null);
        double heldOut = heldOutLogLikelihood(jsc, held, candidate);
        if (heldOut > bestHeld) {
          bestHeld = heldOut;
          best = candidate;
          worse = 0;
        } else {
          worse++;
        }
      }
      progress.step("[opinions] latent classes: K = %d by held-out likelihood (two samples of ~%,d participants)",
          best.k(), trainSize);
      return em(jsc, rows, proj, m, best.k(), seed, n, best);
    }
  }

  static double heldOutLogLikelihood(JavaSparkContext jsc, JavaRDD<VoteMatrix.Row> rows, Model model) {
    Broadcast<double[]> bPrior = jsc.broadcast(model.logPrior());
    Broadcast<double[][][]> bTheta = jsc.broadcast(model.logTheta());
    int k = model.k();
    double ll = rows.map(r -> posterior(r, bPrior.value(), bTheta.value(), new double[k])).fold(0.0, Double::sum);
    bPrior.destroy();
    bTheta.destroy();
    return ll;
  }

  static Model em(JavaSparkContext jsc, JavaRDD<VoteMatrix.Row> rows, Map<String, double[]> proj, int m, int k,
      long seed, long n, Model warm) {
    int kk = k;
    double[] logPrior = new double[k];
    double[][][] logTheta = new double[k][m][3];
    if (warm != null) {
      System.arraycopy(warm.logPrior(), 0, logPrior, 0, k);
      for (int c = 0; c < k; c++) {
        for (int j = 0; j < m; j++) {
          logTheta[c][j] = warm.logTheta()[c][j].clone();
        }
      }
    } else {
      seedFromKMeans(jsc, rows, proj, m, k, seed, logPrior, logTheta);
    }
    return iterate(jsc, rows, m, kk, n, logPrior, logTheta);
  }

  private static void seedFromKMeans(JavaSparkContext jsc, JavaRDD<VoteMatrix.Row> rows, Map<String, double[]> proj,
      int m, int k, long seed, double[] logPrior, double[][][] logTheta) {
    // Seed: k-means++ on the projections of the rows at hand; responsibilities start hard.
    List<scala.Tuple2<String, double[]>> pts = rows.map(r -> new scala.Tuple2<>(r.participant, (double[]) null))
        .collect();
    double[][] x = new double[pts.size()][];
    double[] w = new double[pts.size()];
    Map<String, Integer> start = new HashMap<>();
    for (int i = 0; i < x.length; i++) {
      x[i] = proj.get(pts.get(i)._1());
      w[i] = 1;
    }
    KMeans.Result init = KMeans.fit(x, w, k, seed + 31L * k, 5, 100);
    for (int i = 0; i < x.length; i++) {
      start.put(pts.get(i)._1(), init.assignment()[i]);
    }
    Broadcast<Map<String, Integer>> bStart = jsc.broadcast(start);
    double[] counts = rows.treeAggregate(new double[k * (1 + 3 * m)], (acc, r) -> {
      int c = bStart.value().get(r.participant);
      addCounts(acc, r, c, 1.0, k, m);
      return acc;
    }, OpinionsJob::addInto, 2);
    bStart.destroy();
    mStep(counts, k, m, logPrior, logTheta);
  }

  private static Model iterate(JavaSparkContext jsc, JavaRDD<VoteMatrix.Row> rows, int m, int kk, long n,
      double[] logPrior, double[][][] logTheta) {
    int k = kk;
    double previous = Double.NEGATIVE_INFINITY;
    double ll = previous;
    for (int it = 0; it < 150; it++) {
      Broadcast<double[]> bPrior = jsc.broadcast(logPrior);
      Broadcast<double[][][]> bTheta = jsc.broadcast(logTheta);
      double[] acc = rows.treeAggregate(new double[k * (1 + 3 * m) + 1], (a, r) -> {
        double[] resp = new double[kk];
        double lse = posterior(r, bPrior.value(), bTheta.value(), resp);
        a[a.length - 1] += lse;
        for (int c = 0; c < kk; c++) {
          if (resp[c] > 1e-12) {
            addCounts(a, r, c, resp[c], kk, m);
          }
        }
        return a;
      }, OpinionsJob::addInto, 2);
      bPrior.destroy();
      bTheta.destroy();
      ll = acc[acc.length - 1];
      mStep(acc, kk, m, logPrior, logTheta);
      if (ll - previous < 1e-6 * Math.abs(ll)) {
        break;
      }
      previous = ll;
    }
    Broadcast<double[]> bPrior = jsc.broadcast(logPrior);
    Broadcast<double[][][]> bTheta = jsc.broadcast(logTheta);
    List<scala.Tuple2<String, Integer>> assigned = rows.map(r -> {
      double[] resp = new double[kk];
      posterior(r, bPrior.value(), bTheta.value(), resp);
      int arg = 0;
      for (int c = 1; c < kk; c++) {
        if (resp[c] > resp[arg]) {
          arg = c;
        }
      }
      return new scala.Tuple2<>(r.participant, arg);
    }).collect();
    int[] labels = new int[assigned.size()];
    double[] ones = new double[assigned.size()];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = assigned.get(i)._2();
      ones[i] = 1;
    }
    int[] relabel = PolisClustering.bySizeDescending(labels, ones, k);
    Map<String, Integer> groups = new HashMap<>();
    for (int i = 0; i < labels.length; i++) {
      groups.put(assigned.get(i)._1(), relabel[labels[i]]);
    }
    double parameters = k * (double) m * 2 + (k - 1);
    double bic = -2 * ll + parameters * Math.log(Math.max(n, 2));
    return new Model(k, logPrior, logTheta, ll, bic, groups);
  }

  /** Fills {@code resp} with the posterior over classes and returns the row's log marginal likelihood. */
  static double posterior(VoteMatrix.Row r, double[] logPrior, double[][][] logTheta, double[] resp) {
    int k = logPrior.length;
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < k; c++) {
      double s = logPrior[c];
      double[][] t = logTheta[c];
      for (int e = 0; e < r.statements.length; e++) {
        s += t[r.statements[e]][outcome(r.votes[e])];
      }
      resp[c] = s;
      max = Math.max(max, s);
    }
    double sum = 0;
    for (int c = 0; c < k; c++) {
      resp[c] = Math.exp(resp[c] - max);
      sum += resp[c];
    }
    for (int c = 0; c < k; c++) {
      resp[c] /= sum;
    }
    return max + Math.log(sum);
  }

  static int outcome(byte vote) {
    return vote == 1 ? 0 : vote == -1 ? 1 : 2;
  }

  /** Layout: [k class masses][k * m * 3 vote counts]. */
  static void addCounts(double[] acc, VoteMatrix.Row r, int c, double weight, int k, int m) {
    acc[c] += weight;
    int base = k + c * m * 3;
    for (int e = 0; e < r.statements.length; e++) {
      acc[base + r.statements[e] * 3 + outcome(r.votes[e])] += weight;
    }
  }

  static void mStep(double[] acc, int k, int m, double[] logPrior, double[][][] logTheta) {
    double total = 0;
    for (int c = 0; c < k; c++) {
      total += acc[c];
    }
    for (int c = 0; c < k; c++) {
      logPrior[c] = Math.log((acc[c] + 1) / (total + k));
      int base = k + c * m * 3;
      for (int j = 0; j < m; j++) {
        double a = acc[base + j * 3] + 1;
        double d = acc[base + j * 3 + 1] + 1;
        double p = acc[base + j * 3 + 2] + 1;
        double s = a + d + p;
        logTheta[c][j][0] = Math.log(a / s);
        logTheta[c][j][1] = Math.log(d / s);
        logTheta[c][j][2] = Math.log(p / s);
      }
    }
  }
}
