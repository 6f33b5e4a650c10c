package org.chorus.prompts;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.mllib.clustering.KMeans;
import org.apache.spark.mllib.clustering.KMeansModel;
import org.apache.spark.mllib.linalg.SparseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.chorus.core.ChorusException;
import org.chorus.math.SphericalKMeans;
import scala.Tuple2;
import scala.Tuple3;

/**
 * Topics of the kept prompts with Spark MLlib: TF-IDF vectors ({@link Vectoriser}) clustered by k-means with cosine
 * distance. On a seeded sample, {@link SphericalKMeans} (greedy k-means++ seeding, {@code restarts} seeds: k-means
 * finds local optima where two topics merge while another splits) finds starting centres; MLlib's k-means then fits
 * every prompt from them. Without a given number of topics, k is the one with the highest silhouette (cosine) on the
 * sample over a range of k, each with {@code scanRestarts} seeds. Topics are
 * numbered by size, largest first.
 */
public final class Topics {
  private Topics() {}

  public record Options(int clusters, int kMin, int kMax, int features, int minDocFreq, int sample, int restarts,
      int scanRestarts, int maxIterations, long seed) implements Serializable {}

  /**
   * @param vectors key -> (topic, cosine similarity to the topic's centre, TF-IDF vector); the caller unpersists
   * @param silhouettes k -> silhouette on the sample, when k was chosen
   */
  public record Result(JavaPairRDD<String, Tuple3<Integer, Double, SparseVector>> vectors, Vectoriser vectoriser,
      int k, long[] sizes, Map<Integer, Double> silhouettes, double cost) {}

  /** @param kept columns key, norm (normalised text) */
  public static Result run(SparkSession spark, Dataset<Row> kept, Options o, Consumer<String> progress) {
    Vectoriser vectoriser = new Vectoriser(o.features());
    JavaPairRDD<String, Vector> tf = kept.javaRDD()
        .mapToPair(r -> new Tuple2<>(r.<String>getAs("key"), vectoriser.termFrequencies(r.getAs("norm"))))
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    JavaPairRDD<String, SparseVector> tfidf = null;
    // the intermediate caches are released however the fit ends; only the returned vectors stay cached
    try {
      vectoriser.fit(tf.values(), o.minDocFreq());
      tfidf = tf.mapValues(vectoriser::tfidf).persist(StorageLevel.MEMORY_AND_DISK_SER());
      // a prompt with no weighted term (only stop words, or words no other prompt uses) has no direction: topic -1
      JavaRDD<Vector> all = tfidf.values().filter(v -> v.numNonzeros() > 0).map(v -> (Vector) v);
      long n = all.count();
      tf.unpersist();
      if (n < o.clusters()) {
        throw ChorusException.badInput("%,d prompts with content words cannot make %d topics", n, o.clusters());
      }
      if (n == 0) {
        progress.accept("no prompt has a content word that another prompt shares: no topics");
        JavaPairRDD<String, Tuple3<Integer, Double, SparseVector>> none = tfidf.mapValues(v -> new Tuple3<>(-1, 0.0,
            v)).persist(StorageLevel.MEMORY_AND_DISK_SER());
        none.count();
        return new Result(none, vectoriser, 0, new long[0], Map.of(), 0);
      }
      List<Vector> drawn = (n <= o.sample() ? all : all.sample(false, Math.min(1.0, 1.2 * o.sample() / n),
          o.seed())).collect();
      SphericalKMeans.Points sample = points(drawn.subList(0, (int) Math.min(drawn.size(), o.sample())),
          o.features());
      Map<Integer, Double> silhouettes = new LinkedHashMap<>();
      int k = o.clusters() != 0 ? o.clusters() : chooseK(sample, o, n, silhouettes, progress);
      SphericalKMeans.Result start = SphericalKMeans.fit(sample, k, o.restarts(), o.maxIterations(), o.seed());
      Fit fit = fit(all, start, k, o);
      int[] rank = bySize(fit.counts());
      long[] sizes = new long[k];
      for (int c = 0; c < k; c++) {
        sizes[rank[c]] = fit.counts()[c];
      }
      JavaPairRDD<String, Tuple3<Integer, Double, SparseVector>> vectors = assign(tfidf, fit.model(), rank)
          .persist(StorageLevel.MEMORY_AND_DISK_SER());
      vectors.count();
      return new Result(vectors, vectoriser, k, sizes, silhouettes, fit.model().trainingCost());
    } finally {
      tf.unpersist(false);
      if (tfidf != null) {
        tfidf.unpersist(false);
      }
    }
  }

