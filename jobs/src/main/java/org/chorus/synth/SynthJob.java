package org.chorus.synth;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.job.Progress;
import org.chorus.core.spark.ScalaMaps;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;
import org.chorus.core.tables.WriteResult;

/**
 * {@code chorus synth}: a synthetic deliberation with known ground truth, generated on the executors (each row is a
 * pure function of the seed and its index, see {@link SynthModel}) and written to the input tables, with the truth
 * in the {@code truth} namespace. Optionally also written as a Polis export directory, to exercise ingest.
 */
public final class SynthJob implements Job<SynthJob.Options, SynthJob.Result> {
  /** What to generate, and where to write its Polis export too (null: no export). */
  public record Options(SynthParams params, String exportDir) implements JobOptions {
    public static Options of(SynthParams params) {
      return new Options(params, null);
    }

    @Override
    public String scope() {
      return params.conversationId();
    }

    @Override
    public List<String> problems() {
      return new Checks().id(params.conversationId(), "--conversation").id(params.datasetId(), "--dataset")
          .id(params.promptDatasetId(), "--prompt-dataset")
          .atLeast(params.participants(), 1, "--participants").atLeast(params.statements(), 1, "--statements")
          .atLeast(params.groups(), 1, "--groups").atLeast(params.votesPerParticipant(), 1, "--votes-per-participant")
          .atLeast(params.comparisons(), 0, "--comparisons").atLeast(params.prompts(), 0, "--prompts")
          .atLeast(params.responsesPerPrompt(), 2, "--responses-per-prompt").atLeast(params.topics(), 1, "--topics")
          .require(exportDir == null || !exportDir.isBlank(), "--export-polis must not be empty")
          .problems();
    }
  }

  @Override
  public String name() {
    return "synth";
  }

  public record Result(SynthParams params, List<WriteResult> writes, String exportDir) implements JobResult {
    public long rows(String table) {
      return writes.stream().filter(w -> w.table().equals(table)).mapToLong(WriteResult::addedRecords).sum();
    }

    @Override
    public List<String> files() {
      return exportDir == null ? List.of() : List.of(exportDir);
    }

    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("participants", params.participants());
      f.put("groups", params.groups());
      f.put("statements", params.statements());
      f.put("votes", rows("input.votes"));
      f.put("comparisons", rows("input.comparisons"));
      f.put("prompts", params.prompts());
      f.put("seed", params.seed());
      return f;
    }

