package org.chorus.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.chorus.SparkTestBase;
import org.junit.jupiter.api.Test;

/**
 * The cluster jar on a real Spark standalone cluster (a Master and two Workers, separate JVMs on loopback), submitted
 * through spark-submit's own class, gives what local mode gives: the same group-informed consensus to 1e-12, the
 * same aggregation winners, shards with the same bytes. {@code ./chorus --master spark://...} (which ships the jar
 * itself) runs on it too.
 */
class StandaloneClusterIT extends SparkTestBase {
  static final Duration TIMEOUT = Duration.ofMinutes(4);

  @Test
  void theClusterJarOnAStandaloneClusterGivesWhatLocalModeGives() throws Exception {
    Path localShards = tmp.resolve("local-shards");
    for (List<String> args : Pipeline.steps(localShards.toString())) {
      CliRun r = chorus(args.toArray(String[]::new));
      assertThat(r.exitCode()).as(String.join(" ", args) + ": " + r.err()).isZero();
    }

    Path clusterWarehouse = tmp.resolve("cluster-warehouse");
    Path clusterShards = tmp.resolve("cluster-shards");
    try (SparkStandalone cluster = SparkStandalone.start(tmp.resolve("cluster"), 2, "1536m")) {
      List<List<String>> steps = Pipeline.steps(clusterShards.toString());
      for (int i = 0; i < steps.size(); i++) {
        long t0 = System.nanoTime();
        List<String> args = new ArrayList<>(List.of("--warehouse", clusterWarehouse.toString(), "--set",
            "spark.shuffle-partitions=2", "--set", "ingest.partitions=2"));
        args.addAll(steps.get(i));
        if (i == 1) {
          // ./chorus --master spark://... ships the cluster jar itself (spark.jars)
          List<String> cmd = new ArrayList<>(List.of(SparkStandalone.ROOT.resolve("chorus").toString(), "--master",
              cluster.masterUrl()));
          cmd.addAll(args);
          ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true)
              .redirectOutput(tmp.resolve("launcher.log").toFile());
          b.environment().put("CHORUS_NO_BUILD", "1");
          b.environment().put("CHORUS_CDS", "0");
          b.environment().put("CHORUS_HEAP", "1g");
          b.environment().put("CHORUS_LOG_DIR", tmp.resolve("launcher-logs").toString());
          Process p = b.start();
          assertThat(p.waitFor(TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
          assertThat(p.exitValue()).as(Files.readString(tmp.resolve("launcher.log"))).isZero();
        } else {
          SparkStandalone.Result r = cluster.submit("step" + i, List.of("--total-executor-cores", "2"), args, TIMEOUT);
          assertThat(r.exitCode()).as(String.join(" ", args) + "\n" + r.log()).isZero();
        }
        System.out.printf("cluster: %s %.1f s%n", steps.get(i).get(0), (System.nanoTime() - t0) / 1e9);
      }
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("Launching executor \\S+ on worker (\\S+)")
          .matcher(cluster.log("master"));
      java.util.Set<String> workers = new java.util.HashSet<>();
      while (m.find()) {
        workers.add(m.group(1));
      }
      assertThat(workers).as("executors ran on both workers").hasSize(2);
    }

    // group-informed consensus, per statement, to 1e-12
    Map<Long, Double> gicLocal = Pipeline.gic(spark.table("derived.statement_stats"));
    Map<Long, Double> gicCluster = Pipeline.gic(table(clusterWarehouse, "derived", "statement_stats"));
    assertThat(gicCluster.keySet()).isEqualTo(gicLocal.keySet()).isNotEmpty();
    gicLocal.forEach((s, g) -> assertThat(gicCluster.get(s)).as("gic of statement " + s).isCloseTo(g, within(1e-12)));

    // the same winner of every pair under every method
    assertThat(Pipeline.winners(table(clusterWarehouse, "derived", "pair_labels")))
        .isEqualTo(Pipeline.winners(spark.table("derived.pair_labels"))).isNotEmpty();

    // shards: the same files with the same bytes
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    assertThat(Pipeline.shardFiles(clusterShards.toString(), conf))
        .isEqualTo(Pipeline.shardFiles(localShards.toString(), conf)).isNotEmpty();
  }

  /** A table of another warehouse, through a second Hadoop catalog registered in the test's session. */
  private static Dataset<Row> table(Path warehouse, String namespace, String name) {
    spark.conf().set("spark.sql.catalog.other", "org.apache.iceberg.spark.SparkCatalog");
    spark.conf().set("spark.sql.catalog.other.type", "hadoop");
    spark.conf().set("spark.sql.catalog.other.warehouse", warehouse.toString());
    return spark.table("other." + namespace + "." + name);
  }
}
