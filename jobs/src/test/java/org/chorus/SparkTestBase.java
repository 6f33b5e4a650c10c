package org.chorus;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.chorus.cli.Chorus;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.job.JobRunner;
import org.chorus.core.job.Progress;
import org.chorus.core.spark.SparkSessions;
import org.chorus.core.tables.ChorusTables;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** One SparkSession per test class (local[2], UI off, 2 shuffle partitions) over a fresh warehouse. */
public abstract class SparkTestBase {
  @TempDir
  protected static Path tmp;

  protected static SparkSession spark;
  protected static ChorusConfig config;
  protected static ChorusTables tables;

  @BeforeAll
  static void startSpark() {
    config = ChorusConfig.load(List.of(), List.of("spark.shuffle-partitions=2", "ingest.partitions=2"),
        new ChorusConfig.Overrides(tmp.resolve("warehouse").toString(), "local[2]"));
    spark = SparkSessions.create(config, true);
    tables = new ChorusTables(spark);
  }

  @AfterAll
  static void stopSpark() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
  }

  /** The shared data folder beside the checkout ({@code ../shared/data}). */
  public static Path sharedData() {
    String prop = System.getProperty("chorus.shared.data");
    Path p = prop != null ? Paths.get(prop) : Paths.get("../../shared/data");
    if (!Files.isDirectory(p)) {
      throw new IllegalStateException("shared data not found at " + p.toAbsolutePath()
          + ": tests read ../shared/data beside the checkout");
    }
    return p.toAbsolutePath().normalize();
  }

  /**
   * The JDBC URL of the PostgreSQL that .ci/run starts (CHORUS_TEST_JDBC_URL). Without it the calling test is skipped
   * on a developer machine and fails on CI (CI=true), where it must run.
   */
  public static String testJdbcUrl() {
    String url = System.getenv("CHORUS_TEST_JDBC_URL");
    if (url == null) {
      org.assertj.core.api.Assertions.assertThat(System.getenv("CI"))
          .as("CI must provide CHORUS_TEST_JDBC_URL (see .ci/run)").isNotEqualTo("true");
      org.junit.jupiter.api.Assumptions.abort("CHORUS_TEST_JDBC_URL not set: no PostgreSQL to test against");
    }
    return url;
  }

  /** What one in-process chorus command line printed and returned. */
  public record CliRun(int exitCode, String out, String err) {}

  protected static CliRun chorus(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Chorus.execute(args, spark, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Runs a job as every caller does (validated options, run log), progress to the log file only. */
  protected static <O extends JobOptions, R extends JobResult> R run(Job<O, R> job, O options) {
    return JobRunner.run(job, options, tables, config, null, Progress.log()).result();
  }

  protected static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }
}
