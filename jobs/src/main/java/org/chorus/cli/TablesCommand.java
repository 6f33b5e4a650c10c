package org.chorus.cli;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.chorus.core.tables.ChorusTables;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus tables}: every table with its row count, current snapshot and what produced it (lineage). */
@Command(name = "tables", description = "List tables with row counts, snapshot ids and lineage.")
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

  @Override
  public Integer call() {
    print(this);
    return 0;
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
