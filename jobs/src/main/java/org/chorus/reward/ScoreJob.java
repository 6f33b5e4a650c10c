package org.chorus.reward;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.chorus.core.ChorusException;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSpec;
import org.chorus.core.tables.Tables;
import org.chorus.core.tables.Where;
import org.chorus.core.tables.WriteResult;

/**
 * {@code chorus score}: every (prompt, response) of a dataset scored by a reward model on the executors, in batches
 * ({@link Scoring}), into derived.rm_scores.
 */
public final class ScoreJob implements Job<ScoreJob.Options, ScoreJob.Result> {
  /**
   * @param device auto (the GPU Spark assigned the task, else CPU), cpu or gpu
   * @param maxLength tokens per (prompt, response) for TorchScript models with a tokenizer.json
   */
  public record Options(String model, String dataset, String device, int batchSize, int maxLength)
      implements JobOptions {
    /** Device auto, batches of 256, 512 tokens. */
    public static Options of(String model, String dataset) {
      return new Options(model, dataset, "auto", 256, 512);
    }

    public Options withDevice(String d) {
      return new Options(model, dataset, d, batchSize, maxLength);
    }

    public Options withBatchSize(int n) {
      return new Options(model, dataset, device, n, maxLength);
    }

    public Options withMaxLength(int n) {
      return new Options(model, dataset, device, batchSize, n);
    }

    @Override
    public String scope() {
      return dataset;
    }

    @Override
    public List<String> problems() {
      return new Checks().path(model, "--model").id(dataset, "--dataset")
          .oneOf(device, List.of("auto", "cpu", "gpu"), "--device")
          .atLeast(batchSize, 1, "--batch-size").atLeast(maxLength, 1, "--max-length").problems();
    }
  }

  public record Result(String dataset, String modelId, long responses, WriteResult write, double seconds)
      implements JobResult {
    @Override
    public List<WriteResult> writes() {
      return List.of(write);
    }

    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("model_id", modelId);
      f.put("responses", responses);
      f.put("rows_per_second", responses / seconds);
      return f;
    }

    @Override
    public void print(PrintStream out) {
      out.printf("score %s with model %s: %,d responses in %.1f s (%,.0f rows/s)%n", dataset, modelId, responses,
          seconds, responses / seconds);
      out.println("  " + write);
    }
  }

  @Override
  public String name() {
    return "score";
  }

  @Override
  public Result run(JobContext job, Options o) {
    ChorusTables tables = job.tables();
    String modelDir = o.model();
    String dataset = o.dataset();
    String device = o.device();
    int batchSize = o.batchSize();
    int maxLength = o.maxLength();
    SparkSession spark = tables.spark();
    RunContext run = job.run();
    ScoreSource source = ScoreSource.of(modelDir, JavaSparkContext.fromSparkContext(spark.sparkContext()), maxLength);
    run.recordSource(modelDir);
    run.recordParameter("model_id", source.modelId());
    long t0 = System.nanoTime();
    Dataset<Row> responses = tables.read(run, "input.responses").filter(col("dataset_id").equalTo(dataset))
        .select("prompt_id", "response_id", "text");
    if (responses.limit(1).isEmpty()) {
      throw ChorusException.badInput("dataset '%s' has no rows in input.responses", dataset);
    }
    if (tables.exists("input.prompts")) {
      Dataset<Row> prompts = tables.read(run, "input.prompts").filter(col("dataset_id").equalTo(dataset))
          .select(col("prompt_id"), col("text").as("prompt"));
      responses = responses.join(prompts, new String[] {"prompt_id"}, "left");
    } else {
      responses = responses.withColumn("prompt", org.apache.spark.sql.functions.lit(null).cast("string"));
    }
    responses = responses.select("prompt_id", "response_id", "text", "prompt");
    String id = source.modelId();
    JavaRDD<Row> scored = responses.javaRDD().mapPartitions(rows -> Scoring.scorePartition(rows, source, device,
        batchSize, r -> List.<String[]>of(new String[] {r.getString(3), r.getString(2)}),
        (r, s) -> RowFactory.create(dataset, id, r.getString(0), r.getString(1), s[0])));
    WriteResult w = tables.replaceWhere(run, Tables.RM_SCORES, spark.createDataFrame(scored, Tables.RM_SCORES.schema()),
        Where.of("dataset_id", dataset).and("model_id", id));
    source.release();
    return new Result(dataset, id, w.addedRecords(), w, (System.nanoTime() - t0) / 1e9);
  }
}
