package org.chorus.prompts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.count_if;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.udf;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
import org.chorus.core.job.Cached;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.Tables;
import org.chorus.core.tables.WriteResult;
import org.chorus.text.MinHash;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code chorus prompts}: curation of a prompt corpus (input.prompts of a dataset): exact and near duplicates
 * ({@link Dedup}), topics of the kept prompts ({@link Topics}, {@link TopicLabels}), coverage of the topics and of a
 * policy's rules ({@link Coverage}), and boundary cases from the reward-model and aggregation tables
 * ({@link BoundaryCases}).
 */
public final class PromptsJob implements Job<PromptsJob.Options, PromptsJob.Result> {

  /**
   * @param clusters 0: chosen by silhouette
   * @param policy {@code CONVERSATION/POLICY_KEY} of a policy in derived.policy_rules for rule coverage, or null
   * @param groupModels per-group reward models (ids in derived.rm_scores) whose disagreement marks boundary cases
   * @param marginModel the model whose small top-two margins mark boundary cases (null: the only one that scored)
   */
  public record Options(String dataset, int clusters, String policy, boolean firstTurn, List<String> groupModels,
      String marginModel, long seed, PromptsConfig config) implements JobOptions {
    /** Topics chosen by silhouette, no policy, whole prompts, boundary models found in derived.rm_scores. */
    public static Options of(String dataset, PromptsConfig config) {
      return new Options(dataset, 0, null, false, List.of(), null, config.seed, config);
    }

    public Options withClusters(int k) {
      return new Options(dataset, k, policy, firstTurn, groupModels, marginModel, seed, config);
    }

    public Options withPolicy(String reference) {
      return new Options(dataset, clusters, reference, firstTurn, groupModels, marginModel, seed, config);
    }

    public Options withFirstTurn(boolean first) {
      return new Options(dataset, clusters, policy, first, groupModels, marginModel, seed, config);
    }

    public Options withBoundaryModels(List<String> groups, String margin) {
      return new Options(dataset, clusters, policy, firstTurn, List.copyOf(groups), margin, seed, config);
    }

    public Options withSeed(long s) {
      return new Options(dataset, clusters, policy, firstTurn, groupModels, marginModel, s, config);
    }

    @Override
    public String scope() {
      return dataset;
    }

    @Override
    public List<String> problems() {
      return new Checks().id(dataset, "--dataset")
          .require(clusters == 0 || clusters >= 2, "--clusters must be at least 2, got %d", clusters)
          .require(policy == null || !policy.isBlank(), "--policy must not be empty")
          .require(groupModels.isEmpty() || groupModels.size() >= 2,
              "--group-models needs two or more models, got %d", groupModels.size())
          .problems();
    }
  }

  public record Topic(int id, long prompts, long distinctPrompts, boolean sparse, List<String> terms,
      List<String> representatives) {}

  public record RuleCoverage(String ruleId, List<Coverage.RuleTopic> topics) {}

  public record Result(String dataset, boolean withPolicy, long prompts, long exactDuplicates, long nearDuplicates,
      long candidatePairs, long verifiedPairs, int k, Map<Integer, Double> silhouettes, List<Topic> topics,
      List<RuleCoverage> rules, Map<String, String> signals, Map<String, Long> boundary, List<WriteResult> writes,
      double seconds) implements JobResult {
    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("prompts", prompts);
      f.put("exact_duplicates", exactDuplicates);
      f.put("near_duplicates", nearDuplicates);
      f.put("topics", k);
      f.put("sparse_topics", topics.stream().filter(Topic::sparse).count());
      f.put("rules", rules.size());
      f.put("rules_unexercised", rules.stream().filter(r -> r.topics().isEmpty()).count());
      f.put("boundary_cases", boundary);
      return f;
    }

