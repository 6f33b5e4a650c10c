package org.chorus.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.CollectionAccumulator;
import org.chorus.core.ChorusException;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.job.Cached;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;
import org.chorus.core.tables.Where;
import org.chorus.records.BadRecord;

/**
 * {@code chorus ingest table}: any input table from JSONL, CSV or Parquet files, converted by the table's schema.
 * Rows with a key already seen earlier in the input are quarantined as duplicates. With {@code --dataset} the rows
 * of that id are replaced; without it, the rows of every id present in the input are.
 */
public final class TableIngest implements Job<TableIngest.Options, IngestReport> {
  public static final List<String> FORMATS = List.of("jsonl", "csv", "parquet");


  /**
   * A file, directory or glob to load into one input table.
   *
   * @param format jsonl, csv or parquet; null: from the first file's name
   * @param scopeId the id the rows belong to (replaces that id's rows); null: the files' own id columns
   */
  public record Options(String table, String input, String format, String scopeId) implements JobOptions {
    public static Options of(String table, String input) {
      return new Options(table, input, null, null);
    }

    public Options withFormat(String f) {
      return new Options(table, input, f, scopeId);
    }

    public Options withScope(String id) {
      return new Options(table, input, format, id);
    }

    /** The id recorded for the run: the given scope, else table:file. */
    @Override
    public String scope() {
      return scopeId != null ? scopeId : table.substring(table.indexOf('.') + 1) + ":" + SourceFiles.name(input);
    }

    @Override
    public List<String> problems() {
      return new Checks().id(table, "--table").path(input, "--input")
          .require(format == null || FORMATS.contains(format), "--format must be one of %s, got '%s'",
              String.join(", ", FORMATS), format)
          .require(scopeId == null || !scopeId.isBlank(), "--dataset must not be empty")
          .problems();
    }
  }

  @Override
  public String name() {
    return "ingest table";
  }

  @Override
  public IngestReport run(JobContext job, Options o) {
    SparkSession spark = job.spark();
    TableSpec spec = target(o.table());
    List<String> files = SourceFiles.expand(o.input(), spark.sparkContext().hadoopConfiguration());
    String fmt = o.format() != null ? o.format() : detectFormat(files.get(0));
    ChorusException.checkUsage(FORMATS.contains(fmt), "--format must be one of %s, got '%s'", FORMATS, fmt);
    String scopeLabel = o.scopeId() != null ? o.scopeId() : spec.shortName() + ":" + SourceFiles.name(o.input());
    RunContext run = job.run();
    files.forEach(run::recordSource);
    IngestConfig limits = IngestConfig.from(job.config());
    QuarantineContext ctx = new QuarantineContext(scopeLabel, run.startedAt().toEpochMilli(), limits.rawMaxChars,
        limits.maxRecordLines, limits.maxRecordBytes);
    CollectionAccumulator<String> ignored = spark.sparkContext().collectionAccumulator("ignored fields");
    try (ParsedFiles parsed = parse(spark, fmt, files, spec, o.scopeId(), ctx, ignored, limits)) {
      Dedupe dedupe = Dedupe.firstByOrder(parsed.rows(TableParsers.ROW, TableParsers.rowsSchema(spec)), "_order",
          spec.keyColumns().toArray(new String[0]));
      try (Cached<Dataset<Row>> rows = Cached.of(dedupe.kept().drop("_order", "_raw"), StorageLevel.MEMORY_AND_DISK())) {
        String sourceName = files.size() == 1 ? SourceFiles.name(files.get(0)) : files.size() + " files";
        Dataset<Row> quarantine = parsed.quarantine().unionByName(dedupe.quarantineRows(ctx, sourceName,
            spec.name()));
        long accepted = rows.get().count();
        long quarantined = parsed.quarantinedTotal() + (parsed.count(TableParsers.ROW) - accepted);
        List<String> ids = o.scopeId() != null ? List.of(o.scopeId())
            : rows.get().select(spec.scopeColumn()).distinct().as(Encoders.STRING()).collectAsList();
        Set<String> ignoredFields = new TreeSet<>(ignored.value());
        IngestReport report = new IngestReport("ingest table " + spec.name(), scopeLabel);
        report.add(new IngestReport.SourceCount(sourceName, spec.name(), accepted + quarantined, accepted,
            quarantined, ignoredFields.isEmpty() ? null : "ignored fields: " + String.join(", ", ignoredFields)));
        WholeInput.check(report, quarantine, limits);
        if (!ids.isEmpty()) {
          report.add(job.replace(spec, rows.get(), ids));
        }
        report.add(job.tables().replaceWhere(run, Quarantine.SPEC, quarantine,
            Where.of("scope", scopeLabel).and("target_table", spec.name())));
        return report;
      }
    }
  }

