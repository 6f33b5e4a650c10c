package org.chorus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.chorus.SparkTestBase;
import org.chorus.cli.Chorus;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.spark.FaultInjection;
import org.chorus.core.spark.SparkSessions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs under task failures: Spark local mode with task retries ({@code local[2,3]}) and the first attempt of one
 * partition of every stage that reads or writes a table failing (FaultInjection). ingest polis, opinions and
 * aggregate give exactly what they give without the faults.
 */
class TaskFailureTest {
  @TempDir
  static Path tmp;
  static SparkSession spark;

  @BeforeAll
  static void start() {
    ChorusConfig config = ChorusConfig.load(List.of(), List.of("spark.shuffle-partitions=2", "ingest.partitions=2"),
        new ChorusConfig.Overrides(tmp.resolve("warehouse").toString(), "local[2,3]"));
    spark = SparkSessions.create(config, true);
  }

  @AfterAll
  static void stop() {
    System.clearProperty(FaultInjection.PROPERTY);
    spark.stop();
  }

  private static void run(String... args) {
    int code = Chorus.execute(args, spark, System.out, System.err);
    assertThat(code).as(String.join(" ", args)).isZero();
  }

  private static void pipeline(String suffix) {
    run("ingest", "polis", "--input", SparkTestBase.sharedData().resolve("polis/brexit-consensus").toString(),
        "--conversation", "brexit" + suffix);
    run("ingest", "comparisons", "--input", SparkTestBase.sharedData().resolve(
        "preferences/hidden-context/relabeled_hh_rlhf/both/test.jsonl.gz").toString(), "--format", "hidden-context",
        "--dataset", "hc" + suffix);
    run("opinions", "--conversation", "brexit" + suffix, "--groups", "export");
    run("aggregate", "--dataset", "hc" + suffix, "--methods", "winrate,bt,borda");
  }

  private static Map<Long, Double> gic(String conversation) {
    Map<Long, Double> out = new TreeMap<>();
    for (Row r : spark.sql("SELECT statement_id, gic FROM derived.statement_stats WHERE conversation_id = ?",
        (Object) new Object[] {conversation}).collectAsList()) {
      out.put(r.getLong(0), r.isNullAt(1) ? Double.NaN : r.getDouble(1));
    }
    return out;
  }

  private static List<String> winners(String dataset) {
    return spark.sql("SELECT concat_ws('|', method, prompt_id, item_a, item_b, coalesce(winner, 'tie')) AS k FROM "
        + "derived.pair_labels WHERE dataset_id = ? ORDER BY k", (Object) new Object[] {dataset})
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
  }

  @Test
  void jobsRetryAFailedTaskAndGiveWhatTheyGiveWithoutFaults() {
    pipeline("");
    System.setProperty(FaultInjection.PROPERTY, "0");
    try {
      pipeline("-faulty");
    } finally {
      System.clearProperty(FaultInjection.PROPERTY);
    }
    System.out.printf("task failures injected and retried: %d%n", FaultInjection.injected());
    assertThat(FaultInjection.injected()).as("faults were injected and retried").isGreaterThan(10);
    Map<Long, Double> clean = gic("brexit");
    Map<Long, Double> faulty = gic("brexit-faulty");
    assertThat(faulty.keySet()).isEqualTo(clean.keySet()).isNotEmpty();
    clean.forEach((s, g) -> assertThat(faulty.get(s)).as("gic of " + s).isCloseTo(g, within(1e-12)));
    assertThat(winners("hc-faulty")).hasSameSizeAs(winners("hc")).isNotEmpty();
    assertThat(winners("hc-faulty").stream().map(w -> w.replace("hc-faulty", "hc")).toList())
        .isEqualTo(winners("hc"));
    assertThat(spark.sql("SELECT count(*) FROM input.votes WHERE conversation_id = 'brexit-faulty'").first()
        .getLong(0)).isEqualTo(spark.sql("SELECT count(*) FROM input.votes WHERE conversation_id = 'brexit'").first()
        .getLong(0));
  }
}
