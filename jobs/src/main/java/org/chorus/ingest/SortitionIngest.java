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
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.ChorusException;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;

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
      return new Checks().id(respondents, "--respondents").id(categories, "--categories").id(pool, "--pool")
          .require(idColumn == null || !idColumn.isBlank(), "--id-column must not be empty").problems();
    }
  }

  @Override
  public String name() {
    return "ingest sortition";
  }

  @Override
  public IngestReport run(JobContext job, Options o) {
    ChorusTables tables = job.tables();
    IngestConfig ingestConfig = IngestConfig.from(job.config());
    String respondents = o.respondents();
    String categories = o.categories();
    String pool = o.pool();
    String idColumnName = o.idColumn();
    List<String> keepColumns = o.keepColumns();
    SparkSession spark = tables.spark();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    for (String f : List.of(respondents, categories)) {
      if (!SourceFiles.exists(f, hadoop)) {
        throw ChorusException.badInput("input not found: %s", f);
      }
    }
    RunContext run = job.run();
    run.recordSource(categories);
    run.recordSource(respondents);
    QuarantineContext ctx = new QuarantineContext(pool, run.startedAt().toEpochMilli(), ingestConfig.rawMaxChars,
        ingestConfig.maxRecordLines, ingestConfig.maxRecordBytes);
    IngestReport report = new IngestReport("ingest sortition", pool);

    CsvHeader quotaHeader = CsvHeader.read(categories, hadoop);
    if (!quotaHeader.has("category") && !(quotaHeader.has("feature") && quotaHeader.has("value"))) {
      throw ChorusException.badInput("%s: unknown quota layout (expected %s)", SourceFiles.name(categories),
          String.join(" or ", SortitionParsers.layouts()));
    }
    ParsedFiles parsedQuotas = ParsedFiles.parse(spark, List.of(categories),
        new SortitionParsers.Quotas(ctx, quotaHeader, categories, pool));
    Dedupe quotaDedupe = Dedupe.firstByOrder(parsedQuotas.rows(SortitionParsers.QUOTA, SortitionParsers.QUOTA_ROWS),
        "_order", "category", "feature");
    Dataset<Row> quotas = quotaDedupe.kept().drop("_order", "_raw").cache();
    List<Row> quotaRows = quotas.orderBy("category", "feature").collectAsList();
    if (quotaRows.isEmpty()) {
      throw ChorusException.badInput("%s has no usable quota rows", SourceFiles.name(categories));
    }
    Map<String, Set<String>> features = new LinkedHashMap<>();
    for (Row q : quotaRows) {
      features.computeIfAbsent(q.getString(1), k -> new LinkedHashSet<>()).add(q.getString(2));
    }
    long quotaBad = parsedQuotas.quarantinedTotal() + (parsedQuotas.count(SortitionParsers.QUOTA) - quotaRows.size());
    report.add(new IngestReport.SourceCount(SourceFiles.name(categories), "input.quotas", quotaRows.size() + quotaBad,
        quotaRows.size(), quotaBad, features.size() + " categories"));

    CsvHeader people = CsvHeader.read(respondents, hadoop);
    Map<String, Integer> categoryColumns = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (String c : features.keySet()) {
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
    int idColumn = idColumn(people, idColumnName, respondents);
    Map<String, Integer> kept = new LinkedHashMap<>();
    for (String k : keepColumns) {
      int i = people.index(k);
      ChorusException.checkUsage(i >= 0, "--keep-columns: %s has no column '%s'", SourceFiles.name(respondents), k);
      kept.put(people.name(i), i);
    }
    ParsedFiles parsedPeople = ParsedFiles.parse(spark, List.of(respondents),
        new SortitionParsers.Respondents(ctx, people, pool, idColumn, categoryColumns, features, kept));
    Dedupe personDedupe = Dedupe.firstByOrder(parsedPeople.rows(SortitionParsers.PERSON, SortitionParsers.POOL_ROWS),
        "_order", "person_id");
    Dataset<Row> members = personDedupe.kept().drop("_order", "_raw").cache();
    long accepted = members.count();
    long bad = parsedPeople.quarantinedTotal() + (parsedPeople.count(SortitionParsers.PERSON) - accepted);
    report.add(new IngestReport.SourceCount(SourceFiles.name(respondents), "input.pool", accepted + bad, accepted, bad,
        "id: " + (idColumn < 0 ? "row number" : people.name(idColumn)) + "; kept columns: "
            + String.join(", ", categoryColumns.keySet()) + (kept.isEmpty() ? "" : ", " + String.join(", ", kept.keySet()))));

    Dataset<Row> quarantine = parsedQuotas.quarantine()
        .unionByName(quotaDedupe.quarantineRows(ctx, SourceFiles.name(categories), "input.quotas"))
        .unionByName(parsedPeople.quarantine())
        .unionByName(personDedupe.quarantineRows(ctx, SourceFiles.name(respondents), "input.pool"));
    report.add(tables.replace(run, TableSchemas.input("quotas"), quotas, List.of(pool)));
    report.add(tables.replace(run, TableSchemas.input("pool"), members, List.of(pool)));
    report.add(tables.replaceWhere(run, Quarantine.SPEC, quarantine,
        col("scope").equalTo(lit(pool)).and(col("target_table").isin(TARGETS.toArray()))));
    quotas.unpersist();
    members.unpersist();
    parsedQuotas.close();
    parsedPeople.close();
    return report;
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
