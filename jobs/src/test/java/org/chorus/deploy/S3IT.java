package org.chorus.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.chorus.SparkTestBase;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.spark.SparkSessions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A warehouse and shards on S3: an S3-compatible server (S3Proxy) on loopback, tables in a JDBC catalog on the
 * PostgreSQL that .ci/run starts, table files and shards through S3A. The pipeline from ingest to shards gives what
 * a local run gives, the secret key appears in no output or log line, and {@code ./chorus} reads the credentials
 * from the standard AWS environment variables.
 */
class S3IT {
  @TempDir
  static Path tmp;

  /** The catalog password (PostgreSQL here trusts loopback, so any password is accepted): it must never show. */
  static final String PASSWORD = "catalog-password-" + UUID.randomUUID();

  @Test
  void thePipelineOnS3GivesWhatALocalRunGives() throws Exception {
    String url = SparkTestBase.testJdbcUrl();
    String secret = "s3-secret-" + UUID.randomUUID();
    String catalog = "s3it_" + Long.toHexString(System.currentTimeMillis()); // a catalog of its own in PostgreSQL
    try (S3Server s3 = S3Server.start(tmp.resolve("s3"), secret, "chorus")) {
      Path conf = tmp.resolve("s3.conf");
      Files.writeString(conf, profile(s3, url, catalog, "\"spark.hadoop.fs.s3a.access.key\" = \"" + S3Server.ACCESS_KEY
          + "\"\n    \"spark.hadoop.fs.s3a.secret.key\" = \"" + secret + "\""));
      ChorusConfig config = ChorusConfig.load(List.of(conf), List.of(), new ChorusConfig.Overrides(null, "local[2]"));
      SparkSession spark = SparkSessions.create(config, true);
      try {
        StringBuilder printed = new StringBuilder();
        for (List<String> step : Pipeline.steps("s3a://chorus/shards")) {
          printed.append(Pipeline.run(spark, concat(List.of("--conf", conf.toString()), step)));
        }
        SparkSession local = Pipeline.withWarehouse(spark, "local", tmp.resolve("local-warehouse").toString());
        String localShards = tmp.resolve("local-shards").toString();
        for (List<String> step : Pipeline.steps(localShards)) {
          printed.append(Pipeline.run(local, step));
        }

        Map<Long, Double> onS3 = Pipeline.gic(spark.table("derived.statement_stats"));
        Map<Long, Double> onDisk = Pipeline.gic(local.table("derived.statement_stats"));
        assertThat(onS3.keySet()).isEqualTo(onDisk.keySet()).isNotEmpty();
        onDisk.forEach((s, g) -> assertThat(onS3.get(s)).as("gic of " + s).isCloseTo(g, within(1e-12)));
        assertThat(Pipeline.winners(spark.table("derived.pair_labels")))
            .isEqualTo(Pipeline.winners(local.table("derived.pair_labels"))).isNotEmpty();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Map<String, String> shards = Pipeline.shardFiles("s3a://chorus/shards", hadoop);
        assertThat(shards).isEqualTo(Pipeline.shardFiles(localShards, hadoop)).isNotEmpty();

        // the bytes are in the S3 server's store, not on a local path
        assertThat(s3.blob("chorus", "shards/manifest.json")).exists();
        assertThat(s3.blob("chorus", "shards/" + shards.keySet().iterator().next())).exists();
        assertThat(s3.blob("chorus", "warehouse/input/votes/metadata")).isDirectory();
        assertThat(printed.toString()).doesNotContain(secret).doesNotContain(PASSWORD);
        assertThat(String.join("\n", spark.table("derived.job_runs").toJSON().collectAsList()))
            .as("the run log (options, lineage, results)").contains("ingest polis").doesNotContain(secret)
            .doesNotContain(PASSWORD);
      } finally {
        spark.stop();
      }

      // ./chorus with the credentials in AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY only
      Path envConf = tmp.resolve("s3-env.conf");
      Files.writeString(envConf, profile(s3, url, catalog, ""));
      Path root = Paths.get(System.getProperty("chorus.project.root", "..")).toAbsolutePath().normalize();
      ProcessBuilder b = new ProcessBuilder(root.resolve("chorus").toString(), "--conf", envConf.toString(), "sql",
          "SELECT count(*) AS votes FROM input.votes WHERE conversation_id = 'brexit'").redirectErrorStream(true)
          .redirectOutput(tmp.resolve("launcher.log").toFile());
      b.environment().putAll(Map.of("AWS_ACCESS_KEY_ID", S3Server.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", secret,
          "CHORUS_NO_BUILD", "1", "CHORUS_CDS", "0", "CHORUS_HEAP", "1g",
          "CHORUS_LOG_DIR", tmp.resolve("launcher-logs").toString()));
      Process p = b.start();
      assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
      String out = Files.readString(tmp.resolve("launcher.log"));
      assertThat(p.exitValue()).as(out).isZero();
      assertThat(out).matches("(?s).*votes.*\\b\\d{3,}\\b.*").doesNotContain(secret).doesNotContain(PASSWORD);
      assertThat(Files.readString(tmp.resolve("launcher-logs/chorus.log"))).doesNotContain(secret)
          .doesNotContain(PASSWORD);
    }
    Path log = Paths.get(System.getProperty("chorus.log.dir", "logs"), "chorus.log");
    assertThat(Files.readString(log)).as("the secret key in chorus.log").doesNotContain(secret)
        .doesNotContain(PASSWORD);
  }

  static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The profile a user writes for S3 (see docs/cluster.md), pointed at the loopback server. */
  private static String profile(S3Server s3, String jdbcUrl, String catalog, String credentials) {
    return String.join("\n",
        "chorus {",
        "  warehouse = \"s3a://chorus/warehouse\"",
        "  catalog { type = jdbc, name = " + catalog + ", uri = \"" + jdbcUrl + "\", user = postgres, password = \""
            + PASSWORD + "\" }",
        "  spark.shuffle-partitions = 2",
        "  ingest.partitions = 2",
        "  spark.conf {",
        "    \"spark.hadoop.fs.s3a.endpoint\" = \"" + s3.endpoint() + "\"",
        "    \"spark.hadoop.fs.s3a.endpoint.region\" = \"us-east-1\"",
        "    \"spark.hadoop.fs.s3a.path.style.access\" = \"true\"",
        "    " + credentials,
        "  }",
        "}") + "\n";
  }
}
