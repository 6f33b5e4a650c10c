package org.chorus.bench;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.hash;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.pmod;
import static org.apache.spark.sql.functions.pow;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.SparkSession;
import org.chorus.aggregate.AggregateJob;
import org.chorus.aggregate.Election;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.job.JobRunner;
import org.chorus.core.job.Progress;
import org.chorus.core.spark.SparkSessions;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;
import org.chorus.ingest.IngestReport;
import org.chorus.ingest.PolisIngest;
import org.chorus.math.AdjustedRandIndex;
import org.chorus.opinions.OpinionsConfig;
import org.chorus.opinions.OpinionsJob;
import org.chorus.panel.PanelConfig;
import org.chorus.panel.PanelJob;
import org.chorus.panel.SyntheticPoolJob;
import org.chorus.synth.SynthJob;
import org.chorus.synth.SynthParams;
import org.chorus.weights.WeightsJob;

/**
 * Times the jobs on synthetic data at named sizes, in one Spark local session (JVM start-up excluded), and writes
 * the figures to BENCHMARKS.md with the date and machine. Run by {@code scripts/benchmark.sh}.
 */
public final class Benchmarks {
  private Benchmarks() {}

  /** A named size: participants x statements x votes per participant. */
  record Size(String name, long participants, int statements, int votesPerParticipant) {
    long votes() {
      return participants * votesPerParticipant;
    }
  }

  static final List<Size> SIZES = List.of(
      new Size("1M", 25_000, 400, 40),
      new Size("polis-max", 33_000, 783, 61),
      new Size("10M", 100_000, 1_000, 100),
      new Size("100M", 1_000_000, 10_000, 100));

  record Row(String job, String size, String what, long rows, double seconds) {}

  public static void run(List<String> sizes, List<String> jobs, List<String> methods, Path out, Path work)
      throws IOException {
    deleteRecursively(work);
    ChorusConfig config = ChorusConfig.load(List.of(), List.of(),
        new ChorusConfig.Overrides(work.resolve("warehouse").toString(), null));
    SparkSession spark = SparkSessions.create(config, false);
    ChorusTables tables = new ChorusTables(spark);
    List<Row> rows = new ArrayList<>();
    PrintStream log = System.out;
    try {
      if (jobs.contains("weights")) {
        for (String name : sizes) {
          weights(tables, config, name, work, rows, log);
        }
      }
      if (jobs.contains("panel")) {
        panel(tables, config, rows, log);
      }
      if (jobs.contains("aggregate")) {
        for (String name : sizes) {
          aggregate(tables, config, name, rows, log);
        }
      }
      if (jobs.contains("shards")) {
        for (String name : sizes) {
          shards(tables, config, name, work, rows, log);
        }
      }
      if (jobs.contains("score")) {
        for (String name : sizes) {
          score(tables, config, name, work, rows, log);
        }
      }
      if (jobs.contains("prompts")) {
        for (String name : sizes) {
          prompts(tables, config, name, rows, log);
        }
      }
      boolean voteJobs = jobs.contains("synth") || jobs.contains("ingest") || jobs.contains("opinions");
      for (String name : voteJobs ? sizes : List.<String>of()) {
        Size size = SIZES.stream().filter(s -> s.name().equals(name)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("unknown size " + name));
        String conv = "bench-" + name;
        SynthParams params = SynthParams.builder(conv).participants(size.participants()).statements(size.statements())
            .groups(3).votesPerParticipant(size.votesPerParticipant()).seed(42).build();
        long t0 = System.nanoTime();
        SynthJob.Result synth = job(tables, config, new SynthJob(), new SynthJob.Options(params, null));
        double synthSeconds = (System.nanoTime() - t0) / 1e9;
        long votes = synth.rows("input.votes");
        rows.add(new Row("synth", name, "participants, statements, votes and truth into Iceberg", votes, synthSeconds));
        log.printf("synth %s: %,d votes in %.1f s%n", name, votes, synthSeconds);
        if (jobs.contains("opinions")) {
          for (OpinionsJob.Method method : OpinionsJob.Method.values()) {
            if (!methods.contains(method.name())) {
              continue;
            }
            long t = System.nanoTime();
            OpinionsJob.Result r = JobRunner.run(new OpinionsJob(), opinions(config, conv, method), tables, config,
                null, Progress.to(log)).result();
            double sec = (System.nanoTime() - t) / 1e9;
            rows.add(new Row("opinions --method " + method, name, String.format(Locale.ROOT,
                "%,d participants x %,d statements; groups %s; phases %s", r.participants(), r.statements(),
                r.groupSizes().size(), r.seconds()), votes, sec));
            rows.add(new Row("  of which bridging (ALS)", name, "Community Notes model on agree/disagree votes",
                votes, r.seconds().get("bridging")));
            log.printf("opinions %s (%s): %.1f s %s%n", name, method, sec, r.seconds());
          }
        }
        if (!jobs.contains("ingest")) {
          spark.sql("DELETE FROM input.votes WHERE conversation_id = '" + conv + "'");
          continue;
        }

        String export = work.resolve("export-" + name).toString();
        long t1 = System.nanoTime();
        SynthJob.exportPolis(spark.table("input.votes"), spark.table("input.statements"), conv, export);
        double exportSeconds = (System.nanoTime() - t1) / 1e9;
        rows.add(new Row("synth --export-polis", name, "votes.csv and comments.csv written", votes, exportSeconds));

        long t2 = System.nanoTime();
        IngestReport report = job(tables, config, new PolisIngest(), new PolisIngest.Options(export, conv + "-ingested"));
        double ingestSeconds = (System.nanoTime() - t2) / 1e9;
        rows.add(new Row("ingest polis", name, "parse, validate, latest vote per pair, 5 tables written",
            report.totalRead(), ingestSeconds));
        log.printf("ingest %s: %,d records in %.1f s%n", name, report.totalRead(), ingestSeconds);
        spark.sql("DELETE FROM input.votes WHERE conversation_id IN ('" + conv + "', '" + conv + "-ingested')");
        deleteRecursively(Paths.get(export));
      }
      if (jobs.contains("polis-ari")) {
        polisAri(tables, config, rows, log);
      }
    } finally {
      spark.stop();
    }
    write(out, rows);
  }