  /** Spark's k-means (cosine) over every prompt, started from the sample's best centres, and each topic's size. */
  record Fit(KMeansModel model, long[] counts) {}

  static Fit fit(JavaRDD<Vector> all, SphericalKMeans.Result start, int k, Options o) {
    Vector[] initial = new Vector[k];
    for (int c = 0; c < k; c++) {
      initial[c] = Vectors.dense(start.centres()[c]);
    }
    JavaRDD<Vector> cachedAll = all.persist(StorageLevel.MEMORY_AND_DISK_SER());
    try {
      KMeansModel model = new KMeans().setK(k).setMaxIterations(o.maxIterations()).setSeed(o.seed())
          .setDistanceMeasure("cosine").setInitialModel(new KMeansModel(initial)).run(cachedAll.rdd());
      long[] counts = new long[k];
      cachedAll.map(model::predict).countByValue().forEach((c, m) -> counts[c] = m);
      return new Fit(model, counts);
    } finally {
      cachedAll.unpersist();
    }
  }

  /** k by the highest silhouette (cosine) on the sample, in [k-min, k-max]; one topic when too few prompts. */
  static int chooseK(SphericalKMeans.Points sample, Options o, long n, Map<Integer, Double> silhouettes,
      Consumer<String> progress) {
    int k = 0;
    int kMax = Math.min(o.kMax(), sample.size() - 1);
    if (kMax < o.kMin()) {
      progress.accept(String.format("%d prompts with content words: too few to choose k, one topic", n));
      k = 1;
    }
    double best = Double.NEGATIVE_INFINITY;
    for (int c = o.kMin(); c <= kMax; c++) {
      SphericalKMeans.Result m = SphericalKMeans.fit(sample, c, o.scanRestarts(), o.maxIterations(), o.seed());
      double s = SphericalKMeans.silhouette(sample, m.assignment(), c);
      silhouettes.put(c, s);
      progress.accept(String.format("k = %d: silhouette %.4f", c, s));
      if (s > best) {
        best = s;
        k = c;
      }
    }
    return k;
  }

  /** Each prompt's topic (by size rank; -1 without content words), its cosine to the centre, and its vector. */
  static JavaPairRDD<String, Tuple3<Integer, Double, SparseVector>> assign(JavaPairRDD<String, SparseVector> tfidf,
      KMeansModel model, int[] rank) {
    Vector[] centres = model.clusterCenters();
    double[] centreNorms = new double[centres.length];
    for (int c = 0; c < centres.length; c++) {
      centreNorms[c] = Vectors.norm(centres[c], 2);
    }
    return tfidf.mapValues(v -> {
      if (v.numNonzeros() == 0) {
        return new Tuple3<>(-1, 0.0, v);
      }
      int c = model.predict(v);
      double sim = centreNorms[c] == 0 ? 0 : v.dot(centres[c]) / centreNorms[c];
      return new Tuple3<>(rank[c], sim, v);
    });
  }


  /** rank[c]: the position of cluster c when clusters are sorted by size, largest first (ties by index). */
  static int[] bySize(long[] counts) {
    List<Integer> order = new ArrayList<>();
    for (int c = 0; c < counts.length; c++) {
      order.add(c);
    }
    order.sort((a, b) -> counts[a] != counts[b] ? Long.compare(counts[b], counts[a]) : Integer.compare(a, b));
    int[] rank = new int[counts.length];
    for (int i = 0; i < order.size(); i++) {
      rank[order.get(i)] = i;
    }
    return rank;
  }

  private static SphericalKMeans.Points points(List<Vector> vectors, int dim) {
    int[][] idx = new int[vectors.size()][];
    double[][] val = new double[vectors.size()][];
    for (int i = 0; i < idx.length; i++) {
      SparseVector v = vectors.get(i).toSparse();
      idx[i] = v.indices();
      val[i] = v.values();
    }
    return new SphericalKMeans.Points(idx, val, dim);
  }
}
