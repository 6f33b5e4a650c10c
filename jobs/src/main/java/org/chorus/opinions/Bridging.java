package org.chorus.opinions;

import static org.apache.spark.sql.functions.col;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * Community Notes' bridging model on Polis votes: agree = 1, disagree = 0, passes left out; one factor.
 * r_un = mu + i_u + i_n + f_u f_n, minimising mean squared error + 0.03 (mean f_u^2 + mean f_n^2) + 0.15 (mean
 * i_u^2 + mean i_n^2) + 0.15 mu^2, by alternating least squares: with one side fixed each participant's (or
 * statement's) intercept and factor solve a 2x2 ridge system, mu has a closed form, and the loss never increases.
 * Status by Community Notes' thresholds: helpful if i_n >= 0.40 and |f_n| < 0.5, not helpful if
 * i_n < -0.05 - 0.8 |f_n|, else needs more votes (also when a statement has fewer than 5 ratings).
 */
public final class Bridging {
  public static final double LAMBDA_FACTOR = 0.03;
  public static final double LAMBDA_INTERCEPT = 0.15;
  public static final double LAMBDA_GLOBAL = 0.15;
  public static final int MIN_RATINGS = 5;

  private Bridging() {}

  /** The fitted statement side of the model (indexed like the statements), and the ratings cache. */
  public static final class Fit implements Serializable {
    private final double[] intercept;
    private final double[] factor;
    private final long[] ratings;
    private final double mu;
    private final double loss;
    private final int iterations;
    private final double[] participantIntercept;
    private final double[] participantFactor;
    private Map<String, Integer> participants = Map.of();
    private final transient JavaRDD<long[]> cached;

    Fit(double[] intercept, double[] factor, long[] ratings, double mu, double loss, int iterations,
        double[] participantIntercept, double[] participantFactor, JavaRDD<long[]> cached) {
      this.intercept = intercept;
      this.factor = factor;
      this.ratings = ratings;
      this.mu = mu;
      this.loss = loss;
      this.iterations = iterations;
      this.participantIntercept = participantIntercept;
      this.participantFactor = participantFactor;
      this.cached = cached;
    }

    /** The participant's fitted intercept, or null for a participant with no agree/disagree vote. */
    public Double participantIntercept(String participant) {
      Integer u = participants.get(participant);
      return u == null ? null : participantIntercept[u];
    }

    public Double participantFactor(String participant) {
      Integer u = participants.get(participant);
      return u == null ? null : participantFactor[u];
    }

    public Double intercept(int j) {
      return ratings[j] == 0 ? null : intercept[j];
    }

    public Double factor(int j) {
      return ratings[j] == 0 ? null : factor[j];
    }

    public long ratings(int j) {
      return ratings[j];
    }

    public double mu() {
      return mu;
    }

    public double loss() {
      return loss;
    }

    public int iterations() {
      return iterations;
    }

    public String status(int j) {
      return Bridging.status(intercept[j], factor[j], ratings[j]);
    }

    List<Long> topHelpful(long[] ids, int n) {
      List<Integer> helpful = new ArrayList<>();
      for (int j = 0; j < ids.length; j++) {
        if ("helpful".equals(status(j))) {
          helpful.add(j);
        }
      }
      helpful.sort((a, b) -> Double.compare(intercept[b], intercept[a]));
      return helpful.stream().limit(n).map(j -> ids[j]).toList();
    }

    void unpersist() {
      if (cached != null) {
        cached.unpersist(false);
      }
    }
  }

  public static String status(double intercept, double factor, long ratings) {
    if (ratings < MIN_RATINGS) {
      return "needs more votes";
    }
    if (intercept >= 0.40 && Math.abs(factor) < 0.5) {
      return "helpful";
    }
    if (intercept < -0.05 - 0.8 * Math.abs(factor)) {
      return "not helpful";
    }
    return "needs more votes";
  }

  /** Packs (participant index, statement index, rating) into one long: 32 | 31 | 1 bits. */
  static long pack(int user, int note, int y) {
    return ((long) user << 32) | ((long) note << 1) | y;
  }