  /** Participants per weights size: 1M and 10M, six skewed dimensions (2 x 6 x 5 x 4 x 3 x 5 levels). */
  static final int[] WEIGHT_LEVELS = {2, 6, 5, 4, 3, 5};

  /**
   * chorus weights on n synthetic participants: level of dimension d = floor(u^1.6 x L_d) with u a seeded uniform,
   * so low levels are over-represented, raked to uniform margins.
   */
  static void weights(ChorusTables tables, ChorusConfig config, String name, Path work, List<Row> rows, PrintStream log)
      throws IOException {
    long n = switch (name) {
      case "1M" -> 1_000_000L;
      case "10M" -> 10_000_000L;
      case "100M" -> 100_000_000L;
      default -> Long.parseLong(name);
    };
    SparkSession spark = tables.spark();
    String scope = "bench-weights-" + name;
    List<Column> kv = new ArrayList<>();
    StringBuilder margins = new StringBuilder("dimension,value,share\n");
    for (int d = 0; d < WEIGHT_LEVELS.length; d++) {
      kv.add(lit("d" + d));
      kv.add(coalesce(concat(
          lit("l"), floor(
              pow(rand(100 + d), 1.6)
                  .multiply(WEIGHT_LEVELS[d])).cast("string")), lit("l0")));
      for (int l = 0; l < WEIGHT_LEVELS[d]; l++) {
        margins.append("d").append(d).append(",l").append(l).append(',')
            .append(String.format(Locale.ROOT, "%.17g", 1.0 / WEIGHT_LEVELS[d])).append('\n');
      }
    }
    Path marginsFile = work.resolve("margins-" + name + ".csv");
    Files.createDirectories(work);
    Files.writeString(marginsFile, margins.toString());
    long t0 = System.nanoTime();
    Dataset<org.apache.spark.sql.Row> people = spark.range(n).repartition(8).select(
        lit(scope).as("scope"),
        concat(lit("p"),
            col("id").cast("string")).as("participant_id"),
        lit("bench").as("source"),
        map(kv.toArray(new Column[0])).as("attributes"),
        lit(true).as("consent"));
    tables.replace(new RunContext("bench", scope),
        TableSchemas.input("participants"), people, List.of(scope));
    double gen = (System.nanoTime() - t0) / 1e9;
    long t1 = System.nanoTime();
    WeightsJob.Result r = job(tables, config, new WeightsJob(), WeightsJob.Options.of(marginsFile.toString(), scope));
    double sec = (System.nanoTime() - t1) / 1e9;
    rows.add(new Row("weights (participants generated)", name, "synthetic participants into input.participants", n,
        gen));
    rows.add(new Row("weights", name, String.format(Locale.ROOT, "6 dimensions, %s after %d sweeps (max margin "
        + "error %.1e), design effect %.2f; read, cells, rake, join, write", r.raking().converged() ? "converged"
        : "NOT converged", r.raking().sweeps(), r.raking().maxMarginError(), r.designEffect()), n, sec));
    log.printf("weights %s: %.1f s%n", name, sec);
    // the same job again in the now warm JVM: what a long-lived driver (a notebook, a scheduler's session) sees,
    // without the first query's class loading, code generation and JIT compilation
    long t2 = System.nanoTime();
    job(tables, config, new WeightsJob(), WeightsJob.Options.of(marginsFile.toString(), scope));
    double warm = (System.nanoTime() - t2) / 1e9;
    rows.add(new Row("weights (run again, warm JVM)", name, "the same job a second time in the same session", n,
        warm));
    log.printf("weights %s again: %.1f s%n", name, warm);
    spark.sql("DELETE FROM input.participants WHERE scope = '" + scope + "'");
    spark.sql("DELETE FROM derived.participant_weights WHERE population_id = '" + scope + "'");
  }