    @Override
    public void print(PrintStream out) {
      out.printf("prompts %s: %,d prompts, %,d exact and %,d near duplicates removed, %,d kept (%.1f s)%n", dataset,
          prompts, exactDuplicates, nearDuplicates, prompts - exactDuplicates - nearDuplicates, seconds);
      if (!silhouettes.isEmpty()) {
        out.printf("  k = %d topics: the highest silhouette (cosine, on a sample) of k in %s%n", k,
            silhouettes.keySet());
      }
      out.println("  topic  prompts  distinct  top terms / representative prompts");
      for (Topic t : topics) {
        out.printf("  %5d %8d %9d  %s%s%n", t.id(), t.prompts(), t.distinctPrompts(),
            t.id() < 0 ? "(no content words)" : String.join(", ", t.terms()), t.sparse() ? "  [sparse]" : "");
        if (!t.representatives().isEmpty()) {
          out.printf("                           %s%n", String.join(", ", t.representatives()));
        }
      }
      if (withPolicy) {
        long unexercised = rules.stream().filter(x -> x.topics().isEmpty()).count();
        out.printf("  policy rules: %d, %d exercised by some topic, %d by none%n", rules.size(),
            rules.size() - unexercised, unexercised);
        for (RuleCoverage rc : rules) {
          out.printf("    %-8s %s%n", rc.ruleId(), rc.topics().isEmpty() ? "no prompt exercises it"
              : rc.topics().stream().limit(3).map(Coverage.RuleTopic::describe).reduce((a, b) -> a + "; " + b)
                  .orElse(""));
        }
      }
      out.println("  boundary signals:");
      for (Map.Entry<String, String> e : signals.entrySet()) {
        out.printf("    %-22s %s%s%n", e.getKey(), e.getValue(),
            boundary.containsKey(e.getKey()) ? " -> " + boundary.get(e.getKey()) + " prompts" : "");
      }
      JobResult.printWrites(writes, out);
    }
  }

  @Override
  public String name() {
    return "prompts";
  }

  @Override
  public Result run(JobContext job, Options o) {
    long t0 = System.nanoTime();
    PromptsConfig c = o.config();
    RunContext run = job.run();
    PolicyRules policy = o.policy() == null ? null : PolicyRules.read(job, o.policy());
    run.recordParameter("clusters", String.valueOf(o.clusters()));
    run.recordParameter("first_turn", String.valueOf(o.firstTurn()));
    run.recordParameter("seed", String.valueOf(o.seed()));
    Dataset<Row> input = job.read("input.prompts").filter(col("dataset_id").equalTo(o.dataset()))
        .select("prompt_id", "text");
    if (input.limit(1).isEmpty()) {
      throw ChorusException.badInput("dataset '%s' has no rows in input.prompts", o.dataset());
    }
    Dedup.Result dedup = Dedup.run(input, new Dedup.Options(new MinHash(c.shingleWords, c.hashes, c.bands),
        c.threshold, c.maxBucket, o.firstTurn()));
    job.progress().step(String.format("%,d prompts: %,d exact and %,d near duplicates (%,d LSH candidate pairs, %,d "
        + "verified)", dedup.prompts(), dedup.exactDuplicates(), dedup.nearDuplicates(), dedup.candidatePairs(),
        dedup.verifiedPairs()));
    List<WriteResult> writes = new ArrayList<>();
    writes.add(job.replace(Tables.PROMPT_DUPLICATES, dedup.assignment().filter(col("kind").isNotNull())
        .select(lit(o.dataset()).as("dataset_id"), col("prompt_id"),
            udf((UDF1<String, String>) NaturalKey::id, DataTypes.StringType).apply(col("rep")).as("duplicate_of"),
            col("kind"), col("similarity")),
        List.of(o.dataset())));
    Topics.Result topics = Topics.run(job.spark(), dedup.kept(), new Topics.Options(o.clusters(), c.kMin, c.kMax,
        c.features, c.minDocFreq, c.sample, c.restarts, c.scanRestarts, c.maxIterations, o.seed()),
        job.progress()::step);
    List<Topic> topicList;
    List<RuleCoverage> ruleList;
    try {
      topicList = topics(job, o, dedup, topics, writes);
      ruleList = policy == null ? List.of() : ruleCoverage(policy, topics, c.ruleSimilarity);
    } finally {
      topics.vectors().unpersist();
      dedup.assignment().unpersist();
    }
    writes.add(job.replace(Tables.COVERAGE, coverageRows(job.spark(), input, o, policy, topicList, ruleList,
        dedup.prompts()), List.of(o.dataset())));
    BoundaryCases.Result boundary = BoundaryCases.find(job.tables(), run, o.dataset(), o.groupModels(),
        o.marginModel(), c.marginSd);
    Map<String, Long> byReason = new TreeMap<>();
    try (Cached<Dataset<Row>> boundaryRows = Cached.of(boundary.rows().select(lit(o.dataset()).as("dataset_id"),
        col("prompt_id"), col("reason"), col("score"), col("detail")), StorageLevel.MEMORY_AND_DISK_SER())) {
      for (Row r : boundaryRows.get().groupBy("reason").count().collectAsList()) {
        byReason.put(r.getString(0), r.getLong(1));
      }
      writes.add(job.replace(Tables.BOUNDARY_CASES, boundaryRows.get(), List.of(o.dataset())));
    }
    return new Result(o.dataset(), policy != null, dedup.prompts(), dedup.exactDuplicates(), dedup.nearDuplicates(),
        dedup.candidatePairs(), dedup.verifiedPairs(), topics.k(), topics.silhouettes(), topicList, ruleList,
        boundary.signals(), byReason, writes, (System.nanoTime() - t0) / 1e9);
  }

  /** Writes each prompt's topic (derived.prompt_clusters) and returns the topics with their sizes and labels. */
  static List<Topic> topics(JobContext job, Options o, Dedup.Result dedup, Topics.Result topics,
      List<WriteResult> writes) {
    PromptsConfig c = o.config();
    JavaRDD<Row> topicRows = topics.vectors().map(t -> RowFactory.create(t._1(), t._2()._1(), t._2()._2()));
    Dataset<Row> keptTopics = job.spark().createDataFrame(topicRows, new StructType()
        .add("rep", DataTypes.StringType, false).add("topic", DataTypes.IntegerType, false)
        .add("similarity", DataTypes.DoubleType, false));
    Map<Integer, long[]> counts = new HashMap<>();
    Map<Integer, TopicLabels.Label> labels;
    try (Cached<Dataset<Row>> clusters = Cached.of(dedup.assignment().select("key", "prompt_id", "norm", "rep")
        .join(keptTopics, "rep"), StorageLevel.MEMORY_AND_DISK_SER())) {
      writes.add(job.replace(Tables.PROMPT_CLUSTERS, clusters.get().select(lit(o.dataset()).as("dataset_id"), col("prompt_id"),
          col("topic").as("cluster_id"), col("similarity"), col("key").equalTo(col("rep")).as("kept")),
          List.of(o.dataset())));
      for (Row r : clusters.get().groupBy("topic").agg(count(lit(1)), count_if(col("key").equalTo(col("rep"))))
          .collectAsList()) {
        counts.put(r.getInt(0), new long[] {r.getLong(1), r.getLong(2)});
      }
      labels = TopicLabels.of(clusters.get().filter(col("key").equalTo(col("rep")))
          .select("key", "norm", "topic", "similarity"), c.topTerms, c.representatives, c.labelSample, o.seed());
    }
    List<Topic> topicList = new ArrayList<>();
    double meanSize = topics.k() == 0 ? 0 : (double) dedup.prompts() / topics.k();
    for (int t = counts.containsKey(-1) ? -1 : 0; t < topics.k(); t++) {
      long[] n = counts.getOrDefault(t, new long[2]);
      TopicLabels.Label l = labels.getOrDefault(t, new TopicLabels.Label(List.of(), List.of()));
      topicList.add(new Topic(t, n[0], n[1], t >= 0 && n[0] < c.sparseShare * meanSize, l.terms(),
          l.representatives()));
    }
    return topicList;
  }

  /** Per rule of the policy, the topics whose prompts exercise it. */
  static List<RuleCoverage> ruleCoverage(PolicyRules policy, Topics.Result topics, double similarity) {
    List<RuleCoverage> ruleList = new ArrayList<>();
    List<Coverage.RuleTopic> matched = Coverage.rules(policy.texts(), topics, similarity);
    for (int r = 0; r < policy.size(); r++) {
      int rule = r;
      ruleList.add(new RuleCoverage(policy.ids().get(r), matched.stream().filter(m -> m.rule() == rule).toList()));
    }
    return ruleList;
  }

  /** @param input the dataset's input.prompts (prompt_id, text), for the representatives' text */
  private static Dataset<Row> coverageRows(SparkSession spark, Dataset<Row> input, Options o,
      PolicyRules policy, List<Topic> topics, List<RuleCoverage> rules, long prompts) {
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
    String policyName = policy == null ? null : policy.name() + " (v" + policy.version() + ")";
    for (int r = 0; r < rules.size(); r++) {
      RuleCoverage rc = rules.get(r);
      String text = policy.texts().get(r);
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
    return spark.createDataFrame(rows, Tables.COVERAGE.schema());
  }
}
