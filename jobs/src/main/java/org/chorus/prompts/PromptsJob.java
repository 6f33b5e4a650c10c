package org.chorus.prompts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.chorus.core.ChorusException;
import org.chorus.core.config.PromptsConfig;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSpec;
import org.chorus.core.tables.WriteResult;
import org.chorus.policy.Policy;
import org.chorus.text.MinHash;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code chorus prompts}: curation of a prompt corpus (input.prompts of a dataset): exact and near duplicates
 * ({@link Dedup}), topics of the kept prompts ({@link Topics}, {@link TopicLabels}), coverage of the topics and of a
 * policy's rules ({@link Coverage}), and boundary cases from the reward-model and aggregation tables
 * ({@link BoundaryCases}).
 */
public final class PromptsJob {
  public static final TableSpec DUPLICATES = new TableSpec("derived.prompt_duplicates", new StructType()
      .add("dataset_id", DataTypes.StringType, false)
      .add("prompt_id", DataTypes.StringType, false)
      .add("duplicate_of", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("similarity", DataTypes.DoubleType, false),
      "dataset_id", List.of("dataset_id"), List.of("dataset_id", "prompt_id"), Map.of("kind", List.of("exact", "near")),
      "Every duplicate prompt and the representative kept for its cluster (the first in natural id order): exact "
          + "(equal after NFKC, case, punctuation and whitespace normalisation) or near (MinHash LSH, verified word "
          + "shingle Jaccard >= threshold, clusters by connected components); similarity to the representative.");

  public static final TableSpec CLUSTERS = new TableSpec("derived.prompt_clusters", new StructType()
      .add("dataset_id", DataTypes.StringType, false)
      .add("prompt_id", DataTypes.StringType, false)
      .add("cluster_id", DataTypes.IntegerType, false)
      .add("similarity", DataTypes.DoubleType, false)
      .add("kept", DataTypes.BooleanType, false),
      "dataset_id", List.of("dataset_id"), List.of("dataset_id", "prompt_id"), Map.of(),
      "Every prompt's topic (k-means on TF-IDF, numbered by size from 0; -1: no content words); a duplicate takes its "
          + "representative's topic. similarity: the kept prompt's cosine to its topic centre.");

  public static final TableSpec COVERAGE = new TableSpec("derived.coverage", new StructType()
      .add("dataset_id", DataTypes.StringType, false)
      .add("kind", DataTypes.StringType, false)
      .add("cluster_id", DataTypes.IntegerType, true)
      .add("rule_id", DataTypes.StringType, true)
      .add("label", DataTypes.StringType, true)
      .add("prompts", DataTypes.LongType, false)
      .add("distinct_prompts", DataTypes.LongType, true)
      .add("share", DataTypes.DoubleType, true)
      .add("similarity", DataTypes.DoubleType, true)
      .add("flag", DataTypes.StringType, true)
      .add("representatives", DataTypes.createArrayType(DataTypes.StringType, false), true)
      .add("examples", DataTypes.createArrayType(DataTypes.StringType, false), true)
      .add("policy", DataTypes.StringType, true),
      "dataset_id", List.of("dataset_id"), List.of("dataset_id", "kind", "cluster_id", "rule_id"),
      Map.of("kind", List.of("topic", "rule")),
      "kind topic: prompts per topic (with duplicates; distinct_prompts without), share of the corpus, top terms "
          + "(label), representative prompts, flag 'sparse'. kind rule: per policy rule and topic, the distinct "
          + "prompts that exercise it (TF-IDF cosine >= threshold), their share of the topic and mean similarity; a "
          + "rule no prompt exercises has one row with cluster_id null and flag 'unexercised'.");

  public static final TableSpec BOUNDARY = new TableSpec("derived.boundary_cases", new StructType()
      .add("dataset_id", DataTypes.StringType, false)
      .add("prompt_id", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false)
      .add("score", DataTypes.DoubleType, false)
      .add("detail", DataTypes.StringType, true),
      "dataset_id", List.of("dataset_id"), List.of("dataset_id", "prompt_id", "reason"),
      Map.of("reason", List.of("group_models_disagree", "small_reward_margin", "methods_disagree", "groups_disagree")),
      "Prompts at a boundary: group_models_disagree (score: largest share of response pairs two per-group reward "
          + "models order oppositely), small_reward_margin (top-two margin in sd of the model's scores), "
          + "methods_disagree (1 - share of methods agreeing on the winner), groups_disagree (share of pairs "
          + "contested).");

  private PromptsJob() {}

  /**
   * @param clusters 0: chosen by silhouette
   * @param policyDir a policy directory (policy.json) for rule coverage, or null
   */
  public record Options(String dataset, int clusters, String policyDir, boolean firstTurn, List<String> groupModels,
      String marginModel, long seed, PromptsConfig config) {}

  public record Topic(int id, long prompts, long distinctPrompts, boolean sparse, List<String> terms,
      List<String> representatives) {}

  public record RuleCoverage(String ruleId, List<Coverage.RuleTopic> topics) {}

  public record Result(long prompts, long exactDuplicates, long nearDuplicates, long candidatePairs,
      long verifiedPairs, int k, Map<Integer, Double> silhouettes, List<Topic> topics, List<RuleCoverage> rules,
      Map<String, String> signals, Map<String, Long> boundary, List<WriteResult> writes, double seconds) {}

  public static Result run(ChorusTables tables, Options o, Consumer<String> progress) {
    SparkSession spark = tables.spark();
    long t0 = System.nanoTime();
    PromptsConfig c = o.config();
    RunContext run = new RunContext("prompts", o.dataset());
    ChorusException.checkUsage(o.clusters() == 0 || o.clusters() >= 2, "--clusters must be at least 2");
    Policy policy = o.policyDir() == null ? null : readPolicy(spark, o.policyDir());
    if (policy != null) {
      run.recordSource(o.policyDir());
    }
    run.recordParameter("clusters", String.valueOf(o.clusters()));
    run.recordParameter("first_turn", String.valueOf(o.firstTurn()));
    run.recordParameter("seed", String.valueOf(o.seed()));
    Dataset<Row> input = tables.read(run, "input.prompts").filter(col("dataset_id").equalTo(o.dataset()))
        .select("prompt_id", "text");
    if (input.limit(1).isEmpty()) {
      throw ChorusException.badInput("dataset '%s' has no rows in input.prompts", o.dataset());
    }

    Dedup.Result dedup = Dedup.run(input, new Dedup.Options(new MinHash(c.shingleWords, c.hashes, c.bands),
        c.threshold, c.maxBucket, o.firstTurn()));
    progress.accept(String.format("%,d prompts: %,d exact and %,d near duplicates (%,d LSH candidate pairs, %,d "
        + "verified)", dedup.prompts(), dedup.exactDuplicates(), dedup.nearDuplicates(), dedup.candidatePairs(),
        dedup.verifiedPairs()));
    List<WriteResult> writes = new ArrayList<>();
    writes.add(tables.replace(run, DUPLICATES, dedup.assignment().filter(col("kind").isNotNull())
        .select(lit(o.dataset()).as("dataset_id"), col("prompt_id"),
            udf((UDF1<String, String>) NaturalKey::id, DataTypes.StringType).apply(col("rep")).as("duplicate_of"),
            col("kind"), col("similarity")),
        List.of(o.dataset())));

    Topics.Result topics = Topics.run(spark, dedup.kept(), new Topics.Options(o.clusters(), c.kMin, c.kMax,
        c.features, c.minDocFreq, c.sample, c.restarts, c.scanRestarts, c.maxIterations, o.seed()), progress);
    JavaRDD<Row> topicRows = topics.vectors().map(t -> RowFactory.create(t._1(), t._2()._1(), t._2()._2()));
    Dataset<Row> keptTopics = spark.createDataFrame(topicRows, new StructType()
        .add("rep", DataTypes.StringType, false).add("topic", DataTypes.IntegerType, false)
        .add("similarity", DataTypes.DoubleType, false));
    Dataset<Row> clusters = dedup.assignment().select("key", "prompt_id", "norm", "rep").join(keptTopics, "rep")
        .persist(StorageLevel.MEMORY_AND_DISK_SER());
    writes.add(tables.replace(run, CLUSTERS, clusters.select(lit(o.dataset()).as("dataset_id"), col("prompt_id"),
        col("topic").as("cluster_id"), col("similarity"), col("key").equalTo(col("rep")).as("kept")),
        List.of(o.dataset())));
    Map<Integer, long[]> counts = new HashMap<>();
    for (Row r : clusters.groupBy("topic").agg(count(lit(1)), count_if(col("key").equalTo(col("rep"))))
        .collectAsList()) {
      counts.put(r.getInt(0), new long[] {r.getLong(1), r.getLong(2)});
    }
    Map<Integer, TopicLabels.Label> labels = TopicLabels.of(clusters.filter(col("key").equalTo(col("rep")))
        .select("key", "norm", "topic", "similarity"), c.topTerms, c.representatives, c.labelSample, o.seed());
    clusters.unpersist();

    List<Topic> topicList = new ArrayList<>();
    double meanSize = topics.k() == 0 ? 0 : (double) dedup.prompts() / topics.k();
    for (int t = counts.containsKey(-1) ? -1 : 0; t < topics.k(); t++) {
      long[] n = counts.getOrDefault(t, new long[2]);
      TopicLabels.Label l = labels.getOrDefault(t, new TopicLabels.Label(List.of(), List.of()));
      topicList.add(new Topic(t, n[0], n[1], t >= 0 && n[0] < c.sparseShare * meanSize, l.terms(),
          l.representatives()));
    }
    List<RuleCoverage> ruleList = new ArrayList<>();
    if (policy != null) {
      List<Coverage.RuleTopic> matched = Coverage.rules(policy, topics, c.ruleSimilarity);
      for (int r = 0; r < policy.rules().size(); r++) {
        int rule = r;
        ruleList.add(new RuleCoverage(policy.rules().get(r).ruleId(),
            matched.stream().filter(m -> m.rule() == rule).toList()));
      }
    }
    topics.vectors().unpersist();
    dedup.assignment().unpersist();
    writes.add(tables.replace(run, COVERAGE, coverageRows(spark, input, o, policy, topicList, ruleList,
        dedup.prompts()), List.of(o.dataset())));

    BoundaryCases.Result boundary = BoundaryCases.find(tables, run, o.dataset(), o.groupModels(), o.marginModel(),
        c.marginSd);
    Dataset<Row> boundaryRows = boundary.rows().select(lit(o.dataset()).as("dataset_id"), col("prompt_id"),
        col("reason"), col("score"), col("detail")).persist(StorageLevel.MEMORY_AND_DISK_SER());
    Map<String, Long> byReason = new TreeMap<>();
    for (Row r : boundaryRows.groupBy("reason").count().collectAsList()) {
      byReason.put(r.getString(0), r.getLong(1));
    }
    writes.add(tables.replace(run, BOUNDARY, boundaryRows, List.of(o.dataset())));
    boundaryRows.unpersist();
    return new Result(dedup.prompts(), dedup.exactDuplicates(), dedup.nearDuplicates(), dedup.candidatePairs(),
        dedup.verifiedPairs(), topics.k(), topics.silhouettes(), topicList, ruleList, boundary.signals(), byReason,
        writes, (System.nanoTime() - t0) / 1e9);
  }

  private static Policy readPolicy(SparkSession spark, String dir) {
    try {
      return Policy.read(dir, spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw ChorusException.badInput("cannot read the policy at %s: %s", dir, e.getMessage());
    }
  }

  /** @param input the dataset's input.prompts (prompt_id, text), for the representatives' text */
  private static Dataset<Row> coverageRows(SparkSession spark, Dataset<Row> input, Options o,
      Policy policy, List<Topic> topics, List<RuleCoverage> rules, long prompts) {
    List<String> ids = topics.stream().flatMap(t -> t.representatives().stream()).toList();
    Map<String, String> texts = new HashMap<>();
    if (!ids.isEmpty()) {
      for (Row r : input.filter(col("prompt_id").isin(ids.toArray())).collectAsList()) {
        texts.put(r.getString(0), r.getString(1));
      }
    }
    Map<Integer, Long> distinct = new HashMap<>();
    List<Row> rows = new ArrayList<>();
    for (Topic t : topics) {
      distinct.put(t.id(), t.distinctPrompts());
      rows.add(RowFactory.create(o.dataset(), "topic", t.id(), null, String.join(", ", t.terms()), t.prompts(),
          t.distinctPrompts(), (double) t.prompts() / prompts, null, t.sparse() ? "sparse" : null,
          CollectionConverters.asScala(t.representatives()).toSeq(),
          CollectionConverters.asScala(t.representatives().stream().map(id -> texts.getOrDefault(id, "")).toList())
              .toSeq(), null));
    }
    String policyName = policy == null ? null : o.policyDir() + " (v" + policy.version() + ")";
    for (int r = 0; r < rules.size(); r++) {
      RuleCoverage rc = rules.get(r);
      String text = policy.rules().get(r).text();
      if (rc.topics().isEmpty()) {
        rows.add(RowFactory.create(o.dataset(), "rule", null, rc.ruleId(), text, 0L, null, null, null, "unexercised",
            null, null, policyName));
      }
      for (Coverage.RuleTopic m : rc.topics()) {
        long d = distinct.getOrDefault(m.topic(), 0L);
        rows.add(RowFactory.create(o.dataset(), "rule", m.topic(), rc.ruleId(), text, m.prompts(), d,
            d == 0 ? null : (double) m.prompts() / d, m.meanSimilarity(), null, null, null, policyName));
      }
    }
    return spark.createDataFrame(rows, COVERAGE.schema());
  }
}
