package org.chorus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.chorus.SparkTestBase;
import org.chorus.cli.Chorus;
import org.chorus.core.io.TextFiles;

/**
 * The pipeline the deployment tests run wherever Chorus runs (a cluster, S3, HDFS) and the figures they compare with
 * a local run: group-informed consensus per statement, the winner of every pair under every method, and the shard
 * files' sha256.
 */
final class Pipeline {
  private Pipeline() {}

  /** ingest polis (a shared export), ingest comparisons, opinions --groups export, aggregate, shards --out OUT. */
  static List<List<String>> steps(String shardsOut) {
    Path polis = SparkTestBase.sharedData().resolve("polis/brexit-consensus");
    Path pairs = SparkTestBase.sharedData().resolve("preferences/hidden-context/relabeled_hh_rlhf/both/test.jsonl.gz");
    return List.of(
        List.of("ingest", "polis", "--input", polis.toString(), "--conversation", "brexit"),
        List.of("ingest", "comparisons", "--input", pairs.toString(), "--format", "hidden-context", "--dataset", "hc"),
        List.of("opinions", "--conversation", "brexit", "--groups", "export"),
        List.of("aggregate", "--dataset", "hc"),
        List.of("shards", "--dataset", "hc", "--out", shardsOut));
  }

  /** Runs one chorus command line in {@code spark} (its default catalog); returns what it printed, or fails. */
  static String run(SparkSession spark, List<String> args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Chorus.execute(args.toArray(String[]::new), spark, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String printed = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
    assertThat(code).as(String.join(" ", args) + ": " + printed).isZero();
    return printed;
  }

  /** A session sharing {@code spark}'s context whose default catalog is a Hadoop catalog at {@code warehouse}. */
  static SparkSession withWarehouse(SparkSession spark, String name, String warehouse) {
    SparkSession s = spark.newSession();
    s.conf().set("spark.sql.catalog." + name, "org.apache.iceberg.spark.SparkCatalog");
    s.conf().set("spark.sql.catalog." + name + ".type", "hadoop");
    s.conf().set("spark.sql.catalog." + name + ".warehouse", warehouse);
    s.conf().set("spark.sql.defaultCatalog", name);
    return s;
  }

  /** Group-informed consensus of conversation brexit per statement, from derived.statement_stats. */
  static Map<Long, Double> gic(Dataset<Row> stats) {
    Map<Long, Double> out = new TreeMap<>();
    for (Row r : stats.filter("conversation_id = 'brexit' AND gic IS NOT NULL").select("statement_id", "gic")
        .collectAsList()) {
      out.put(r.getLong(0), r.getDouble(1));
    }
    return out;
  }

  /** method|prompt|a|b|winner of every pair of dataset hc, from derived.pair_labels, sorted. */
  static List<String> winners(Dataset<Row> labels) {
    return labels.filter("dataset_id = 'hc'").selectExpr("concat_ws('|', method, prompt_id, item_a, item_b, "
        + "coalesce(winner, 'tie')) AS k").orderBy("k").as(Encoders.STRING()).collectAsList();
  }

  /** The shards' files as their manifest lists them: path -> sha256 (its lineage names each warehouse's snapshots). */
  static Map<String, String> shardFiles(String dir, Configuration conf) throws Exception {
    JsonNode manifest = new ObjectMapper().readTree(TextFiles.read(dir + "/manifest.json", conf));
    Map<String, String> out = new TreeMap<>();
    for (JsonNode f : manifest.path("files")) {
      out.put(f.path("path").asText(), f.path("sha256").asText());
    }
    return out;
  }
}