    @Override
    public void print(PrintStream out) {
      JobResult.printWrites(writes, out);
    }
  }

  @Override
  public Result run(JobContext job, Options o) {
    SynthParams params = o.params();
    Progress progress = job.progress();
    SparkSession spark = job.spark();
    SynthModel model = new SynthModel(params);
    List<WriteResult> writes = new ArrayList<>();
    String conv = params.conversationId();
    int parallelism = spark.sparkContext().defaultParallelism();
    int participantParts = (int) Math.max(parallelism, Math.min(10_000, params.expectedVotes() / 2_000_000 + 1));
    progress.step("[synth] %,d participants in %d groups, %,d statements, ~%,d votes (seed %d)",
        params.participants(), params.groups(), params.statements(), params.expectedVotes(), params.seed());
    Dataset<Long> people = spark.range(0, params.participants(), 1, participantParts);
    writes.add(job.replace(spec("input.participants"), participants(people, model, conv), List.of(conv)));
    Dataset<Row> groups = people.map((MapFunction<Long, Row>) p -> RowFactory.create(conv, String.valueOf(p),
        model.groupOf(p)), Encoders.row(spec("truth.participant_groups").schema()));
    writes.add(job.replace(spec("truth.participant_groups"), groups, List.of(conv)));
    Dataset<Long> statementIds = spark.range(0, params.statements(), 1, Math.max(1, Math.min(parallelism,
        params.statements() / 1000 + 1)));
    writes.add(job.replace(spec("input.statements"), statements(statementIds, model, conv), List.of(conv)));
    writes.add(job.replace(spec("truth.statement_profiles"), profiles(statementIds, model, params), List.of(conv)));
    WriteResult voteWrite = job.replace(spec("input.votes"), votes(people, model, conv), List.of(conv));
    writes.add(voteWrite);
    progress.step("[synth] %,d votes written", voteWrite.addedRecords());
    Dataset<Row> conversation = spark.createDataFrame(List.of(RowFactory.create(conv,
        "Synthetic deliberation (seed " + params.seed() + ", " + params.groups() + " latent groups)", null, "synth",
        new Timestamp(job.run().startedAt().toEpochMilli()))), spec("input.conversations").schema());
    writes.add(job.replace(spec("input.conversations"), conversation, List.of(conv)));
    if (params.comparisons() > 0) {
      writeComparisons(job.tables(), job.run(), model, writes, parallelism);
      progress.step("[synth] %,d comparisons over %,d prompts x %d responses (dataset %s)",
          params.comparisons(), params.comparisonPrompts(), params.responsesPerPrompt(), params.datasetId());
    }
    if (params.prompts() > 0) {
      writePrompts(job.tables(), job.run(), model, writes, parallelism);
      progress.step("[synth] %,d prompts in %d topics, ~10%% planted near-duplicates (dataset %s)",
          params.prompts(), params.topics(), params.promptDatasetId());
    }
    if (o.exportDir() != null) {
      exportPolis(job.tables().readOwn(job.run(), "input.votes"), job.tables().readOwn(job.run(),
          "input.statements"), conv, o.exportDir());
      progress.step("[synth] Polis export written to %s", o.exportDir());
    }
    return new Result(params, writes, o.exportDir());
  }

  static Dataset<Row> participants(Dataset<Long> people, SynthModel model, String conv) {
    return people.map((MapFunction<Long, Row>) p -> {
      int g = model.groupOf(p);
      return RowFactory.create(conv, String.valueOf(p), "synth", ScalaMaps.of(model.demographicsOf(p, g)), true,
          null, null, new Timestamp(SynthModel.BASE_MILLIS));
    }, Encoders.row(spec("input.participants").schema()));
  }

  static Dataset<Row> statements(Dataset<Long> statementIds, SynthModel model, String conv) {
    return statementIds.map((MapFunction<Long, Row>) s -> {
      int i = s.intValue();
      return RowFactory.create(conv, s, String.valueOf(model.authorOf(i)), model.statementText(i), model.moderated(i),
          model.isMeta(i), model.isSeed(i), new Timestamp(model.statementCreatedMillis(i)), null, null, null);
    }, Encoders.row(spec("input.statements").schema()));
  }

  /** The generating truth: each statement's agree/disagree/pass probabilities in each group. */
  static Dataset<Row> profiles(Dataset<Long> statementIds, SynthModel model, SynthParams params) {
    String conv = params.conversationId();
    int groups = params.groups();
    return statementIds.flatMap((FlatMapFunction<Long, Row>) s -> {
      int i = s.intValue();
      List<Row> out = new ArrayList<>(groups);
      for (int g = 0; g < groups; g++) {
        double[] pr = model.profile(i, g);
        out.add(RowFactory.create(conv, s, g, model.statementKind(i), pr[0], pr[1], pr[2]));
      }
      return out.iterator();
    }, Encoders.row(spec("truth.statement_profiles").schema()));
  }

  static Dataset<Row> votes(Dataset<Long> people, SynthModel model, String conv) {
    return people.flatMap((FlatMapFunction<Long, Row>) p -> {
      long[][] v = model.votesOf(p);
      String pid = String.valueOf(p);
      List<Row> out = new ArrayList<>(v.length);
      for (long[] x : v) {
        out.add(RowFactory.create(conv, pid, x[0], (int) x[1], new Timestamp(x[2])));
      }
      return out.iterator();
    }, Encoders.row(spec("input.votes").schema()));
  }


  private static void writeComparisons(ChorusTables tables, RunContext run, SynthModel model, List<WriteResult> writes,
      int parallelism) {
    SparkSession spark = tables.spark();
    SynthParams params = model.params();
    String dataset = params.datasetId();
    int parts = (int) Math.max(parallelism, Math.min(10_000, params.comparisons() / 1_000_000 + 1));
    Dataset<Row> comparisons = spark.range(0, params.comparisons(), 1, parts).map((MapFunction<Long, Row>) c -> {
      long[] x = model.comparison(c);
      int prompt = (int) x[1];
      int a = (int) x[2];
      int b = (int) x[3];
      String choice = x[4] == 0 ? "a" : x[4] == 1 ? "b" : "tie";
      return RowFactory.create(dataset, "c" + c, String.valueOf(x[0]), SynthModel.comparisonPromptId(prompt),
          model.comparisonPromptText(prompt), SynthModel.responseId(prompt, a), model.responseText(prompt, a),
          SynthModel.responseId(prompt, b), model.responseText(prompt, b), choice, "overall", null, null, null,
          "synth");
    }, Encoders.row(spec("input.comparisons").schema()));
    writes.add(tables.replace(run, spec("input.comparisons"), comparisons, List.of(dataset)));

    int k = params.comparisonPrompts();
    int promptParts = Math.max(1, Math.min(parallelism, k / 10_000 + 1));
    Dataset<Long> promptIds = spark.range(0, k, 1, promptParts);
    Dataset<Row> prompts = promptIds.map((MapFunction<Long, Row>) pr -> RowFactory.create(dataset,
        SynthModel.comparisonPromptId(pr.intValue()), model.comparisonPromptText(pr.intValue()), "synth-comparisons"),
        Encoders.row(spec("input.prompts").schema()));
    writes.add(tables.replace(run, spec("input.prompts"), prompts, List.of(dataset)));
    Dataset<Row> responses = promptIds.flatMap((FlatMapFunction<Long, Row>) pr -> {
      List<Row> out = new ArrayList<>();
      for (int r = 0; r < params.responsesPerPrompt(); r++) {
        out.add(RowFactory.create(dataset, SynthModel.comparisonPromptId(pr.intValue()),
            SynthModel.responseId(pr.intValue(), r), model.responseText(pr.intValue(), r), "synth-policy-" + (r % 3)));
      }
      return out.iterator();
    }, Encoders.row(spec("input.responses").schema()));
    writes.add(tables.replace(run, spec("input.responses"), responses, List.of(dataset)));
    Dataset<Row> strengths = promptIds.flatMap((FlatMapFunction<Long, Row>) pr -> {
      List<Row> out = new ArrayList<>();
      int p = pr.intValue();
      for (int r = 0; r < params.responsesPerPrompt(); r++) {
        for (int g = 0; g < params.groups(); g++) {
          out.add(RowFactory.create(dataset, SynthModel.comparisonPromptId(p), SynthModel.responseId(p, r), g,
              model.strength(p, r, g)));
        }
        out.add(RowFactory.create(dataset, SynthModel.comparisonPromptId(p), SynthModel.responseId(p, r), -1,
            model.populationStrength(p, r)));
      }
      return out.iterator();
    }, Encoders.row(spec("truth.item_strengths").schema()));
    writes.add(tables.replace(run, spec("truth.item_strengths"), strengths, List.of(dataset)));
  }

  private static void writePrompts(ChorusTables tables, RunContext run, SynthModel model, List<WriteResult> writes,
      int parallelism) {
    SparkSession spark = tables.spark();
    SynthParams params = model.params();
    String dataset = params.promptDatasetId();
    int parts = (int) Math.max(parallelism, Math.min(10_000, params.prompts() / 200_000 + 1));
    Dataset<Long> ids = spark.range(0, params.prompts(), 1, parts);
    Dataset<Row> prompts = ids.map((MapFunction<Long, Row>) i -> RowFactory.create(dataset, "q" + i,
        model.promptText(i), "synth-corpus"), Encoders.row(spec("input.prompts").schema()));
    writes.add(tables.replace(run, spec("input.prompts"), prompts, List.of(dataset)));
    Dataset<Row> labels = ids.map((MapFunction<Long, Row>) i -> {
      long o = model.originalOf(i);
      return RowFactory.create(dataset, "q" + i, model.topicOf(i), o < 0 ? null : "q" + o, model.editOf(i));
    }, Encoders.row(spec("truth.prompt_labels").schema()));
    writes.add(tables.replace(run, spec("truth.prompt_labels"), labels, List.of(dataset)));
  }

  /** The conversation as a Polis export: comments.csv (newer layout), votes.csv, summary.csv. */
  public static void exportPolis(Dataset<Row> allVotes, Dataset<Row> statements, String conv, String dir) {
    SparkSession spark = allVotes.sparkSession();
    Dataset<Row> votes = allVotes.filter(col("conversation_id").equalTo(conv));
    Dataset<Row> counts = votes.groupBy("statement_id").agg(
        sum(when(col("vote").equalTo(1), 1).otherwise(0)).as("agrees"),
        sum(when(col("vote").equalTo(-1), 1).otherwise(0)).as("disagrees"));
    Dataset<Row> comments = statements.filter(col("conversation_id").equalTo(conv))
        .join(counts, new String[] {"statement_id"}, "left")
        .select(org.apache.spark.sql.functions.unix_millis(col("created_at")).as("timestamp"), col("statement_id").as("comment-id"),
            col("author_id").as("author-id"), org.apache.spark.sql.functions.coalesce(col("agrees"), lit(0)).as("agrees"),
            org.apache.spark.sql.functions.coalesce(col("disagrees"), lit(0)).as("disagrees"), col("moderated"),
            col("is_meta").as("is-meta"), col("is_seed").as("is-seed"), col("text").as("comment-body"))
        .orderBy("comment-id");
    writeSingleCsv(comments, dir, "comments.csv");
    Dataset<Row> voteRows = votes.select(
        org.apache.spark.sql.functions.unix_millis(col("voted_at")).as("timestamp"), col("statement_id").as("comment-id"),
        col("participant_id").cast("long").as("voter-id"), col("vote"));
    writeSingleCsv(voteRows, dir, "votes.csv");
    // summary.csv has no header line in Polis exports: key,value rows only
    writeSummary(spark, dir, conv);
  }

  private static void writeSummary(SparkSession spark, String dir, String conv) {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    try {
      Path p = new Path(dir, "summary.csv");
      FileSystem fs = p.getFileSystem(conf);
      try (var out = fs.create(p, true)) {
        out.write(("topic,Synthetic deliberation " + conv + "\nurl,synthetic\n").getBytes(
            java.nio.charset.StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + dir + "/summary.csv: " + e.getMessage(), e);
    }
  }

  /** Writes a DataFrame as one CSV file with a header (RFC 4180 quoting), via a temporary Spark output dir. */
  static void writeSingleCsv(Dataset<Row> df, String dir, String name) {
    Configuration conf = df.sparkSession().sparkContext().hadoopConfiguration();
    Path tmp = new Path(dir, "_tmp_" + name);
    df.coalesce(1).write().mode(SaveMode.Overwrite).option("header", true).option("quote", "\"")
        .option("escape", "\"").option("quoteAll", false).csv(tmp.toString());
    try {
      FileSystem fs = tmp.getFileSystem(conf);
      FileStatus[] parts = fs.globStatus(new Path(tmp, "part-*"));
      Path target = new Path(dir, name);
      fs.delete(target, false);
      if (parts == null || parts.length != 1) {
        throw new IllegalStateException("expected one part file under " + tmp);
      }
      fs.rename(parts[0].getPath(), target);
      fs.delete(tmp, true);
      fs.delete(new Path(dir, "." + name + ".crc"), false); // local checksum file, not part of an export
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + dir + "/" + name + ": " + e.getMessage(), e);
    }
  }

  private static TableSpec spec(String name) {
    return TableSchemas.spec(name);
  }
}
