package org.chorus.shards;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.ArrowUtils;
import org.apache.spark.storage.StorageLevel;
import org.chorus.core.ChorusException;
import org.chorus.core.io.ModelIds;
import org.chorus.core.io.Pseudonyms;
import org.chorus.core.io.StagedDirectory;
import org.chorus.core.io.TextFiles;
import org.chorus.core.job.Cached;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.WriteResult;
import org.chorus.preferences.PreferencePairs;
import org.chorus.preferences.PromptSplit;
import org.chorus.text.PiiScrubber;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code chorus shards}: a dataset's labelled preference pairs as Parquet training shards in the layout of Hugging
 * Face datasets ({@code data/train-00000-of-0000N.parquet}, {@code data/test-...}; prompts of the two splits
 * disjoint by prompt hash), with a dataset card ({@code README.md}) and {@code manifest.json} (files with bytes,
 * SHA-256, rows and row groups; splits; the Arrow schema; lineage; dedup and decontamination figures). Rows are in a
 * fixed order (prompt_id, chosen_id, rejected_id), so the same inputs give the same bytes.
 */
public final class ShardsJob implements Job<ShardsJob.Options, ShardsJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(ShardsJob.class);
  static final String FORMAT = "chorus-preference-shards/1";
  static final List<String> COLUMNS = List.of("prompt", "chosen", "rejected", "margin", "weight", "method",
      "group_shares", "prompt_id", "chosen_id", "rejected_id", "rater_ids", "comparison_ids");


  /**
   * @param method null: the comparisons' majority; "maxmin": pairs every group agrees on; else an aggregation
   *     method's labels
   * @param exclude evaluation sets whose prompts must not appear
   * @param model null, or a reward model directory: its scores of chosen and rejected, read from derived.rm_scores
   *     (run {@code chorus score} with the model first), are added
   */
  public record Options(String dataset, String out, String method, List<String> exclude, double nearThreshold,
      long shardRows, PromptSplit split, String model, boolean rawIds, boolean rawText) implements JobOptions {
    public Options(String dataset, String out, String method, List<String> exclude, double nearThreshold,
        long shardRows, PromptSplit split, String model) {
      this(dataset, out, method, exclude, nearThreshold, shardRows, split, model, false, false);
    }

    /**
     * The majority labels, no exclusions, near threshold 0.8, 100,000 rows a shard, the default split, no scores,
     * pseudonymous rater ids.
     */
    public static Options of(String dataset, String out) {
      return new Options(dataset, out, null, List.of(), 0.8, 100_000, PromptSplit.DEFAULT, null, false, false);
    }

    /** Rater ids as the warehouse holds them, not pseudonymous (for data that never leaves the organisation). */
    public Options withRawIds(boolean raw) {
      return new Options(dataset, out, method, exclude, nearThreshold, shardRows, split, model, raw, rawText);
    }

    /** Texts as the warehouse holds them, without the PII scrubber. */
    public Options withRawText(boolean raw) {
      return new Options(dataset, out, method, exclude, nearThreshold, shardRows, split, model, rawIds, raw);
    }

    public Options withMethod(String m) {
      return new Options(dataset, out, m, exclude, nearThreshold, shardRows, split, model, rawIds, rawText);
    }

    public Options withExclude(List<String> files, double threshold) {
      return new Options(dataset, out, method, List.copyOf(files), threshold, shardRows, split, model, rawIds, rawText);
    }

    public Options withShardRows(long n) {
      return new Options(dataset, out, method, exclude, nearThreshold, n, split, model, rawIds, rawText);
    }

    public Options withSplit(PromptSplit s) {
      return new Options(dataset, out, method, exclude, nearThreshold, shardRows, s, model, rawIds, rawText);
    }

    public Options withScoresOf(String modelDir) {
      return new Options(dataset, out, method, exclude, nearThreshold, shardRows, split, modelDir, rawIds, rawText);
    }

    @Override
    public String scope() {
      return dataset;
    }

    @Override
    public List<String> problems() {
      return new Checks().id(dataset, "--dataset").path(out, "--out").atLeast(shardRows, 1, "--shard-rows")
          .require(nearThreshold > 0 && nearThreshold <= 1, "--near-threshold must be within (0, 1], got %s",
              nearThreshold)
          .require(split.testPercent() >= 0 && split.testPercent() < 100, "--test-percent must be in [0, 100), got %d",
              split.testPercent())
          .require(model == null || !model.isBlank(), "--model must not be empty").problems();
    }
  }

  /** What was written: per split rows and files, and the dedup and decontamination counts. */
  public record Result(String dataset, Map<String, Long> rows, Map<String, Integer> shardFiles, long pairs, long duplicates,
      long excludedExact, long excludedNear, int evalPrompts, String manifest) implements JobResult {
    @Override
    public List<WriteResult> writes() {
      return List.of();
    }

    @Override
    public List<String> files() {
      return List.of(manifest);
    }

    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("pairs", pairs);
      f.put("duplicates", duplicates);
      f.put("excluded_exact", excludedExact);
      f.put("excluded_near", excludedNear);
      f.put("eval_prompts", evalPrompts);
      f.put("rows", rows);
      f.put("shard_files", shardFiles);
      return f;
    }

    @Override
    public void print(PrintStream out) {
      out.printf("shards %s: %,d labelled pairs; %,d duplicates dropped; %,d exact and %,d near matches of %,d "
          + "evaluation prompts dropped%n", dataset, pairs, duplicates, excludedExact, excludedNear, evalPrompts);
      for (Map.Entry<String, Long> e : rows.entrySet()) {
        out.printf("  %-5s %,d rows in %d files%n", e.getKey(), e.getValue(), shardFiles.get(e.getKey()));
      }
      out.println("  " + manifest);
    }
  }

  @Override
  public String name() {
    return "shards";
  }

  /** The rows to publish, their texts through the PII scrubber, and the spans it replaced per kind. */
  record Scrubbed(Dataset<Row> rows, Map<String, Long> spans) {}

  static final List<String> TEXT_COLUMNS = List.of("prompt", "chosen", "rejected");

  /** Passes the text columns through {@link PiiScrubber} (unless {@code raw}), counting what it replaced. */
  static Scrubbed scrub(Dataset<Row> rows, boolean raw) {
    if (raw) {
      return new Scrubbed(rows, Map.of());
    }
    PiiScrubber scrubber = new PiiScrubber();
    StructType result = new StructType().add("text", DataTypes.StringType).add("email", DataTypes.IntegerType)
        .add("phone", DataTypes.IntegerType).add("url", DataTypes.IntegerType);
    org.apache.spark.sql.expressions.UserDefinedFunction f = org.apache.spark.sql.functions.udf(
        (org.apache.spark.sql.api.java.UDF1<String, Row>) t -> {
          PiiScrubber.Scrubbed s = scrubber.scrub(t);
          return RowFactory.create(s.text(), s.emails(), s.phones(), s.urls());
        }, result);
    Dataset<Row> out = rows;
    for (String c : TEXT_COLUMNS) {
      out = out.withColumn("_pii_" + c, f.apply(col(c)));
    }
    Map<String, Long> spans = new java.util.LinkedHashMap<>();
    List<org.apache.spark.sql.Column> sums = new ArrayList<>();
    for (String kind : List.of("email", "phone", "url")) {
      sums.add(org.apache.spark.sql.functions.coalesce(org.apache.spark.sql.functions.sum(col("_pii_prompt." + kind)
          .plus(col("_pii_chosen." + kind)).plus(col("_pii_rejected." + kind))), lit(0L)).cast("long"));
    }
    Row totals = out.agg(sums.get(0), sums.subList(1, sums.size()).toArray(new org.apache.spark.sql.Column[0]))
        .first();
    spans.put("email", totals.getLong(0));
    spans.put("phone", totals.getLong(1));
    spans.put("url", totals.getLong(2));
    for (String c : TEXT_COLUMNS) {
      out = out.withColumn(c, col("_pii_" + c + ".text")).drop("_pii_" + c);
    }
    return new Scrubbed(out, spans);
  }

  /** The rater ids as published: pseudonymous (keyed hash, {@link Pseudonyms}) unless raw ids were asked for. */
  static org.apache.spark.sql.Column raters(Options o, String warehouse, Configuration hadoop) {
    if (o.rawIds()) {
      return col("rater_ids");
    }
    Pseudonyms p;
    try {
      p = Pseudonyms.forWarehouse(warehouse, hadoop);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read the pseudonym key: " + e.getMessage(), e);
    }
    org.apache.spark.sql.expressions.UserDefinedFunction pseudonym = org.apache.spark.sql.functions.udf(
        (org.apache.spark.sql.api.java.UDF1<String, String>) p::of, DataTypes.StringType);
    scala.Function1<org.apache.spark.sql.Column, org.apache.spark.sql.Column> each = x -> pseudonym.apply(x);
    return org.apache.spark.sql.functions.transform(col("rater_ids"), each);
  }

  /** The files written for both splits: their manifest entries, the file count per split and the files' schema. */
  record Written(List<ObjectNode> files, Map<String, Integer> fileCounts, StructType schema) {}

  @Override
  public Result run(JobContext job, Options o) {
    String dataset = o.dataset();
    String out = o.out();
    SparkSession spark = job.spark();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    RunContext run = job.run();
    String method = o.method() == null ? PreferencePairs.RAW : o.method();
    Dataset<Row> pairs = PreferencePairs.build(job.tables(), run, dataset, o.method(), null);
    List<String> evalPrompts = EvalPrompts.read(spark, o.exclude());
    Broadcast<Contamination> index = jsc.broadcast(new Contamination(evalPrompts, o.nearThreshold()));
    try (Cached<Dataset<Row>> flagged = Cached.of(flag(pairs, index, o.split()), StorageLevel.MEMORY_AND_DISK())) {
      Scores model = o.model() == null ? null : Scores.of(job.tables(), run, dataset, o.model());
      Row c = counts(flagged.get());
      long total = c.getLong(0);
      if (total == 0) {
        throw ChorusException.badInput("dataset '%s' has no labelled pair (method %s)", dataset, method);
      }
      Map<String, Long> rows = new TreeMap<>();
      Map<String, Long> promptCounts = new TreeMap<>();
      Map<String, Integer> shardFiles;
      Dataset<Row> kept = flagged.get().filter(col("dup_rank").equalTo(1).and(col("contamination").equalTo("NONE")));
      for (Row r : kept.groupBy("split").agg(org.apache.spark.sql.functions.count(lit(1)),
          org.apache.spark.sql.functions.countDistinct("prompt_id")).collectAsList()) {
        rows.put(r.getString(0), r.getLong(1));
        promptCounts.put(r.getString(0), r.getLong(2));
      }
      try (StagedDirectory stage = StagedDirectory.beside(out, hadoop)) {
        String dir = stage.path().toString();
        Scrubbed published = scrub(kept.select(col("split"), col("prompt"), col("chosen"), col("rejected"),
            col("margin"), col("weight"), col("method"), sharesAsList(col("group_shares")).as("group_shares"),
            col("prompt_id"), col("chosen_id"), col("rejected_id"), raters(o, job.tables().warehouse(), hadoop)
                .as("rater_ids"), col("comparison_ids")), o.rawText());
        Written written = writeFiles(published.rows(), dir, o.shardRows(), rows, model, hadoop);
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode manifest = manifest(mapper, dataset, method, o, written.files(), rows, promptCounts,
            written.fileCounts(), written.schema(), model, run, total, c, evalPrompts.size(), published);
        TextFiles.write(dir + "/README.md", card(dataset, method, rows, promptCounts, written.fileCounts(), c,
            evalPrompts.size(), o, model), hadoop);
        TextFiles.write(dir + "/manifest.json", mapper.writeValueAsString(manifest) + "\n", hadoop);
        stage.publish();
        shardFiles = written.fileCounts();
      }
      LOG.info("shards {}: {} pairs, {} rows written to {}", dataset, total, rows, out);
      return new Result(dataset, rows, shardFiles, total, c.getLong(1), c.getLong(2), c.getLong(3),
          evalPrompts.size(), out + "/manifest.json");
    } catch (IOException e) {
      throw ChorusException.badInput("cannot write shards to %s: %s", out, e.getMessage());
    } finally {
      index.destroy();
    }
  }

  /**
   * Each pair with its exact-duplicate rank (same prompt, chosen and rejected after normalisation: the first by ids
   * is kept), its prompt's contamination verdict against the evaluation sets, and its prompt's split.
   */
  static Dataset<Row> flag(Dataset<Row> pairs, Broadcast<Contamination> index, PromptSplit split) {
    UDF1<String, String> matchFn = p -> index.value().match(p).name();
    UDF1<String, String> normFn = Contamination::normalise;
    UDF1<String, String> splitFn = id -> split.isTest(id) ? "test" : "train";
    var match = udf(matchFn, DataTypes.StringType);
    var norm = udf(normFn, DataTypes.StringType);
    var splitOf = udf(splitFn, DataTypes.StringType);
    return pairs
        .withColumn("dup_rank", row_number().over(Window.partitionBy(norm.apply(col("prompt")),
            norm.apply(col("chosen")), norm.apply(col("rejected"))).orderBy("prompt_id", "chosen_id", "rejected_id")))
        .join(prompts(pairs, match, splitOf), "prompt_id");
  }

  /** Pairs, duplicates, exact and near matches dropped, and the distinct prompts matched exactly and nearly. */
  static Row counts(Dataset<Row> flagged) {
    return flagged.agg(org.apache.spark.sql.functions.count(lit(1)),
        org.apache.spark.sql.functions.sum(when(col("dup_rank").gt(1), 1L).otherwise(0L)),
        org.apache.spark.sql.functions.sum(when(col("dup_rank").equalTo(1).and(col("contamination")
            .equalTo("EXACT")), 1L).otherwise(0L)),
        org.apache.spark.sql.functions.sum(when(col("dup_rank").equalTo(1).and(col("contamination")
            .equalTo("NEAR")), 1L).otherwise(0L)),
        org.apache.spark.sql.functions.countDistinct(when(col("contamination").equalTo("EXACT"),
            col("prompt_id"))),
        org.apache.spark.sql.functions.countDistinct(when(col("contamination").equalTo("NEAR"), col("prompt_id"))))
        .first();
  }

  /**
   * Each group's share as a list of (group, share) sorted by group: a map column has no Hugging Face {@code datasets}
   * type, a list of structs loads in datasets, pyarrow, pandas and Spark alike.
   */
  static Column sharesAsList(Column shares) {
    return org.apache.spark.sql.functions.array_sort(org.apache.spark.sql.functions.transform(
        org.apache.spark.sql.functions.map_entries(shares), e -> org.apache.spark.sql.functions.struct(
            e.getField("key").as("group"), e.getField("value").as("share"))));
  }

  /**
   * Both splits' shards under {@code out}/data (a staging directory: nothing else reads it), one canonical Parquet
   * file each, with their manifest entries.
   */
  static Written writeFiles(Dataset<Row> kept, String out, long shardRows, Map<String, Long> rows, Scores model,
      Configuration hadoop) throws IOException {
    Path outDir = new Path(out);
    FileSystem fs = outDir.getFileSystem(hadoop);
    Path data = new Path(outDir, "data");
    Path tmp = new Path(outDir, "_tmp_shards");
    List<ObjectNode> files = new ArrayList<>();
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Map<String, Integer> fileCounts = new TreeMap<>();
    StructType fileSchema = null;
    for (String s : List.of("train", "test")) {
      long n = rows.getOrDefault(s, 0L);
      if (n == 0) {
        continue;
      }
      int shards = (int) ((n + shardRows - 1) / shardRows);
      fileCounts.put(s, shards);
      Dataset<Row> part = kept.filter(col("split").equalTo(s)).drop("split");
      fileSchema = writeSplit(part, new Path(tmp, s).toString(), shardRows, shards, model);
      for (int k = 0; k < shards; k++) {
        FileStatus[] written = fs.globStatus(new Path(tmp, s + "/shard=" + k + "/part-*.parquet"));
        if (written == null || written.length != 1) {
          throw new IllegalStateException("expected one Parquet file for shard " + k + " of " + s);
        }
        String name = String.format(Locale.ROOT, "data/%s-%05d-of-%05d.parquet", s, k, shards);
        Path target = new Path(outDir, name);
        fs.mkdirs(target.getParent());
        String sha = ParquetFiles.copyCanonical(fs, written[0].getPath(), target);
        files.add(describe(mapper, fs, hadoop, target, name, s, sha));
      }
    }
    fs.delete(tmp, true);
    for (FileStatus crc : fs.globStatus(new Path(data, ".*.crc"))) {
      fs.delete(crc.getPath(), false);
    }
    return new Written(files, fileCounts, fileSchema);
  }

  /** Each prompt's split and contamination verdict, computed once per prompt rather than once per pair. */
  private static Dataset<Row> prompts(Dataset<Row> pairs, org.apache.spark.sql.expressions.UserDefinedFunction match,
      org.apache.spark.sql.expressions.UserDefinedFunction splitOf) {
    return pairs.groupBy("prompt_id").agg(org.apache.spark.sql.functions.first("prompt").as("p"))
        .select(col("prompt_id"), match.apply(col("p")).as("contamination"), splitOf.apply(col("prompt_id"))
            .as("split"));
  }

  /**
   * One split: rows in (prompt_id, chosen_id, rejected_id) order, {@code shardRows} per shard, one file each, scored
   * by the model (when given) once, on the way out. Returns the files' schema.
   */
  private static StructType writeSplit(Dataset<Row> part, String dir, long shardRows, int shards,
      Scores model) {
    Dataset<Row> sorted = part.sort("prompt_id", "chosen_id", "rejected_id");
    StructType schema = sorted.schema().add("shard", DataTypes.IntegerType, false);
    JavaRDD<Row> numbered = sorted.javaRDD().zipWithIndex().map(t -> append(t._1(), (int) (t._2() / shardRows)));
    Dataset<Row> df = part.sparkSession().createDataFrame(numbered, schema);
    if (model != null) {
      df = withScores(df, model);
    }
    df.repartition(shards, col("shard"))
        .sortWithinPartitions("shard", "prompt_id", "chosen_id", "rejected_id")
        .write().mode(SaveMode.Overwrite).partitionBy("shard").parquet(dir);
    return df.drop("shard").schema();
  }

  /**
   * The model's scores of chosen and rejected, joined from derived.rm_scores by response id; a pair whose response
   * the model did not score is an error naming the command that scores them.
   */
  private static Dataset<Row> withScores(Dataset<Row> kept, Scores model) {
    Dataset<Row> chosen = model.scores().select(col("response_id").as("_c"), col("score").as("chosen_score"));
    Dataset<Row> rejected = model.scores().select(col("response_id").as("_r"), col("score").as("rejected_score"));
    Dataset<Row> scored = kept.join(chosen, kept.col("chosen_id").equalTo(chosen.col("_c")), "left")
        .join(rejected, kept.col("rejected_id").equalTo(rejected.col("_r")), "left").drop("_c", "_r");
    long missing = scored.filter(col("chosen_score").isNull().or(col("rejected_score").isNull())).count();
    if (missing > 0) {
      throw ChorusException.badInput("%,d pairs have a response that model %s has not scored in derived.rm_scores: "
          + "run chorus score --model %s --dataset %s first", missing, model.modelId(), model.dir(), model.dataset());
    }
    StructType schema = kept.schema().add("chosen_score", DataTypes.FloatType, false)
        .add("rejected_score", DataTypes.FloatType, false);
    List<Column> columns = new ArrayList<>();
    for (String c : schema.fieldNames()) {
      columns.add(col(c));
    }
    Dataset<Row> out = scored.select(columns.toArray(new Column[0]));
    return out.sparkSession().createDataFrame(out.javaRDD(), schema);
  }

  /** A reward model's scores of the dataset's responses in derived.rm_scores (written by {@code chorus score}). */
  record Scores(String dir, String modelId, String dataset, Dataset<Row> scores) {
    static Scores of(ChorusTables tables, RunContext run, String dataset, String dir) {
      String id = ModelIds.of(dir, tables.spark().sparkContext().hadoopConfiguration());
      if (!tables.exists("derived.rm_scores")) {
        throw ChorusException.badInput("no reward scores yet: run chorus score --model %s --dataset %s first", dir,
            dataset);
      }
      Dataset<Row> rows = tables.read(run, "derived.rm_scores")
          .filter(col("dataset_id").equalTo(dataset).and(col("model_id").equalTo(id)))
          .select("response_id", "score");
      if (rows.limit(1).isEmpty()) {
        throw ChorusException.badInput("derived.rm_scores has no scores of model %s for dataset '%s': run chorus "
            + "score --model %s --dataset %s first", id, dataset, dir, dataset);
      }
      return new Scores(dir, id, dataset, rows);
    }
  }

  /** The row with {@code extra} values after its own. */
  private static Row append(Row r, Object... extra) {
    Object[] v = new Object[r.size() + extra.length];
    for (int i = 0; i < r.size(); i++) {
      v[i] = r.get(i);
    }
    System.arraycopy(extra, 0, v, r.size(), extra.length);
    return RowFactory.create(v);
  }

  private static ObjectNode describe(ObjectMapper mapper, FileSystem fs, Configuration hadoop, Path file, String name,
      String split, String sha256) throws IOException {
    ObjectNode n = mapper.createObjectNode();
    n.put("path", name);
    n.put("split", split);
    n.put("bytes", fs.getFileStatus(file).getLen());
    n.put("sha256", sha256);
    try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(file, hadoop))) {
      ParquetMetadata footer = reader.getFooter();
      n.put("rows", footer.getBlocks().stream().mapToLong(b -> b.getRowCount()).sum());
      n.put("row_groups", footer.getBlocks().size());
    }
    return n;
  }

  private static ObjectNode manifest(ObjectMapper mapper, String dataset, String method, Options o,
      List<ObjectNode> files, Map<String, Long> rows, Map<String, Long> prompts, Map<String, Integer> fileCounts,
      StructType schema, Scores model, RunContext run, long total, Row c, int evalPrompts, Scrubbed published)
      throws IOException {
    ObjectNode m = mapper.createObjectNode();
    m.put("format", FORMAT);
    m.put("dataset_id", dataset);
    ArrayNode f = m.putArray("files");
    files.forEach(f::add);
    ObjectNode splits = m.putObject("splits");
    for (String s : fileCounts.keySet()) {
      ObjectNode n = splits.putObject(s);
      n.put("rows", rows.get(s));
      n.put("prompts", prompts.get(s));
      n.put("files", fileCounts.get(s));
    }
    ObjectNode rule = m.putObject("split_rule");
    rule.put("rule", "test when floorMod(murmur3_x86_32(utf8(prompt_id), seed), 100) < test_percent; prompts of the "
        + "two splits are disjoint");
    rule.put("test_percent", o.split().testPercent());
    rule.put("seed", o.split().seed());
    rule.put("order", "rows sorted by prompt_id, chosen_id, rejected_id; " + o.shardRows() + " rows per shard");
    if (schema != null) {
      m.set("arrow_schema", mapper.readTree(ArrowUtils.toArrowSchema(schema, "UTC", true, false).toJson()));
    }
    ObjectNode lineage = m.putObject("lineage");
    lineage.put("method", method);
    lineage.put("labels", switch (method) {
      case PreferencePairs.RAW -> "weighted majority of the comparisons per pair; ties dropped";
      case "maxmin" -> "weighted majority where every group's majority agrees (worst-group margin > 0)";
      default -> "winner in derived.pair_labels for method " + method;
    });
    ObjectNode params = lineage.putObject("parameters");
    params.put("near_threshold", o.nearThreshold());
    params.put("shard_rows", o.shardRows());
    lineage.put("reward_model", model == null ? null : model.modelId());
    ObjectNode snaps = lineage.putObject("input_snapshots");
    new TreeMap<>(run.reads()).forEach(snaps::put);
    lineage.put("code_version", "chorus " + org.chorus.core.Version.get());
    ObjectNode dedup = m.putObject("dedup");
    dedup.put("pairs_labelled", total);
    dedup.put("duplicates_dropped", c.getLong(1));
    dedup.put("rule", "same prompt, chosen and rejected after normalisation; the first by ids is kept");
    ObjectNode decon = m.putObject("decontamination");
    ArrayNode ex = decon.putArray("exclude");
    o.exclude().forEach(ex::add);
    decon.put("eval_prompts", evalPrompts);
    decon.put("normalisation", "lower case, role markers (human:, assistant:, user:, system:) removed, "
        + "non-alphanumerics to one space");
    decon.put("near_match", "word 3-gram Jaccard >= near_threshold, MinHash 64 hashes, LSH 16 bands x 4, verified");
    decon.put("pairs_dropped_exact", c.getLong(2));
    decon.put("pairs_dropped_near", c.getLong(3));
    decon.put("prompts_dropped_exact", c.getLong(4));
    decon.put("prompts_dropped_near", c.getLong(5));
    m.put("rows_written", rows.values().stream().mapToLong(Long::longValue).sum());
    if (o.rawText()) {
      m.put("pii_scrubbed", "off (--raw-text)");
    } else {
      ObjectNode pii = m.putObject("pii_scrubbed");
      TEXT_COLUMNS.forEach(pii.putArray("columns")::add);
      published.spans().forEach(pii::put);
    }
    m.put("rater_ids", o.rawIds() ? "raw" : "pseudonymous: p_ + 16 hex of HMAC-SHA256(key, id), key from "
        + Pseudonyms.ENV + " or the warehouse's _chorus/pseudonym.key");
    return m;
  }

  private static String card(String dataset, String method, Map<String, Long> rows, Map<String, Long> prompts,
      Map<String, Integer> files, Row c, int evalPrompts, Options o, Scores model) {
    StringBuilder s = new StringBuilder("---\nconfigs:\n- config_name: default\n  data_files:\n");
    for (String split : files.keySet()) {
      s.append("  - split: ").append(split).append("\n    path: data/").append(split).append("-*\n");
    }
    s.append("---\n\n");
    s.append(String.format(Locale.ROOT, "# Preference pairs from Chorus dataset `%s`%n%n", dataset));
    s.append(String.format(Locale.ROOT, "Labels: %s. Columns: `%s`%s.%n%n", method, String.join("`, `", COLUMNS),
        model == null ? "" : ", `chosen_score`, `rejected_score` (reward model " + model.modelId() + ")"));
    s.append("`prompt`, `chosen`, `rejected` and `margin` are what TRL's DPO and reward trainers and OpenRLHF read; "
        + "`weight` is the summed weight of the comparisons behind the pair, `group_shares` each group's share of "
        + "votes for `chosen`, and `rater_ids` the raters behind the pair" + (o.rawIds() ? " (raw warehouse ids)"
        : ", as pseudonymous ids (keyed hash)") + ".\n\n");
    s.append("| split | rows | prompts | files |\n|---|---:|---:|---:|\n");
    for (String split : files.keySet()) {
      s.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %d |%n", split, rows.get(split), prompts.get(split),
          files.get(split)));
    }
    s.append(String.format(Locale.ROOT, "%nSplits by prompt hash (%d%% test; no prompt in both). %,d labelled pairs; "
        + "%,d exact duplicates dropped; %,d pairs (%,d prompts) dropped as exact and %,d (%,d prompts) as near "
        + "matches (Jaccard >= %s) of %,d evaluation prompts. See manifest.json for checksums and lineage.%n",
        o.split().testPercent(), c.getLong(0), c.getLong(1), c.getLong(2), c.getLong(4), c.getLong(3), c.getLong(5),
        o.nearThreshold(), evalPrompts));
    return s.toString();
  }
}
