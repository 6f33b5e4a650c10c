package org.chorus.opinions;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.chorus.SparkTestBase;
import org.chorus.ingest.PolisIngest;
import org.chorus.synth.SynthJob;
import org.chorus.synth.SynthParams;
import org.junit.jupiter.api.Test;

class BridgingTest extends SparkTestBase {

  @Test
  void crossGroupStatementsAreHelpfulAndPartisanOnesAreNot() {
    SynthParams params = SynthParams.builder("br").promptDataset("br-p").participants(1500).statements(80).groups(3)
        .votesPerParticipant(60).seed(5).build();
    run(new SynthJob(), new SynthJob.Options(params, null));
    run(new OpinionsJob(), OpinionsJob.Options.of("br", OpinionsConfig.from(config))
        .withGroups(OpinionsJob.Groups.computed).withMethod(OpinionsJob.Method.polis).withMaxGroups(5).withSeed(7));
    Map<String, long[]> byKind = new HashMap<>();
    // partisan: the groups' agree rates differ by more than 0.4 (a divisive draw can leave all groups agreeing)
    spark.sql("SELECT conversation_id, statement_id, CASE WHEN kind = 'consensus' THEN 'consensus' "
        + "WHEN max(p_agree) - min(p_agree) > 0.4 THEN 'partisan' ELSE 'other' END AS kind "
        + "FROM truth.statement_profiles WHERE conversation_id = 'br' GROUP BY conversation_id, statement_id, kind")
        .createOrReplaceTempView("planted");
    for (Row r : spark.sql("SELECT p.kind, s.bridging_status, count(*) FROM derived.statement_stats s JOIN planted p "
        + "USING (conversation_id, statement_id) WHERE conversation_id = 'br' AND s.moderated <> -1 AND NOT s.is_meta "
        + "GROUP BY 1, 2").collectAsList()) {
      long[] c = byKind.computeIfAbsent(r.getString(0), k -> new long[2]);
      c[r.getString(1).equals("helpful") ? 0 : 1] += r.getLong(2);
    }
    System.out.println("bridging status by planted kind (helpful, other): consensus "
        + java.util.Arrays.toString(byKind.get("consensus")) + ", partisan "
        + java.util.Arrays.toString(byKind.get("partisan")) + ", other " + java.util.Arrays.toString(byKind.get("other")));
    long[] consensus = byKind.get("consensus");
    assertThat(consensus[0]).as("cross-group statements rated helpful").isGreaterThanOrEqualTo(
        (long) Math.ceil(0.9 * (consensus[0] + consensus[1])));
    assertThat(byKind.get("partisan")[0]).as("partisan statements rated helpful").isZero();
    // partisan statements load on the factor, cross-group ones on the intercept
    double divisiveFactor = spark.sql("SELECT avg(abs(bridging_factor)) FROM derived.statement_stats s JOIN planted p "
        + "USING (conversation_id, statement_id) WHERE kind = 'partisan'").first().getDouble(0);
    double consensusFactor = spark.sql("SELECT avg(abs(bridging_factor)) FROM derived.statement_stats s JOIN planted p "
        + "USING (conversation_id, statement_id) WHERE kind = 'consensus'").first().getDouble(0);
    assertThat(divisiveFactor).isGreaterThan(2 * consensusFactor);
    // participants get their side of the model too: the factor separates the groups
    assertThat(count("SELECT count(*) FROM derived.participant_groups WHERE conversation_id = 'br' AND "
        + "bridging_factor IS NULL AND n_votes > 10")).isZero();
  }

