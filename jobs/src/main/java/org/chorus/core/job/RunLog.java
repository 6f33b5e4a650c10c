package org.chorus.core.job;

import static org.apache.spark.sql.functions.col;

import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.Snapshot;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.core.io.SourceStamps;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;
import org.chorus.core.tables.WriteResult;

/**
 * {@code derived.job_runs}: one row per completed run (what it read, what it committed, its JSON result). A scheduler
 * retrying a run under the same {@code --run-id} finds the earlier run here; when neither its options nor its inputs
 * changed since (the tables it read are at the snapshots it read or that it wrote itself, its source files have the
 * same stamps), the retry is a no-op.
 */
public final class RunLog {
  public static final String TABLE = org.chorus.core.tables.Publisher.RUN_LOG;

  /** One completed run. */
  public record Entry(String job, String runId, String scope, String options, Instant startedAt, double seconds,
      Map<String, Long> reads, Map<String, String> sources, Map<String, Long> writes, String result) {}

  private final ChorusTables tables;

  public RunLog(ChorusTables tables) {
    this.tables = tables;
  }

  public static TableSpec spec() {
    return TableSchemas.spec(TABLE);
  }

  /** The latest completed run of {@code job} under {@code runId}, if any. */
  public Optional<Entry> latest(String job, String runId) {
    if (!tables.exists(TABLE)) {
      return Optional.empty();
    }
    List<Row> rows = tables.spark().table(TABLE)
        .filter(col("job").equalTo(job).and(col("run_id").equalTo(runId)))
        .orderBy(col("started_at").desc()).limit(1).collectAsList();
    if (rows.isEmpty()) {
      return Optional.empty();
    }
    Row r = rows.get(0);
    return Optional.of(new Entry(r.getAs("job"), r.getAs("run_id"), r.getAs("scope"), r.getAs("options"),
        r.<Timestamp>getAs("started_at").toInstant(), r.getAs("seconds"), r.getJavaMap(r.fieldIndex("reads")),
        r.getJavaMap(r.fieldIndex("sources")), r.getJavaMap(r.fieldIndex("writes")), r.getAs("result")));
  }

  /**
   * The first input of {@code previous} that is no longer as that run found it ("input.votes is at snapshot N, the
   * run read M"), or empty when every table and source file is unchanged.
   */
  public Optional<String> changedInput(Entry previous, Configuration hadoop) {
    for (Map.Entry<String, Long> read : previous.reads().entrySet()) {
      String table = read.getKey();
      long now = currentSnapshot(table);
      Long written = previous.writes().get(table);
      if (now != read.getValue() && (written == null || now != written)) {
        return Optional.of(String.format("%s is at snapshot %d, the run read %d", table, now, read.getValue()));
      }
    }
    for (Map.Entry<String, String> source : previous.sources().entrySet()) {
      String now = SourceStamps.of(source.getKey(), hadoop);
      if (!now.equals(source.getValue())) {
        return Optional.of("source " + source.getKey() + " changed");
      }
    }
    return Optional.empty();
  }

  private long currentSnapshot(String table) {
    if (!tables.exists(table)) {
      return -1L;
    }
    Snapshot s = tables.load(table).currentSnapshot();
    return s == null ? -1L : s.snapshotId();
  }

  /** Appends the completed run (one small commit carrying the run's own lineage). */
  public WriteResult append(RunContext run, Entry e) {
    Row row = RowFactory.create(e.job(), e.runId(), e.scope(), e.options(), Timestamp.from(e.startedAt()),
        e.seconds(), e.reads(), e.sources(), e.writes(), e.result());
    return tables.append(run, spec(), tables.spark().createDataFrame(List.of(row), spec().schema()));
  }
}