  /**
   * chorus panel on a seeded 2,000-person pool, panel of 200: four categories of four features (the pool's people
   * fall into about 220 types), quotas of 70%..130% of proportional; LEXIMIN, NASH, and LEGACY with 10,000 draws.
   * Then LEXIMIN on a pool of five categories (533 types), where the number of types drives the time.
   */
  static void panel(ChorusTables tables, ChorusConfig config, List<Row> rows, PrintStream log) {
    String id = "bench-pool-2000";
    job(tables, config, new SyntheticPoolJob(), SyntheticPoolJob.Options.of(id, 2000, 200).withShape(4, 4)
        .withSeed(7));
    for (PanelJob.Method m : List.of(PanelJob.Method.LEXIMIN,
        PanelJob.Method.NASH, PanelJob.Method.LEGACY)) {
      long t = System.nanoTime();
      PanelJob.Result r = job(tables, config, new PanelJob(), PanelJob.Options.of(id, 200, PanelConfig.from(config)).withMethod(m).withSeed(1).withLegacyDraws(10_000));
      double sec = (System.nanoTime() - t) / 1e9;
      rows.add(new Row("panel --method " + m.id(), "2000 people, k=200", String.format(Locale.ROOT,
          "%d types; min %.4f, gini %.1f%%; %s", r.types(), r.stats().min(), 100 * r.stats().gini(), r.detail()),
          2000, sec));
      log.printf("panel %s: %.1f s, min %.4f%n", m.id(), sec, r.stats().min());
    }
    job(tables, config, new SyntheticPoolJob(), SyntheticPoolJob.Options.exampleLarge200(id + "-large200"));
    long t0 = System.nanoTime();
    PanelJob.Result large = job(tables, config, new PanelJob(), PanelJob.Options.of(id + "-large200", 200, PanelConfig.from(config)).withMethod(PanelJob.Method.LEXIMIN).withSeed(1).withLegacyDraws(10_000));
    double sec0 = (System.nanoTime() - t0) / 1e9;
    rows.add(new Row("panel --method leximin", "2000 people, k=200, example_large_200's layout",
        String.format(Locale.ROOT, "%d types; min %.4f (published 10.0%%, Gurobi 1162 s); %s; with LEGACY's 10,000 "
            + "draws", large.types(), large.stats().min(), large.detail()), 2000, sec0));
    log.printf("panel leximin (example_large_200 layout): %.1f s, min %.4f%n", sec0, large.stats().min());
    job(tables, config, new SyntheticPoolJob(), SyntheticPoolJob.Options.of(id + "-5", 2000, 200).withShape(5, 4)
        .withSeed(7));
    long t = System.nanoTime();
    PanelJob.Result r = job(tables, config, new PanelJob(), PanelJob.Options.of(id + "-5", 200, PanelConfig.from(config)).withMethod(PanelJob.Method.LEXIMIN).withSeed(1).withLegacyDraws(10_000));
    double sec = (System.nanoTime() - t) / 1e9;
    rows.add(new Row("panel --method leximin", "2000 people, k=200, 5 categories", String.format(Locale.ROOT,
        "%d types; min %.4f, gini %.1f%%; %s", r.types(), r.stats().min(), 100 * r.stats().gini(), r.detail()),
        2000, sec));
    log.printf("panel leximin (5 categories): %.1f s, min %.4f%n", sec, r.stats().min());
  }

