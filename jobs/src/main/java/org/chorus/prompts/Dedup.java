package org.chorus.prompts;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.size;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.MurmurHash3;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.chorus.core.job.Cached;
import org.chorus.text.MinHash;

/**
 * Exact and near-duplicate prompts. Exact: equal 128-bit hashes of the normalised text ({@link MinHash#normalise}).
 * Near: among the exact-distinct texts, MinHash LSH candidates (pairs sharing a band bucket; a bucket larger than
 * {@code maxBucket} pairs its members with its first only) verified by the true Jaccard similarity of their word
 * shingles, then joined into clusters by connected components. Every cluster keeps one representative, its first
 * prompt in natural id order ({@link NaturalKey}); every other prompt points at it.
 */
public final class Dedup {
  private Dedup() {}

  public record Options(MinHash minHash, double threshold, int maxBucket, boolean firstTurn) implements Serializable {}

  /**
   * @param assignment every prompt: key, prompt_id, norm (normalised text), rep (the key of its cluster's
   *     representative), kind (null for a representative, else exact or near) and similarity to the representative
   */
  public record Result(Dataset<Row> assignment, long prompts, long exactDuplicates, long nearDuplicates,
      long candidatePairs, long verifiedPairs) {
    /** The kept prompts: the representatives (key, prompt_id, norm). */
    public Dataset<Row> kept() {
      return assignment.filter(col("kind").isNull()).select("key", "prompt_id", "norm");
    }
  }

  private static final Pattern HUMAN = Pattern.compile("(?i)\\bhuman\\s*:");
  private static final Pattern ASSISTANT = Pattern.compile("(?i)\\bassistant\\s*:");

  /** The first human turn of a transcript ("Human: ... Assistant: ..."); other text as it is. */
  public static String firstTurn(String text) {
    Matcher h = HUMAN.matcher(text);
    int start = h.find() ? h.end() : 0;
    Matcher a = ASSISTANT.matcher(text);
    int end = a.find(start) ? a.start() : text.length();
    return text.substring(start, end).strip();
  }

  static final StructType BASE = new StructType().add("key", DataTypes.StringType, false)
      .add("prompt_id", DataTypes.StringType, false).add("h1", DataTypes.LongType, false)
      .add("h2", DataTypes.LongType, false).add("norm", DataTypes.StringType, false);
  static final StructType BAND = new StructType().add("band", DataTypes.IntegerType, false)
      .add("bucket", DataTypes.LongType, false).add("key", DataTypes.StringType, false);
  static final StructType PAIR = new StructType().add("a", DataTypes.StringType, false)
      .add("b", DataTypes.StringType, false);
  static final StructType EDGE = PAIR.add("similarity", DataTypes.DoubleType, false);
  static final StructType ASSIGNED = new StructType().add("key", DataTypes.StringType, false)
      .add("prompt_id", DataTypes.StringType, false).add("norm", DataTypes.StringType, false)
      .add("rep", DataTypes.StringType, false).add("kind", DataTypes.StringType, true)
      .add("similarity", DataTypes.DoubleType, true);

  /** @param prompts columns prompt_id, text; the caller unpersists {@code Result.assignment} */
  public static Result run(Dataset<Row> prompts, Options o) {
    Dataset<Row> base = prompts.map((MapFunction<Row, Row>) r -> {
      String text = r.getString(1);
      String norm = MinHash.normalise(o.firstTurn() ? firstTurn(text) : text);
      byte[] b = norm.getBytes(StandardCharsets.UTF_8);
      long[] h = MurmurHash3.hash128x64(b, 0, b.length, 0);
      return RowFactory.create(NaturalKey.of(r.getString(0)), r.getString(0), h[0], h[1], norm);
    }, Encoders.row(BASE));
    Dataset<Row> exactReps = base.groupBy("h1", "h2").agg(min("key").as("exact_rep"));
    StorageLevel ser = StorageLevel.MEMORY_AND_DISK_SER();
    try (Cached<Dataset<Row>> withRep = Cached.of(base.join(exactReps, new String[] {"h1", "h2"})
        .select("key", "prompt_id", "norm", "exact_rep"), ser)) {
      Dataset<Row> distinct = withRep.get().filter(col("key").equalTo(col("exact_rep"))).select("key", "norm");
      try (Cached<Dataset<Row>> candidates = Cached.of(candidates(distinct, o), ser)) {
        long candidatePairs = candidates.get().count();
        try (Cached<Dataset<Row>> edges = Cached.of(verified(candidates.get(), distinct, o), ser)) {
          long verifiedPairs = edges.get().count();
          Dataset<Row> components = ConnectedComponents.of(edges.get().select("a", "b"));
          Dataset<Row> assignment = assign(withRep.get(), components, distinct, o).persist(ser);
          Row counts = assignment.selectExpr("count(*)", "count_if(kind = 'exact')", "count_if(kind = 'near')")
              .first();
          return new Result(assignment, counts.getLong(0), counts.getLong(1), counts.getLong(2), candidatePairs,
              verifiedPairs);
        }
      }
    }
  }