  static Fit fit(Dataset<Row> votes, Map<Long, Integer> statementIndex, long seed) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(votes.sparkSession().sparkContext());
    Dataset<Row> rated = votes.filter(col("vote").notEqual(0));
    JavaRDD<String> users = rated.select("participant_id").distinct().orderBy("participant_id").javaRDD()
        .map(r -> r.getString(0));
    org.apache.spark.api.java.JavaPairRDD<String, Long> userIndex = users.zipWithIndex();
    long nUsers = userIndex.count();
    Broadcast<Map<Long, Integer>> bIndex = jsc.broadcast(statementIndex);
    JavaRDD<long[]> ratings = rated.javaRDD()
        .mapToPair(r -> new scala.Tuple2<>(r.getString(0), new long[] {r.getLong(1), r.getInt(2)}))
        .join(userIndex)
        .mapPartitions(it -> {
          List<Long> buf = new ArrayList<>();
          while (it.hasNext()) {
            var t = it.next();
            Integer note = bIndex.value().get(t._2()._1()[0]);
            if (note != null) {
              buf.add(pack(t._2()._2().intValue(), note, t._2()._1()[1] == 1 ? 1 : 0));
            }
          }
          long[] packed = new long[buf.size()];
          for (int i = 0; i < packed.length; i++) {
            packed[i] = buf.get(i);
          }
          return List.of(packed).iterator();
        });
    ratings.persist(StorageLevel.MEMORY_AND_DISK());
    Fit fit = fitPacked(jsc, ratings, (int) nUsers, statementIndex.size(), seed, 60, 1e-7);
    Map<String, Integer> participants = new java.util.HashMap<>();
    for (scala.Tuple2<String, Long> t : userIndex.collect()) {
      participants.put(t._1(), t._2().intValue());
    }
    fit.participants = participants;
    return fit;
  }

  /** ALS over packed ratings; users and statements are dense indexes. */
  static Fit fitPacked(JavaSparkContext jsc, JavaRDD<long[]> ratings, int users, int notes, long seed,
      int maxIterations, double tolerance) {
    long n = ratings.map(a -> (long) a.length).fold(0L, Long::sum);
    double[] iu = new double[users];
    double[] fu = new double[users];
    double[] in = new double[notes];
    double[] fn = new double[notes];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int u = 0; u < users; u++) {
      fu[u] = 0.1 * (rng.nextDouble() - 0.5);
    }
    for (int j = 0; j < notes; j++) {
      fn[j] = 0.1 * (rng.nextDouble() - 0.5);
    }
    long[] perNote = new long[notes];
    double[] countsAndSum = ratings.treeAggregate(new double[notes + 1], (acc, part) -> {
      for (long r : part) {
        acc[(int) ((r >>> 1) & 0x7fffffff)] += 1;
        acc[notes] += r & 1;
      }
      return acc;
    }, OpinionsJob::addInto, 2);
    for (int j = 0; j < notes; j++) {
      perNote[j] = (long) countsAndSum[j];
    }
    if (n == 0) {
      return new Fit(in, fn, perNote, 0, 0, 0, iu, fu, ratings);
    }
    double mu = countsAndSum[notes] / n;
    double previous = Double.MAX_VALUE;
    double loss = previous;
    int it = 0;
    for (; it < maxIterations; it++) {
      // statements, with participants fixed
      double[] noteSums = aggregate(jsc, ratings, iu, fu, in, fn, mu, false, notes);
      solve(noteSums, in, fn, n * LAMBDA_INTERCEPT / notes, n * LAMBDA_FACTOR / notes);
      // participants, with statements fixed
      double[] userSums = aggregate(jsc, ratings, iu, fu, in, fn, mu, true, users);
      solve(userSums, iu, fu, n * LAMBDA_INTERCEPT / users, n * LAMBDA_FACTOR / users);
      // global intercept in closed form from the participant sums (no extra pass): with r = y - i_u - i_n - f_u f_n,
      // sum r = sum_u (S_u + (mu - i_u) c_u - f_u F_u), S_u = sum (y - mu - i_n), F_u = sum f_n, c_u = ratings
      double sumBase = 0;
      for (int e = 0; e < users; e++) {
        int k = e * 5;
        sumBase += userSums[k + 3] + (mu - iu[e]) * userSums[k] - fu[e] * userSums[k + 1];
      }
      mu = sumBase / (n * (1 + LAMBDA_GLOBAL));
      double[] after = residuals(jsc, ratings, iu, fu, in, fn, mu);
      loss = after[1] / n + LAMBDA_FACTOR * (meanSquare(fu) + meanSquare(fn))
          + LAMBDA_INTERCEPT * (meanSquare(iu) + meanSquare(in)) + LAMBDA_GLOBAL * mu * mu;
      if (previous - loss < tolerance * Math.max(1, Math.abs(loss))) {
        it++;
        break;
      }
      previous = loss;
    }
    return new Fit(in, fn, perNote, mu, loss, it, iu, fu, ratings);
  }

  /** Per-entity sums for the 2x2 ridge systems: count, sum f, sum f^2, sum r', sum r' f (5 per entity). */
  private static double[] aggregate(JavaSparkContext jsc, JavaRDD<long[]> ratings, double[] iu, double[] fu,
      double[] in, double[] fn, double mu, boolean byUser, int size) {
    Broadcast<double[][]> p = jsc.broadcast(new double[][] {iu, fu, in, fn, {mu}});
    double[] sums = ratings.treeAggregate(new double[size * 5], (acc, part) -> {
      double[][] v = p.value();
      for (long r : part) {
        int u = (int) (r >>> 32);
        int j = (int) ((r >>> 1) & 0x7fffffff);
        int y = (int) (r & 1);
        double other;
        double otherIntercept;
        int e;
        if (byUser) {
          other = v[3][j];
          otherIntercept = v[2][j];
          e = u;
        } else {
          other = v[1][u];
          otherIntercept = v[0][u];
          e = j;
        }
        double target = y - v[4][0] - otherIntercept;
        int b = e * 5;
        acc[b] += 1;
        acc[b + 1] += other;
        acc[b + 2] += other * other;
        acc[b + 3] += target;
        acc[b + 4] += target * other;
      }
      return acc;
    }, OpinionsJob::addInto, 2);
    p.destroy();
    return sums;
  }

  /** Solves [[c + a, sf], [sf, sff + b]] [i; f] = [sr; srf] for each entity. */
  private static void solve(double[] sums, double[] intercept, double[] factor, double a, double b) {
    for (int e = 0; e < intercept.length; e++) {
      int k = e * 5;
      double a11 = sums[k] + a;
      double a12 = sums[k + 1];
      double a22 = sums[k + 2] + b;
      double det = a11 * a22 - a12 * a12;
      if (det <= 0) {
        continue;
      }
      intercept[e] = (sums[k + 3] * a22 - a12 * sums[k + 4]) / det;
      factor[e] = (a11 * sums[k + 4] - a12 * sums[k + 3]) / det;
    }
  }

  /** Sum of residuals and of squared residuals of the current model. */
  private static double[] residuals(JavaSparkContext jsc, JavaRDD<long[]> ratings, double[] iu, double[] fu,
      double[] in, double[] fn, double mu) {
    Broadcast<double[][]> p = jsc.broadcast(new double[][] {iu, fu, in, fn});
    double[] out = ratings.treeAggregate(new double[2], (acc, part) -> {
      double[][] v = p.value();
      for (long r : part) {
        int u = (int) (r >>> 32);
        int j = (int) ((r >>> 1) & 0x7fffffff);
        double res = (r & 1) - mu - v[0][u] - v[2][j] - v[1][u] * v[3][j];
        acc[0] += res;
        acc[1] += res * res;
      }
      return acc;
    }, OpinionsJob::addInto, 2);
    p.destroy();
    return out;
  }

  private static double meanSquare(double[] x) {
    if (x.length == 0) {
      return 0;
    }
    double s = 0;
    for (double v : x) {
      s += v * v;
    }
    return s / x.length;
  }
}