  /**
   * n comparisons over {@code prompts} prompts of {@code items} responses each, drawn in Spark from planted
   * Bradley-Terry strengths (a response's theta from a hash of its id); texts name the prompt and the response.
   */
  static Dataset<org.apache.spark.sql.Row> comparisons(SparkSession spark, String dataset, long n, int prompts,
      int items) {
    Column prompt = pmod(col("id"), lit(prompts));
    Column a = pmod(hash(col("id"), lit(1)), lit(items));
    Column b = pmod(a.plus(lit(1)).plus(pmod(hash(col("id"), lit(2)), lit(items - 1))), lit(items));
    // theta of a response: a standard normal-ish value from its id (sum of three uniforms, centred and scaled)
    java.util.function.Function<Column, Column> theta = item -> pmod(hash(item, lit(3)), lit(1000)).plus(
        pmod(hash(item, lit(4)), lit(1000))).plus(pmod(hash(item, lit(5)), lit(1000))).minus(1500).divide(500.0);
    Column ia = concat(lit("p"), prompt.cast("string"), lit("-r"), a.cast("string"));
    Column ib = concat(lit("p"), prompt.cast("string"), lit("-r"), b.cast("string"));
    Column pa = lit(1.0).divide(lit(1.0).plus(exp(theta.apply(ib).minus(theta.apply(ia)))));
    return spark.range(n).repartition(8).select(
        lit(dataset).as("dataset_id"), col("id").cast("string").as("comparison_id"),
        pmod(hash(col("id"), lit(6)), lit(10_000)).cast("string").as("rater_id"),
        concat(lit("p"), prompt.cast("string")).as("prompt_id"),
        concat(lit("Synthetic question number "), prompt.cast("string")).as("prompt"),
        ia.as("response_a_id"), concat(lit("answer "), ia).as("response_a"), ib.as("response_b_id"),
        concat(lit("answer "), ib).as("response_b"),
        when(rand(7).lt(pa), "a").otherwise("b").as("choice"), lit(null).cast("string").as("objective"),
        when(pmod(hash(col("id"), lit(8)), lit(2)).equalTo(0), "g1").otherwise("g2").as("rater_group"),
        lit(null).cast("double").as("weight"), lit(null).cast("string").as("data_subset"), lit("synth").as("source"));
  }

  /**
   * chorus aggregate, all methods: "1M" is 1M comparisons among the 1,000 responses of one prompt (one election);
   * "10M" is 10M comparisons over 100,000 responses, 1,000 prompts of 100. Comparisons are drawn in Spark from
   * planted Bradley-Terry strengths (a response's theta from a hash of its id), written to input.comparisons first.
   */
  static void aggregate(ChorusTables tables, ChorusConfig config, String name, List<Row> rows, PrintStream log) {
    long n;
    int prompts;
    int items;
    switch (name) {
      case "1M" -> {
        n = 1_000_000L;
        prompts = 1;
        items = 1000;
      }
      case "10M" -> {
        n = 10_000_000L;
        prompts = 1000;
        items = 100;
      }
      default -> {
        log.printf("aggregate: no size %s (1M or 10M)%n", name);
        return;
      }
    }
    SparkSession spark = tables.spark();
    String dataset = "bench-aggregate-" + name;
    TableSpec spec = TableSchemas.input("comparisons");
    tables.replace(new RunContext("bench", dataset), spec, comparisons(spark, dataset, n, prompts, items),
        List.of(dataset));
    long t = System.nanoTime();
    AggregateJob.Result r = job(tables, config, new AggregateJob(), AggregateJob.Options.of(dataset).withBootstrap(0).withBtPrior(0).withSeed(1));
    double sec = (System.nanoTime() - t) / 1e9;
    rows.add(new Row("aggregate (all methods)", name, String.format(Locale.ROOT,
        "%,d prompts x %,d responses, 2 groups; %d methods, no bootstrap", prompts, items, Election.METHODS.size()),
        r.comparisons(), sec));
    log.printf("aggregate %s: %.1f s%n", name, sec);
    spark.sql("DELETE FROM input.comparisons WHERE dataset_id = '" + dataset + "'");
  }

