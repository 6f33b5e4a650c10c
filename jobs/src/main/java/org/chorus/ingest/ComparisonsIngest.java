package org.chorus.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.lit;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.job.Cached;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.Where;

/**
 * {@code chorus ingest comparisons}: preference pairs from JSONL (optionally gzipped) into input.comparisons, plus
 * the dataset's distinct prompts and responses into input.prompts and input.responses, replacing that dataset's rows.
 */
public final class ComparisonsIngest implements Job<ComparisonsIngest.Options, IngestReport> {
  static final List<String> TARGETS = List.of("input.comparisons", "input.prompts", "input.responses");


  /**
   * Preference pairs to load.
   *
   * @param originalLabels hidden-context: keep each pair's original HH-RLHF label as a second comparison
   */
  public record Options(String input, String format, String dataset, boolean originalLabels) implements JobOptions {
    public static Options of(String input, String format, String dataset) {
      return new Options(input, format, dataset, false);
    }

    @Override
    public String scope() {
      return dataset;
    }

    @Override
    public List<String> problems() {
      return new Checks().path(input, "--input").id(dataset, "--dataset")
          .oneOf(format, ComparisonParsers.FORMATS, "--format")
          .require(!originalLabels || "hidden-context".equals(format),
              "--original-labels applies to --format hidden-context only")
          .problems();
    }
  }

  @Override
  public String name() {
    return "ingest comparisons";
  }

  @Override
  public IngestReport run(JobContext job, Options o) {
    ChorusTables tables = job.tables();
    IngestConfig ingestConfig = IngestConfig.from(job.config());
    String input = o.input();
    String format = o.format();
    String dataset = o.dataset();
    boolean originalLabels = o.originalLabels();
    SparkSession spark = tables.spark();
    List<String> files = SourceFiles.expand(input, spark.sparkContext().hadoopConfiguration());
    RunContext run = job.run();
    files.forEach(run::recordSource);
    QuarantineContext ctx = new QuarantineContext(dataset, run.startedAt().toEpochMilli(), ingestConfig.rawMaxChars,
        ingestConfig.maxRecordLines, ingestConfig.maxRecordBytes);

    try (ParsedFiles parsed = ParsedFiles.parse(spark, files, new ComparisonParsers.Parser(ctx, format, dataset,
        List.copyOf(files), originalLabels), ingestConfig.partitions)) {
      Dedupe dedupe = Dedupe.firstByOrder(parsed.rows(ComparisonParsers.COMPARISON, ComparisonParsers.ROWS), "_order",
          "comparison_id");
      try (Cached<Dataset<Row>> cached = Cached.of(dedupe.kept().drop("_order", "_raw"),
          StorageLevel.MEMORY_AND_DISK())) {
        Dataset<Row> comparisons = cached.get();
        String sourceName = files.size() == 1 ? SourceFiles.name(files.get(0)) : files.size() + " files";
        Dataset<Row> quarantine = parsed.quarantine().unionByName(dedupe.quarantineRows(ctx, sourceName,
            "input.comparisons"));
        long accepted = comparisons.count();
        long quarantined = parsed.quarantinedTotal() + (parsed.count(ComparisonParsers.COMPARISON) - accepted);
        IngestReport report = new IngestReport("ingest comparisons (" + format + ")", dataset);
        report.add(new IngestReport.SourceCount(sourceName, "input.comparisons", accepted + quarantined, accepted,
            quarantined, originalLabels ? "two per record: label (objective), original_label (data_subset)" : null));
        WholeInput.check(report, quarantine, ingestConfig);
        report.add(tables.replace(run, TableSchemas.input("comparisons"), comparisons, List.of(dataset)));
        report.add(tables.replace(run, TableSchemas.input("prompts"), prompts(comparisons, format), List.of(dataset)));
        report.add(tables.replace(run, TableSchemas.input("responses"), responses(comparisons), List.of(dataset)));
        report.add(tables.replaceWhere(run, Quarantine.SPEC, quarantine,
            Where.of("scope", dataset).andIn("target_table", TARGETS)));
        return report;
      }
    }
  }

  /** Distinct prompts (ids are content hashes or given ids; the first text seen is kept). */
  static Dataset<Row> prompts(Dataset<Row> comparisons, String format) {
    return comparisons.groupBy("dataset_id", "prompt_id")
        .agg(first("prompt").as("text"))
        .withColumn("source", lit("comparisons:" + format));
  }

  /** Distinct responses, both sides of every comparison (the first text seen is kept). */
  static Dataset<Row> responses(Dataset<Row> comparisons) {
    return comparisons.select(col("dataset_id"), col("prompt_id"), col("response_a_id").as("response_id"),
            col("response_a").as("text"))
        .unionByName(comparisons.select(col("dataset_id"), col("prompt_id"), col("response_b_id").as("response_id"),
            col("response_b").as("text")))
        .groupBy("dataset_id", "response_id")
        .agg(first("prompt_id").as("prompt_id"), first("text").as("text"))
        .withColumn("model", lit(null).cast("string"));
  }
}