  @Test
  void interceptsEqualAnIndependentMinimisationOfTheSameLoss() {
    run(new PolisIngest(), new PolisIngest.Options(sharedData().resolve("polis/brexit-consensus").toString(), "bx"));
    List<Row> votes = spark.sql("SELECT participant_id, statement_id, vote FROM input.votes WHERE conversation_id = "
        + "'bx' AND vote <> 0").collectAsList();
    Map<String, Integer> users = new HashMap<>();
    Map<Long, Integer> notes = new HashMap<>();
    int n = votes.size();
    int[] u = new int[n];
    int[] j = new int[n];
    int[] y = new int[n];
    List<Long> packed = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Row r = votes.get(i);
      u[i] = users.computeIfAbsent(r.getString(0), k -> users.size());
      j[i] = notes.computeIfAbsent(r.getLong(1), k -> notes.size());
      y[i] = r.getInt(2) == 1 ? 1 : 0;
      packed.add(Bridging.pack(u[i], j[i], y[i]));
    }
    long[] all = packed.stream().mapToLong(Long::longValue).toArray();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    JavaRDD<long[]> rdd = jsc.parallelize(List.of(java.util.Arrays.copyOfRange(all, 0, n / 2),
        java.util.Arrays.copyOfRange(all, n / 2, n)), 2);
    Bridging.Fit als = Bridging.fitPacked(jsc, rdd, users.size(), notes.size(), 3, 500, 1e-12);

    double[] reference = gradientDescent(u, j, y, users.size(), notes.size());
    double[] fitted = new double[notes.size()];
    for (int k = 0; k < fitted.length; k++) {
      fitted[k] = als.intercept(k);
    }
    double corr = correlation(fitted, reference);
    System.out.printf("bridging intercepts: ALS vs independent gradient descent, correlation %.5f, ALS loss %.6f "
        + "after %d iterations%n", corr, als.loss(), als.iterations());
    assertThat(corr).isGreaterThanOrEqualTo(0.98);
  }

  /**
   * An independent fit of the same loss: full-batch Adam on all parameters at once (no alternation, no closed
   * forms), from a different start.
   */
  static double[] gradientDescent(int[] u, int[] j, int[] y, int users, int notes) {
    int n = u.length;
    int p = 2 * users + 2 * notes + 1;
    double[] x = new double[p]; // [iu | fu | in | fn | mu]
    java.util.SplittableRandom rng = new java.util.SplittableRandom(99);
    for (int k = 0; k < p; k++) {
      x[k] = 0.05 * (rng.nextDouble() - 0.5);
    }
    double[] m1 = new double[p];
    double[] m2 = new double[p];
    double lr = 0.02;
    for (int t = 1; t <= 20_000; t++) {
      double[] g = new double[p];
      for (int i = 0; i < n; i++) {
        int iu = u[i];
        int fu = users + u[i];
        int in = 2 * users + j[i];
        int fn = 2 * users + notes + j[i];
        double res = y[i] - x[p - 1] - x[iu] - x[in] - x[fu] * x[fn];
        double d = -2 * res / n;
        g[iu] += d;
        g[in] += d;
        g[fu] += d * x[fn];
        g[fn] += d * x[fu];
        g[p - 1] += d;
      }
      for (int k = 0; k < users; k++) {
        g[k] += 2 * Bridging.LAMBDA_INTERCEPT * x[k] / users;
        g[users + k] += 2 * Bridging.LAMBDA_FACTOR * x[users + k] / users;
      }
      for (int k = 0; k < notes; k++) {
        g[2 * users + k] += 2 * Bridging.LAMBDA_INTERCEPT * x[2 * users + k] / notes;
        g[2 * users + notes + k] += 2 * Bridging.LAMBDA_FACTOR * x[2 * users + notes + k] / notes;
      }
      g[p - 1] += 2 * Bridging.LAMBDA_GLOBAL * x[p - 1];
      for (int k = 0; k < p; k++) {
        m1[k] = 0.9 * m1[k] + 0.1 * g[k];
        m2[k] = 0.999 * m2[k] + 0.001 * g[k] * g[k];
        double mh = m1[k] / (1 - Math.pow(0.9, t));
        double vh = m2[k] / (1 - Math.pow(0.999, t));
        x[k] -= lr * mh / (Math.sqrt(vh) + 1e-12);
      }
      if (t == 10_000) {
        lr = 0.005;
      }
    }
    double[] out = new double[notes];
    System.arraycopy(x, 2 * users, out, 0, notes);
    return out;
  }

  static double correlation(double[] a, double[] b) {
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < a.length; i++) {
      ma += a[i] / a.length;
      mb += b[i] / b.length;
    }
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < a.length; i++) {
      sab += (a[i] - ma) * (b[i] - mb);
      saa += (a[i] - ma) * (a[i] - ma);
      sbb += (b[i] - mb) * (b[i] - mb);
    }
    return sab / Math.sqrt(saa * sbb);
  }
}
