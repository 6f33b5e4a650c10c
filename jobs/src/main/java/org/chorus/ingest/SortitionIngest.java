package org.chorus.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.chorus.core.ChorusException;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.Where;

/**
 * {@code chorus ingest sortition}: a volunteer pool and its quotas into input.pool and input.quotas. Only the quota
 * categories (and columns named in {@code --keep-columns}) are kept per person: contact details in the respondents
 * file never enter the warehouse.
 */
public final class SortitionIngest implements Job<SortitionIngest.Options, IngestReport> {
  static final List<String> TARGETS = List.of("input.pool", "input.quotas");


  /**
   * A volunteer pool and its quotas.
   *
   * @param idColumn the person id column; null: a column named id or ending in _id, else the 0-based row number
   * @param keepColumns extra respondent columns kept as attributes
   */
  public record Options(String respondents, String categories, String pool, String idColumn,
      List<String> keepColumns) implements JobOptions {
    public static Options of(String respondents, String categories, String pool) {
      return new Options(respondents, categories, pool, null, List.of());
    }

    public Options withIdColumn(String column) {
      return new Options(respondents, categories, pool, column, keepColumns);
    }

    public Options withKeepColumns(List<String> columns) {
      return new Options(respondents, categories, pool, idColumn, List.copyOf(columns));
    }

    @Override
    public String scope() {
      return pool;
    }

    @Override
    public List<String> problems() {
      return new Checks().path(respondents, "--respondents").path(categories, "--categories").id(pool, "--pool")
          .require(idColumn == null || !idColumn.isBlank(), "--id-column must not be empty").problems();
    }
  }

  @Override
  public String name() {
    return "ingest sortition";
  }

  /** The parsed quotas and pool (cached until the writes are done; closing releases them however the job ends). */
  static final class Parsed implements AutoCloseable {
    ParsedFiles quotaFiles;
    ParsedFiles peopleFiles;
    Dataset<Row> quotas;
    Dataset<Row> members;
    Map<String, Set<String>> features = new LinkedHashMap<>();
    Dataset<Row> quarantine;

    @Override
    public void close() {
      if (quotas != null) {
        quotas.unpersist();
      }
      if (members != null) {
        members.unpersist();
      }
      if (quotaFiles != null) {
        quotaFiles.close();
      }
      if (peopleFiles != null) {
        peopleFiles.close();
      }
    }
  }

  @Override
  public IngestReport run(JobContext job, Options o) {
    Configuration hadoop = job.spark().sparkContext().hadoopConfiguration();
    for (String f : List.of(o.respondents(), o.categories())) {
      if (!SourceFiles.exists(f, hadoop)) {
        throw ChorusException.badInput("input not found: %s", f);
      }
    }
    RunContext run = job.run();
    run.recordSource(o.categories());
    run.recordSource(o.respondents());
    IngestConfig limits = IngestConfig.from(job.config());
    QuarantineContext ctx = new QuarantineContext(o.pool(), run.startedAt().toEpochMilli(), limits.rawMaxChars,
        limits.maxRecordLines, limits.maxRecordBytes);
    IngestReport report = new IngestReport("ingest sortition", o.pool());
    try (Parsed parsed = new Parsed()) {
      parseQuotas(job.spark(), o, ctx, parsed, report);
      parsePool(job.spark(), o, ctx, parsed, report);
      WholeInput.check(report, parsed.quarantine, limits);
      report.add(job.replace(TableSchemas.input("quotas"), parsed.quotas, List.of(o.pool())));
      report.add(job.replace(TableSchemas.input("pool"), parsed.members, List.of(o.pool())));
      report.add(job.tables().replaceWhere(run, Quarantine.SPEC, parsed.quarantine,
          Where.of("scope", o.pool()).andIn("target_table", TARGETS)));
    }
    return report;
  }

