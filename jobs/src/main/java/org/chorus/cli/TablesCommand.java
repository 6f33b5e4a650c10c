package org.chorus.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.chorus.core.tables.ChorusTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chorus tables}: every table with its row count, current snapshot and what produced it (lineage). With
 * {@code --maintain}, the warehouse's upkeep a scheduler runs daily: finish runs killed while publishing, expire
 * snapshots older than the retention (keeping the last few for time travel), and delete orphan files (those of
 * killed runs, and staged writes never published) older than the same age.
 */
@Command(name = "tables", description = "List tables with row counts, snapshot ids and lineage; --maintain: "
    + "expire old snapshots and remove orphan files.")
final class TablesCommand extends BaseCommand {
  static final StructType SCHEMA = new StructType()
      .add("table", DataTypes.StringType)
      .add("rows", DataTypes.LongType)
      .add("snapshot_id", DataTypes.LongType)
      .add("committed_at", DataTypes.StringType)
      .add("job", DataTypes.StringType)
      .add("scope", DataTypes.StringType)
      .add("run_id", DataTypes.StringType)
      .add("reads", DataTypes.StringType)
      .add("sources", DataTypes.StringType);

  @Option(names = "--format", description = "csv, json or table (default)")
  OutputFormat format = OutputFormat.table;

  @Option(names = "--maintain", description = "finish killed runs, expire snapshots and remove orphan files older "
      + "than --older-than, then list")
  boolean maintain;

  @Option(names = "--older-than", paramLabel = "DURATION", description = "retention for --maintain, ISO-8601 "
      + "(default P3D: a run may write files for up to 3 days before committing them)")
  String olderThan = "P3D";

  @Option(names = "--retain-last", paramLabel = "N", description = "snapshots each table keeps whatever their age "
      + "(default 5)")
  int retainLast = 5;

  @Override
  public Integer call() {
    if (maintain) {
      maintain();
    }
    print(this);
    return 0;
  }

  private void maintain() {
    java.time.Duration age;
    try {
      age = java.time.Duration.parse(olderThan);
    } catch (java.time.format.DateTimeParseException e) {
      throw org.chorus.core.ChorusException.usage("--older-than must be an ISO-8601 duration such as P3D or PT1H, "
          + "not '%s'", olderThan);
    }
    org.chorus.core.ChorusException.checkUsage(retainLast >= 1, "--retain-last must be at least 1, not %d",
        retainLast);
    ChorusTables tables = tables();
    for (String run : tables.publisher().recover()) {
      err().println("tables: finished publishing run " + run + ", which had been killed half-way");
    }
    long before = System.currentTimeMillis() - age.toMillis();
    if (age.toHours() < 24) {
      err().println("tables: --older-than " + olderThan + " is under a day: files of a job still running may be "
          + "deleted; use it only when no job runs");
    }
    long expired = 0;
    long orphans = 0;
    List<String> names = tables.list();
    for (String name : names) {
      Table t = tables.load(name); // the actions commit through it, so it stays current between them
      expired += SparkActions.get(spark()).expireSnapshots(t).expireOlderThan(before).retainLast(retainLast).execute()
          .deletedDataFilesCount();
      for (String ignored : SparkActions.get(spark()).deleteOrphanFiles(t).olderThan(before).execute()
          .orphanFileLocations()) {
        orphans++;
      }
    }
    err().printf("tables: maintained %d tables: %,d data files of expired snapshots and %,d orphan files deleted "
        + "(older than %s)%n", names.size(), expired, orphans, olderThan);
  }

  /** Prints the table listing with the session and streams of {@code command}. */
  void print(BaseCommand command) {
    ChorusTables tables = command.tables();
    List<Row> rows = new ArrayList<>();
    for (String name : tables.list()) {
      Table t = tables.load(name);
      Snapshot s = t.currentSnapshot();
      if (s == null) {
        rows.add(RowFactory.create(name, 0L, null, null, null, null, null, null, null));
        continue;
      }
      Map<String, String> sum = s.summary();
      rows.add(RowFactory.create(name, Long.parseLong(sum.getOrDefault("total-records", "0")), s.snapshotId(),
          Instant.ofEpochMilli(s.timestampMillis()).toString(), sum.get("chorus.job"), sum.get("chorus.scope"),
          sum.get("chorus.run-id"), sum.get("chorus.reads"), sum.get("chorus.sources")));
    }
    Dataset<Row> df = command.spark().createDataFrame(rows, SCHEMA);
    ResultPrinter.print(df, format, command.out());
  }
}
