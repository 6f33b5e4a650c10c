package org.chorus.ingest;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.chorus.core.ChorusException;

/**
 * An input rejected as a whole is an error, not a success: checked after parsing and before any commit, so such a
 * run exits 3 with one line and changes no table. A source whose every record was quarantined names the most common
 * reason (a missing --dataset, a wrong --format, a file of another layout); an input with no record at all would
 * replace a dataset with nothing, which needs {@code --set ingest.allow-empty=true}. A partial rejection is not an
 * error: the report prints the share quarantined.
 */
final class WholeInput {
  private static final int MAX_REASON = 160;

  private WholeInput() {}

  static void check(IngestReport report, Dataset<Row> quarantine, IngestConfig config) {
    if (report.totalRead() == 0) {
      ChorusException.checkInput(config.allowEmpty, "%s %s: the input holds no records (empty or header only); "
          + "nothing was committed (to replace %s with nothing: --set ingest.allow-empty=true)", report.job(),
          report.scope(), report.scope());
      return;
    }
    for (IngestReport.SourceCount s : report.sources()) {
      if (s.read() > 0 && s.accepted() == 0) {
        List<Row> top = quarantine.filter(col("target_table").equalTo(s.target())).groupBy("reason").count()
            .orderBy(col("count").desc(), col("reason")).limit(1).collectAsList();
        String reason = top.isEmpty() ? "duplicates of earlier records" : top.get(0).getString(0);
        long n = top.isEmpty() ? s.quarantined() : top.get(0).getLong(1);
        throw ChorusException.badInput("%s %s: all %,d records of %s were rejected (%s%s); nothing was committed",
            report.job(), report.scope(), s.read(), s.source(), shorten(reason),
            n == s.read() ? "" : String.format(" in %,d of them", n));
      }
    }
  }

  private static String shorten(String reason) {
    String r = reason.replaceAll("\\s+", " ").trim();
    return r.length() <= MAX_REASON ? r : r.substring(0, MAX_REASON) + "…";
  }
}