  /** The quotas (either layout); a repeated (category, feature) keeps the first row. */
  static void parseQuotas(SparkSession spark, Options o, QuarantineContext ctx, Parsed parsed, IngestReport report) {
    String categories = o.categories();
    CsvHeader quotaHeader = CsvHeader.read(categories, spark.sparkContext().hadoopConfiguration());
    if (!quotaHeader.has("category") && !(quotaHeader.has("feature") && quotaHeader.has("value"))) {
      throw ChorusException.badInput("%s: unknown quota layout (expected %s)", SourceFiles.name(categories),
          String.join(" or ", SortitionParsers.layouts()));
    }
    parsed.quotaFiles = ParsedFiles.parse(spark, List.of(categories),
        new SortitionParsers.Quotas(ctx, quotaHeader, categories, o.pool()));
    Dedupe quotaDedupe = Dedupe.firstByOrder(parsed.quotaFiles.rows(SortitionParsers.QUOTA,
        SortitionParsers.QUOTA_ROWS), "_order", "category", "feature");
    parsed.quotas = quotaDedupe.kept().drop("_order", "_raw").cache();
    List<Row> quotaRows = parsed.quotas.orderBy("category", "feature").collectAsList();
    if (quotaRows.isEmpty()) {
      throw ChorusException.badInput("%s has no usable quota rows", SourceFiles.name(categories));
    }
    for (Row q : quotaRows) {
      parsed.features.computeIfAbsent(q.getString(1), k -> new LinkedHashSet<>()).add(q.getString(2));
    }
    long quotaBad = parsed.quotaFiles.quarantinedTotal()
        + (parsed.quotaFiles.count(SortitionParsers.QUOTA) - quotaRows.size());
    report.add(new IngestReport.SourceCount(SourceFiles.name(categories), "input.quotas", quotaRows.size() + quotaBad,
        quotaRows.size(), quotaBad, parsed.features.size() + " categories"));
    parsed.quarantine = parsed.quotaFiles.quarantine()
        .unionByName(quotaDedupe.quarantineRows(ctx, SourceFiles.name(categories), "input.quotas"));
  }

  /** The respondents: a column per quota category (and --keep-columns), one row per person id. */
  static void parsePool(SparkSession spark, Options o, QuarantineContext ctx, Parsed parsed, IngestReport report) {
    String respondents = o.respondents();
    CsvHeader people = CsvHeader.read(respondents, spark.sparkContext().hadoopConfiguration());
    Map<String, Integer> categoryColumns = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String c : parsed.features.keySet()) {
      int i = people.index(c);
      if (i < 0) {
        missing.add(c);
      } else {
        categoryColumns.put(c, i);
      }
    }
    if (!missing.isEmpty()) {
      throw ChorusException.badInput("%s has no column for quota categor%s %s", SourceFiles.name(respondents),
          missing.size() == 1 ? "y" : "ies", String.join(", ", missing));
    }
    int idColumn = idColumn(people, o.idColumn(), respondents);
    Map<String, Integer> kept = new LinkedHashMap<>();
    for (String k : o.keepColumns()) {
      int i = people.index(k);
      ChorusException.checkUsage(i >= 0, "--keep-columns: %s has no column '%s'", SourceFiles.name(respondents), k);
      kept.put(people.name(i), i);
    }
    parsed.peopleFiles = ParsedFiles.parse(spark, List.of(respondents),
        new SortitionParsers.Respondents(ctx, people, o.pool(), idColumn, categoryColumns, parsed.features, kept));
    Dedupe personDedupe = Dedupe.firstByOrder(parsed.peopleFiles.rows(SortitionParsers.PERSON,
        SortitionParsers.POOL_ROWS), "_order", "person_id");
    parsed.members = personDedupe.kept().drop("_order", "_raw").cache();
    long accepted = parsed.members.count();
    long bad = parsed.peopleFiles.quarantinedTotal() + (parsed.peopleFiles.count(SortitionParsers.PERSON) - accepted);
    report.add(new IngestReport.SourceCount(SourceFiles.name(respondents), "input.pool", accepted + bad, accepted, bad,
        "id: " + (idColumn < 0 ? "row number" : people.name(idColumn)) + "; kept columns: "
            + String.join(", ", categoryColumns.keySet()) + (kept.isEmpty() ? "" : ", "
            + String.join(", ", kept.keySet()))));
    parsed.quarantine = parsed.quarantine.unionByName(parsed.peopleFiles.quarantine())
        .unionByName(personDedupe.quarantineRows(ctx, SourceFiles.name(respondents), "input.pool"));
  }

  /** --id-column, else a column named id or ending in _id, else -1 (the 0-based row number). */
  static int idColumn(CsvHeader header, String given, String file) {
    if (given != null) {
      int i = header.index(given);
      ChorusException.checkUsage(i >= 0, "--id-column: %s has no column '%s'", SourceFiles.name(file), given);
      return i;
    }
    for (int i = 0; i < header.size(); i++) {
      String n = header.name(i).toLowerCase(java.util.Locale.ROOT);
      if (n.equals("id") || n.endsWith("_id")) {
        return i;
      }
    }
    return -1;
  }
}
