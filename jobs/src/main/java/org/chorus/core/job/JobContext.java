package org.chorus.core.job;

import java.util.Collection;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSpec;
import org.chorus.core.tables.WriteResult;

/**
 * What a job runs with: the session's tables, this run's {@link RunContext} (job, run id, scope, lineage), the
 * validated config (each capability reads its own section from it) and one progress sink. Reads and writes go
 * through the context so every commit carries the run's lineage.
 */
public final class JobContext {
  private final ChorusTables tables;
  private final RunContext run;
  private final ChorusConfig config;
  private final Progress progress;

  public JobContext(ChorusTables tables, RunContext run, ChorusConfig config, Progress progress) {
    this.tables = tables;
    this.run = run;
    this.config = config;
    this.progress = progress;
  }

  public ChorusTables tables() {
    return tables;
  }

  public SparkSession spark() {
    return tables.spark();
  }

  public RunContext run() {
    return run;
  }

  public ChorusConfig config() {
    return config;
  }

  public Progress progress() {
    return progress;
  }

  /** A table at its current snapshot, recorded as lineage of this run. */
  public Dataset<Row> read(String table) {
    return tables.read(run, table);
  }

  /** Replaces the rows of {@code ids} in one atomic commit carrying this run's lineage. */
  public WriteResult replace(TableSpec spec, Dataset<Row> rows, Collection<String> ids) {
    return tables.replace(run, spec, rows, ids);
  }
}
