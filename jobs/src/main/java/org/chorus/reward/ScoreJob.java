package org.chorus.reward;

import static org.apache.spark.sql.functions.col;

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
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSpec;
import org.chorus.core.tables.WriteResult;

/**
 * {@code chorus score}: every (prompt, response) of a dataset scored by a reward model on the executors, in batches
 * ({@link Scoring}), into derived.rm_scores.
 */
public final class ScoreJob {
  public static final TableSpec SCORES = new TableSpec("derived.rm_scores", new StructType()
      .add("dataset_id", DataTypes.StringType, false)
      .add("model_id", DataTypes.StringType, false)
      .add("prompt_id", DataTypes.StringType, false)
      .add("response_id", DataTypes.StringType, false)
      .add("score", DataTypes.FloatType, false),
      "dataset_id", List.of("dataset_id", "model_id"), List.of("dataset_id", "model_id", "response_id"), Map.of(),
      "A reward model's score of every response of a dataset (higher is preferred).");

  private ScoreJob() {}

  public record Result(String modelId, long responses, WriteResult write, double seconds) {}

  /** @param maxLength tokens per (prompt, response) for TorchScript models with a tokenizer.json */
  public static Result run(ChorusTables tables, String modelDir, String dataset, String device, int batchSize,
      int maxLength) {
    ChorusException.checkUsage(List.of("auto", "cpu", "gpu").contains(device), "--device must be auto, cpu or gpu");
    ChorusException.checkUsage(batchSize > 0, "--batch-size must be positive");
    SparkSession spark = tables.spark();
    RunContext run = new RunContext("score", dataset);
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
    WriteResult w = tables.replaceWhere(run, SCORES, spark.createDataFrame(scored, SCORES.schema()),
        col("dataset_id").equalTo(dataset).and(col("model_id").equalTo(id)));
    source.release();
    return new Result(id, w.addedRecords(), w, (System.nanoTime() - t0) / 1e9);
  }
}