  /**
   * Each prompt with its representative (its near-duplicate component's, else its exact group's) and, for a
   * duplicate, its kind (exact or near) and Jaccard similarity to the representative.
   */
  static Dataset<Row> assign(Dataset<Row> withRep, Dataset<Row> components, Dataset<Row> distinct, Options o) {
    Dataset<Row> repNorm = distinct.select(col("key").as("rep_key"), col("norm").as("rep_norm"));
    return withRep.join(components, withRep.col("exact_rep").equalTo(components.col("node")), "left")
        .select(col("key"), col("prompt_id"), col("norm"), coalesce(col("component"), col("exact_rep")).as("rep"))
        .join(repNorm, col("rep").equalTo(col("rep_key")))
        .map((MapFunction<Row, Row>) r -> {
          String key = r.getString(0);
          String norm = r.getString(2);
          String rep = r.getString(3);
          String repText = r.getString(5);
          if (key.equals(rep)) {
            return RowFactory.create(key, r.getString(1), norm, rep, null, null);
          }
          boolean exact = norm.equals(repText);
          double s = exact ? 1.0 : MinHash.jaccard(o.minHash().shingles(norm), o.minHash().shingles(repText));
          return RowFactory.create(key, r.getString(1), norm, rep, exact ? "exact" : "near", s);
        }, Encoders.row(ASSIGNED));
  }

  /** Pairs (a < b) of distinct texts that share at least one LSH band bucket. */
  static Dataset<Row> candidates(Dataset<Row> distinct, Options o) {
    MinHash mh = o.minHash();
    Dataset<Row> bands = distinct.flatMap((FlatMapFunction<Row, Row>) r -> {
      int[] sig = mh.signature(mh.shingles(r.getString(1)));
      List<Row> out = new ArrayList<>(mh.bands());
      for (int b = 0; b < mh.bands(); b++) {
        out.add(RowFactory.create(b, mh.bandKey(sig, b), r.getString(0)));
      }
      return out.iterator();
    }, Encoders.row(BAND));
    int maxBucket = o.maxBucket();
    return bands.groupBy("band", "bucket").agg(collect_list("key").as("members"))
        .filter(size(col("members")).gt(1))
        .flatMap((FlatMapFunction<Row, Row>) r -> {
          List<String> m = new ArrayList<>(r.getList(2));
          Collections.sort(m);
          List<Row> out = new ArrayList<>();
          for (int i = 0; i < m.size(); i++) {
            for (int j = i + 1; j < m.size(); j++) {
              out.add(RowFactory.create(m.get(i), m.get(j)));
            }
            if (m.size() > maxBucket) {
              break; // a huge bucket: pairs with its first member only
            }
          }
          return out.iterator();
        }, Encoders.row(PAIR))
        .distinct();
  }

  /** Candidate pairs whose true shingle Jaccard similarity reaches the threshold: (a, b, similarity). */
  static Dataset<Row> verified(Dataset<Row> candidates, Dataset<Row> distinct, Options o) {
    Dataset<Row> a = distinct.select(col("key").as("a"), col("norm").as("norm_a"));
    Dataset<Row> b = distinct.select(col("key").as("b"), col("norm").as("norm_b"));
    MinHash mh = o.minHash();
    double threshold = o.threshold();
    return candidates.join(a, "a").join(b, "b").flatMap((FlatMapFunction<Row, Row>) r -> {
      double s = MinHash.jaccard(mh.shingles(r.getAs("norm_a")), mh.shingles(r.getAs("norm_b")));
      return s >= threshold ? List.of(RowFactory.create(r.<String>getAs("a"), r.<String>getAs("b"), s)).iterator()
          : Collections.emptyIterator();
    }, Encoders.row(EDGE));
  }
}
