package org.chorus.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.chorus.SparkTestBase;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.JobRunner;
import org.chorus.core.job.Progress;
import org.chorus.core.spark.SparkSessions;
import org.chorus.core.tables.ChorusTables;
import org.chorus.ingest.IngestReport;
import org.chorus.ingest.SortitionIngest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A JDBC catalog by config alone, against a real PostgreSQL. {@code .ci/run} starts one and sets
 * CHORUS_TEST_JDBC_URL; on a developer machine without it the test is skipped, on CI (CI=true) it must run.
 */
class JdbcCatalogTest {
  @TempDir
  Path tmp;

  @Test
  void tablesLiveInAPostgresCatalog() throws Exception {
    String url = SparkTestBase.testJdbcUrl();
    ChorusConfig config = ChorusConfig.load(List.of(), List.of("catalog.type=jdbc", "catalog.uri=" + url,
        "catalog.user=postgres", "spark.shuffle-partitions=2"),
        new ChorusConfig.Overrides(tmp.resolve("warehouse").toString(), "local[2]"));
    SparkSession spark = SparkSessions.create(config, true);
    try {
      ChorusTables tables = new ChorusTables(spark);
      Path small = SparkTestBase.sharedData().resolve("sortition/example_small_20");
      IngestReport report = JobRunner.run(new SortitionIngest(), SortitionIngest.Options.of(small.resolve("respondents.csv").toString(), small.resolve("categories.csv").toString(), "jdbc-pool"), tables, config, null, Progress.log()).result();
      assertThat(report.totalAccepted()).isEqualTo(204);
      assertThat(spark.sql("SELECT count(*) FROM input.pool WHERE pool_id = 'jdbc-pool'").first().getLong(0))
          .isEqualTo(200);
      assertThat(tables.list()).contains("input.pool", "input.quotas", "input.quarantine");
    } finally {
      spark.stop();
    }
    List<String> registered = new ArrayList<>();
    try (Connection c = DriverManager.getConnection(url, "postgres", "");
        ResultSet rs = c.createStatement().executeQuery(
            "SELECT table_namespace || '.' || table_name FROM iceberg_tables WHERE catalog_name = 'chorus'")) {
      while (rs.next()) {
        registered.add(rs.getString(1));
      }
    }
    assertThat(registered).contains("input.pool", "input.quotas");
  }
}