  /** The input table an ingest may write (not input.quarantine, nothing derived). */
  static TableSpec target(String table) {
    String qualified = table.contains(".") ? table : "input." + table;
    if (!qualified.startsWith("input.") || qualified.equals("input.quarantine")) {
      throw ChorusException.badInput("unknown input table '%s' (ingest table writes: %s)", table, ingestible());
    }
    if (!TableSchemas.all().containsKey(qualified)) {
      throw ChorusException.badInput("unknown table '%s' (ingest table writes: %s)", table, ingestible());
    }
    return TableSchemas.spec(qualified);
  }

  static ParsedFiles parse(SparkSession spark, String fmt, List<String> files, TableSpec spec, String scopeId,
      QuarantineContext ctx, CollectionAccumulator<String> ignored, IngestConfig limits) {
    return switch (fmt) {
      case "jsonl" -> ParsedFiles.parse(spark, files, new TableParsers.Jsonl(ctx, spec, scopeId, files, ignored),
          limits.partitions);
      case "csv" -> {
        CsvHeader header = CsvHeader.read(files.get(0), spark.sparkContext().hadoopConfiguration());
        yield ParsedFiles.parse(spark, files, new TableParsers.Csv(ctx, header, spec, scopeId, files, ignored));
      }
      default -> ParsedFiles.of(spark, parquetOutcomes(spark, files, spec, scopeId, ctx));
    };
  }

  static String detectFormat(String file) {
    String name = SourceFiles.name(file).toLowerCase(Locale.ROOT).replaceAll("\\.(gz|bz2|zst|snappy|lz4|deflate)$", "");
    if (name.endsWith(".jsonl") || name.endsWith(".json") || name.endsWith(".ndjson")) {
      return "jsonl";
    }
    if (name.endsWith(".csv")) {
      return "csv";
    }
    if (name.endsWith(".parquet")) {
      return "parquet";
    }
    throw ChorusException.badInput("cannot tell the format of %s: give --format jsonl|csv|parquet",
        SourceFiles.name(file));
  }

  private static String ingestible() {
    return String.join(", ", TableSchemas.all().keySet().stream()
        .filter(t -> t.startsWith("input.") && !t.equals("input.quarantine")).toList());
  }

  /** The reader's own words for why a Parquet file cannot be read: the first line of the deepest cause. */
  static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return message.split("\n")[0];
  }

  /** A file corrupt past its footer fails while its pages are decoded: a bad input (exit 3), not a crash. */
  private static boolean hasNext(Iterator<String> it) {
    try {
      return it.hasNext();
    } catch (RuntimeException e) {
      throw ChorusException.badInput("unreadable parquet input: %s", rootMessage(e));
    }
  }

  /** Parquet rows are converted through their JSON form, so the same conversion rules apply. */
  private static JavaRDD<Outcome> parquetOutcomes(SparkSession spark, List<String> files, TableSpec spec,
      String scopeId, QuarantineContext ctx) {
    Dataset<Row> df;
    try {
      df = spark.read().parquet(files.toArray(new String[0]));
    } catch (Exception e) {
      throw ChorusException.badInput("unreadable parquet input: %s", rootMessage(e));
    }
    JsonRowConverter converter = new JsonRowConverter(spec, scopeId);
    String source = files.size() == 1 ? files.get(0) : "";
    return df.toJSON().javaRDD().mapPartitionsWithIndex((partition, it) -> {
      ObjectMapper mapper = new ObjectMapper();
      List<Outcome> out = new ArrayList<>();
      long i = 0;
      while (hasNext(it)) {
        String json = it.next();
        long order = ((long) partition << 40) | i++;
        try {
          JsonNode node = mapper.readTree(json);
          Row row = converter.convert((ObjectNode) node).row();
          out.add(new Outcome(TableParsers.ROW, TableParsers.withOrder(row, order, json)));
        } catch (BadRecord e) {
          out.add(Quarantine.outcome(ctx, source, spec.name(), "row " + i, e.getMessage(), json));
        }
      }
      return out.iterator();
    }, false);
  }
}