  /** The rows of a named size (100k, 1M, 10M) the job supports, or -1 (said on the log) when it has no such size. */
  static long rowsOf(String name, String job, PrintStream log, String... supported) {
    if (!List.of(supported).contains(name)) {
      log.printf("%s: no size %s (%s)%n", job, name, String.join(", ", supported));
      return -1;
    }
    return switch (name) {
      case "100k" -> 100_000L;
      case "1M" -> 1_000_000L;
      default -> 10_000_000L;
    };
  }

  /**
   * chorus shards on 1M (10M) comparisons over 100,000 (1M) prompts of 10 responses, with an evaluation set of 10,000
   * prompts (half of them the dataset's own prompts, half new) to exclude: labels, dedup, exact and MinHash
   * decontamination, split, sorted shards of 100,000 rows, checksums.
   */
  static void shards(ChorusTables tables, ChorusConfig config, String name, Path work, List<Row> rows, PrintStream log)
      throws IOException {
    long n = rowsOf(name, "shards", log, "1M", "10M");
    if (n < 0) {
      return;
    }
    SparkSession spark = tables.spark();
    String dataset = "bench-shards-" + name;
    int prompts = (int) (n / 10);
    TableSpec spec = TableSchemas.input("comparisons");
    tables.replace(new RunContext("bench", dataset), spec, comparisons(spark, dataset, n, prompts, 10),
        List.of(dataset));
    Path eval = work.resolve("eval-prompts.jsonl");
    StringBuilder jsonl = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      jsonl.append(i % 2 == 0 ? "{\"prompt\": \"Synthetic question number " + (i * 7 % prompts) + "\"}\n"
          : "{\"prompt\": \"An unrelated evaluation question about topic " + i + " and its details\"}\n");
    }
    java.nio.file.Files.writeString(eval, jsonl);
    long t = System.nanoTime();
    org.chorus.shards.ShardsJob.Result r = job(tables, config, new org.chorus.shards.ShardsJob(),
        org.chorus.shards.ShardsJob.Options.of(dataset, work.resolve("shards-" + name).toString())
            .withExclude(List.of(eval.toString()), 0.8));
    double sec = (System.nanoTime() - t) / 1e9;
    rows.add(new Row("shards", name, String.format(Locale.ROOT, "%,d prompts x 10 responses -> %,d pairs; %,d "
        + "excluded (10,000 eval prompts); %s rows in %s files", prompts, r.pairs(), r.excludedExact()
        + r.excludedNear(), r.rows(), r.shardFiles()), n, sec));
    log.printf("shards %s: %.1f s%n", name, sec);
    spark.sql("DELETE FROM input.comparisons WHERE dataset_id = '" + dataset + "'");
  }

  /**
   * chorus prompts on n synthetic prompts of 50-70 words in 8 topics with ~10% planted duplicates (exact, case,
   * spacing, punctuation, one-word edits): exact + fuzzy dedup + topics (k = 8) + coverage, with the duplicate pair
   * recall and topic ARI against the planted truth.
   */
  static void prompts(ChorusTables tables, ChorusConfig config, String name, List<Row> rows, PrintStream log) {
    long n = rowsOf(name, "prompts", log, "100k", "1M", "10M");
    if (n < 0) {
      return;
    }
    SparkSession spark = tables.spark();
    String dataset = "bench-prompts-" + name;
    job(tables, config, new SynthJob(), new SynthJob.Options(SynthParams.builder(dataset).promptDataset(dataset).prompts(n).topics(8).seed(42).build(), null));
    long t = System.nanoTime();
    org.chorus.prompts.PromptsJob.Result r = job(tables, config, new org.chorus.prompts.PromptsJob(),
        org.chorus.prompts.PromptsJob.Options.of(dataset, org.chorus.prompts.PromptsConfig.from(config))
            .withClusters(8));
    double sec = (System.nanoTime() - t) / 1e9;
    // planted truth: every planted duplicate should point at the representative of its original's cluster
    org.apache.spark.sql.Row q = spark.sql("SELECT count(*), count_if(coalesce(d.duplicate_of, t.prompt_id) = "
        + "coalesce(o.duplicate_of, t.duplicate_of)) FROM truth.prompt_labels t "
        + "LEFT JOIN derived.prompt_duplicates d ON d.dataset_id = t.dataset_id AND d.prompt_id = t.prompt_id "
        + "LEFT JOIN derived.prompt_duplicates o ON o.dataset_id = t.dataset_id AND o.prompt_id = t.duplicate_of "
        + "WHERE t.dataset_id = '" + dataset + "' AND t.duplicate_of IS NOT NULL").first();
    List<org.apache.spark.sql.Row> labels = spark.sql("SELECT t.topic, c.cluster_id FROM truth.prompt_labels t "
        + "JOIN derived.prompt_clusters c ON c.dataset_id = t.dataset_id AND c.prompt_id = t.prompt_id "
        + "WHERE t.dataset_id = '" + dataset + "' AND pmod(hash(t.prompt_id), 10) = 0").collectAsList();
    double ari = AdjustedRandIndex.of(labels.stream().mapToInt(x -> x.getInt(0)).toArray(),
        labels.stream().mapToInt(x -> x.getInt(1)).toArray());
    rows.add(new Row("prompts", name, String.format(Locale.ROOT, "%,d prompts: %,d exact + %,d near duplicates "
        + "(planted duplicates found %.4f); 8 topics, ARI %.4f on a 10%% sample", n, r.exactDuplicates(),
        r.nearDuplicates(), (double) q.getLong(1) / q.getLong(0), ari), n, sec));
    log.printf("prompts %s: %.1f s%n", name, sec);
  }

  /**
   * chorus score by batch size: n synthetic responses of 12 words from a 1,000-word vocabulary (words from hashes of
   * the row id) written to input.responses, scored by a freshly initialised model of the default size (65,536
   * buckets x 16, hidden 16: the same work as a trained one), end to end (read, score, write derived.rm_scores).
   */
  static void score(ChorusTables tables, ChorusConfig config, String name, Path work, List<Row> rows, PrintStream log) throws IOException {
    long n = rowsOf(name, "score", log, "1M", "10M");
    if (n < 0) {
      return;
    }
    SparkSession spark = tables.spark();
    String dataset = "bench-score-" + name;
    Column[] words = new Column[12];
    for (int k = 0; k < words.length; k++) {
      words[k] = concat(lit("w"), pmod(hash(col("id"), lit(k)), lit(1000)).cast("string"));
    }
    Dataset<org.apache.spark.sql.Row> responses = spark.range(n).repartition(8).select(lit(dataset).as("dataset_id"),
        concat(lit("p"), pmod(col("id"), lit(n / 4)).cast("string")).as("prompt_id"),
        concat(lit("r"), col("id").cast("string")).as("response_id"),
        org.apache.spark.sql.functions.concat_ws(" ", words).as("text"), lit(null).cast("string").as("model"));
    TableSpec spec = TableSchemas.input("responses");
    tables.replace(new RunContext("bench", dataset), spec, responses, List.of(dataset));
    String modelDir = work.resolve("bench-model").toString();
    try (org.chorus.reward.RewardNet net = org.chorus.reward.RewardNet.initialise(
        org.chorus.reward.HashedFeatures.DEFAULT.buckets(), 16, 16, 1, ai.djl.Device.cpu())) {
      org.chorus.reward.RewardModel.of(net, org.chorus.reward.HashedFeatures.DEFAULT, null)
          .save(modelDir, new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode(),
              spark.sparkContext().hadoopConfiguration());
    }
    for (int batch : new int[] {64, 256, 1024}) {
      org.chorus.reward.ScoreJob.Result r = job(tables, config, new org.chorus.reward.ScoreJob(),
          org.chorus.reward.ScoreJob.Options.of(modelDir, dataset).withDevice("cpu").withBatchSize(batch));
      rows.add(new Row("score --batch-size " + batch, name, "12-word responses; model 65,536 x 16, hidden 16; CPU, "
          + "read + score + write", r.responses(), r.seconds()));
      log.printf("score %s batch %d: %.1f s%n", name, batch, r.seconds());
    }
    spark.sql("DELETE FROM input.responses WHERE dataset_id = '" + dataset + "'");
    spark.sql("DELETE FROM derived.rm_scores WHERE dataset_id = '" + dataset + "'");
  }

  /**
   * Agreement (ARI) of our groups with Polis's own group-id on every shared export; not a target (Polis's groups
   * depend on its incremental history), a reading.
   */
  /** Runs one job the way the CLI does (options validated, run logged), its progress to the log file. */
  static <O extends JobOptions, R extends JobResult> R job(ChorusTables tables, ChorusConfig config, Job<O, R> job,
      O options) {
    return JobRunner.run(job, options, tables, config, null, Progress.log()).result();
  }

  /** Computed groups by {@code method}, the defaults of chorus.opinions otherwise (polis tries at most 5). */
  static OpinionsJob.Options opinions(ChorusConfig config, String conversation, OpinionsJob.Method method) {
    return OpinionsJob.Options.of(conversation, OpinionsConfig.from(config)).withGroups(OpinionsJob.Groups.computed)
        .withMethod(method);
  }

  static void polisAri(ChorusTables tables, ChorusConfig config, List<Row> rows, PrintStream log) throws IOException {
    Path shared = Paths.get(System.getProperty("chorus.shared.data", "../shared/data")).resolve("polis");
    List<Path> exports;
    try (var list = Files.list(shared)) {
      exports = list.filter(Files::isDirectory).sorted().toList();
    }
    SparkSession spark = tables.spark();
    for (Path export : exports) {
      String conv = "ari-" + export.getFileName();
      job(tables, config, new PolisIngest(), new PolisIngest.Options(export.toString(), conv));
      StringBuilder what = new StringBuilder("ARI vs Polis group-id:");
      long t = System.nanoTime();
      long participants = 0;
      for (OpinionsJob.Method method : OpinionsJob.Method.values()) {
        JobRunner.run(new OpinionsJob(), opinions(config, conv, method), tables, config, null, Progress.log());
        List<org.apache.spark.sql.Row> pairs = spark.sql("SELECT g.group_id, p.export_group_id FROM "
            + "derived.participant_groups g JOIN input.participants p ON p.scope = g.conversation_id AND "
            + "p.participant_id = g.participant_id WHERE g.conversation_id = '" + conv + "' AND g.group_id IS NOT NULL "
            + "AND p.export_group_id IS NOT NULL").collectAsList();
        int[] a = new int[pairs.size()];
        int[] b = new int[pairs.size()];
        for (int i = 0; i < a.length; i++) {
          a[i] = pairs.get(i).getInt(0);
          b[i] = pairs.get(i).getInt(1);
        }
        participants = a.length;
        what.append(String.format(Locale.ROOT, " %s %.3f", method, AdjustedRandIndex.of(a, b)));
      }
      rows.add(new Row("opinions vs Polis", export.getFileName().toString(), what.toString(), participants,
          (System.nanoTime() - t) / 1e9));
      log.printf("%s: %s%n", export.getFileName(), what);
    }
  }

  static void write(Path out, List<Row> rows) throws IOException {
    String machine = String.format(Locale.ROOT, "%s, %d cores, %.0f GiB heap max, Java %s",
        hostName(), Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() / 1073741824.0,
        System.getProperty("java.version"));
    StringBuilder sb = new StringBuilder();
    String existing = Files.exists(out) ? Files.readString(out) : "";
    if (existing.isEmpty()) {
      sb.append("# Chorus benchmarks\n\n")
          .append("Synthetic data from `chorus synth` at named sizes; Spark local mode on the machine named in each run;\n")
          .append("times are wall-clock seconds inside one JVM (start-up excluded). Produced by `scripts/benchmark.sh`.\n");
    } else {
      sb.append(existing.stripTrailing()).append('\n');
    }
    sb.append("\n## ").append(LocalDate.now()).append(" — ").append(machine).append("\n\n");
    sb.append("| job | size | what | rows | seconds | rows/s |\n|---|---|---|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %,d | %.1f | %,.0f |%n", r.job(), r.size(), r.what(),
          r.rows(), r.seconds(), r.rows() / r.seconds()));
    }
    Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
    System.out.println("figures written to " + out.toAbsolutePath());
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown host";
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    if (!Files.exists(p)) {
      return;
    }
    try (var walk = Files.walk(p)) {
      for (Path q : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
