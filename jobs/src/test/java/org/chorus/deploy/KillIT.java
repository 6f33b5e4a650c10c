package org.chorus.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.spark.sql.SparkSession;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.spark.FaultInjection;
import org.chorus.core.spark.SparkSessions;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.Publisher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Killed at any moment: a chain of ingest polis, opinions, aggregate and shards runs in its own JVM, which is killed
 * with SIGKILL at several points (while each job has staged its writes, while shards stages its directory) and halted
 * half-way through publishing a run's tables. After each kill every table is at its previous complete run or its next
 * one, never between, the shards directory is the previous or the new complete version, and a rerun to completion
 * gives what an uninterrupted run gives. Orphan files of the killed runs are removed by {@code tables --maintain}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillIT {
  @TempDir
  static Path tmp;
  static SparkSession spark;
  static String warehouse;
  static Path v1;
  static Path v2;
  static Path shards;
  static String v1Votes;
  static Map<Long, Double> v1Gic;
  static final List<String> INPUTS = List.of("input.statements", "input.votes", "input.participants",
      "input.conversations", "input.quarantine");
  static final List<String> OPINIONS = List.of("derived.participant_groups", "derived.statement_stats",
      "derived.group_repness");

  @BeforeAll
  static void setUp() throws IOException {
    warehouse = tmp.resolve("warehouse").toString();
    ChorusConfig config = ChorusConfig.load(List.of(), List.of("spark.shuffle-partitions=2", "ingest.partitions=2"),
        new ChorusConfig.Overrides(warehouse, "local[2]"));
    spark = SparkSessions.create(config, true);
    // other processes commit to this warehouse: never serve a cached table
    spark.conf().set("spark.sql.catalog." + spark.conf().get("spark.sql.defaultCatalog") + ".cache-enabled", "false");
    v1 = tmp.resolve("export-v1");
    v2 = tmp.resolve("export-v2");
    shards = tmp.resolve("shards");
    Pipeline.run(spark, List.of("synth", "--participants", "1500", "--statements", "120", "--votes-per-participant",
        "40", "--comparisons", "0", "--prompts", "0", "--seed", "3", "--conversation", "syn", "--export-polis",
        v1.toString()));
    // version 2 of the export: 20 statements withdrawn from comments.csv
    Files.createDirectories(v2);
    try (Stream<Path> files = Files.list(v1)) {
      for (Path f : files.toList()) {
        Files.copy(f, v2.resolve(f.getFileName()));
      }
    }
    List<String> comments = Files.readAllLines(v2.resolve("comments.csv"));
    Files.write(v2.resolve("comments.csv"), comments.subList(0, comments.size() - 20));
    Path pairs = org.chorus.SparkTestBase.sharedData().resolve(
        "preferences/hidden-context/relabeled_hh_rlhf/both/test.jsonl.gz");
    Pipeline.run(spark, List.of("ingest", "comparisons", "--input", pairs.toString(), "--format", "hidden-context",
        "--dataset", "hc"));
    // the previous complete state of conversation k (v1), and uninterrupted references of v2 under other ids
    Pipeline.run(spark, chain(v1).get(0));
    Pipeline.run(spark, List.of("opinions", "--conversation", "k"));
    Pipeline.run(spark, List.of("aggregate", "--dataset", "hc"));
    Pipeline.run(spark, List.of("shards", "--dataset", "hc", "--out", shards.toString()));
    v1Votes = votesFingerprint("k");
    v1Gic = gic("k");
    Pipeline.run(spark, List.of("ingest", "polis", "--input", v2.toString(), "--conversation", "ref"));
  }

  static String votesFingerprint(String conversation) {
    return spark.sql("SELECT count(*), sum(hash(participant_id, statement_id, vote, voted_at)) FROM input.votes "
        + "WHERE conversation_id = '" + conversation + "'").first().toString();
  }

  @AfterAll
  static void tearDown() {
    System.clearProperty(Publisher.LEASE_PROPERTY);
    spark.stop();
  }

  static List<List<String>> chain(Path export) {
    return List.of(
        List.of("ingest", "polis", "--input", export.toString(), "--conversation", "k"),
        List.of("opinions", "--conversation", "k"),
        List.of("aggregate", "--dataset", "hc"),
        List.of("shards", "--dataset", "hc", "--out", shards.toString()));
  }

  /** Starts the chain in a JVM of its own (the test's class path and JVM options). */
  static Process start(List<List<String>> commands, String... jvmOptions) throws IOException {
    return CommandChain.start(tmp.resolve("chain.log"), warehouse, List.of(), commands, jvmOptions);
  }

  static ChorusTables tables() {
    return new ChorusTables(spark);
  }

  static Map<String, Long> current(List<String> names) {
    Map<String, Long> out = new LinkedHashMap<>();
    for (String t : names) {
      Snapshot s = tables().load(t).currentSnapshot();
      out.put(t, s == null ? -1L : s.snapshotId());
    }
    return out;
  }

  static long count(String sql) {
    return spark.sql(sql).first().getLong(0);
  }

  /** The run ids that completed (their run-log row or completion mark). */
  static Set<String> completedRuns() {
    Set<String> done = new HashSet<>();
    for (Snapshot s : tables().load(Publisher.RUN_LOG).snapshots()) {
      if (Publisher.COMPLETE.equals(s.summary().get(Publisher.STATE))) {
        done.add(s.summary().get("chorus.run-id"));
      }
    }
    return done;
  }

  /** Every table in {@code names} is at its snapshot in {@code before}, or all were published by one complete run. */
  static void assertPreviousOrNextComplete(Map<String, Long> before, List<String> names) {
    Map<String, Long> now = current(names);
    if (now.equals(before)) {
      return;
    }
    Set<String> runs = new HashSet<>();
    for (String t : names) {
      runs.add(tables().load(t).currentSnapshot().summary().get("chorus.run-id"));
    }
    assertThat(runs).as("tables %s after a kill: %s (before %s)", names, now, before).hasSize(1);
    assertThat(completedRuns()).containsAll(runs);
    for (String t : names) {
      assertThat(now.get(t)).as(t).isNotEqualTo(before.get(t));
    }
  }

  /** Votes of k hold no duplicate (participant, statement), and are v1's or v2's exactly. */
  static void assertVotesWhole() {
    assertThat(count("SELECT count(*) FROM (SELECT participant_id, statement_id FROM input.votes WHERE "
        + "conversation_id = 'k' GROUP BY 1, 2 HAVING count(*) > 1)")).isZero();
    long k = count("SELECT count(*) FROM input.statements WHERE conversation_id = 'k'");
    long ref = count("SELECT count(*) FROM input.statements WHERE conversation_id = 'ref'");
    assertThat(k).isIn(ref, ref + 20);
  }

  /** The shards directory is one complete version: its manifest names files that all exist with that sha256. */
  static void assertShardsWhole() throws Exception {
    Map<String, String> files = Pipeline.shardFiles(shards.toString(), spark.sparkContext().hadoopConfiguration());
    assertThat(files).isNotEmpty();
    for (Map.Entry<String, String> f : files.entrySet()) {
      byte[] bytes = Files.readAllBytes(shards.resolve(f.getKey()));
      String sha = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(bytes));
      assertThat(sha).as(f.getKey()).isEqualTo(f.getValue());
    }
  }

  static void awaitThenKill(Process p, String what, BooleanSupplier event) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (!event.getAsBoolean()) {
      assertThat(p.isAlive()).as("the chain ended before " + what + ": " + tail()).isTrue();
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
    p.destroyForcibly(); // SIGKILL
    assertThat(p.waitFor(1, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(what).isEqualTo(137);
  }

  /** True once {@code table} holds a staged (not yet published) snapshot that was not there before. */
  static BooleanSupplier staged(String table) {
    Set<Long> before = stagedSnapshots(table);
    return () -> !before.containsAll(stagedSnapshots(table));
  }

  static Set<Long> stagedSnapshots(String table) {
    Set<Long> out = new HashSet<>();
    Table t = tables().load(table);
    for (Snapshot s : t.snapshots()) {
      if (s.summary().containsKey("wap.id")) {
        out.add(s.snapshotId());
      }
    }
    return out;
  }

  static String tail() {
    return CommandChain.tail(tmp.resolve("chain.log"));
  }

  @Test
  @Order(1)
  void aRunHaltedBetweenItsTableCommitsIsFinishedByTheNextProcess() throws Exception {
    Map<String, Long> before = current(INPUTS);
    Process p = start(List.of(chain(v2).get(0)), "-D" + FaultInjection.HALT_AFTER_PUBLISH + "=2");
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(tail()).isEqualTo(137);
    // the raw tables are half published: statements and votes are the new run's, the rest the old
    Map<String, Long> now = current(INPUTS);
    assertThat(now.get("input.statements")).isNotEqualTo(before.get("input.statements"));
    assertThat(now.get("input.votes")).isNotEqualTo(before.get("input.votes"));
    assertThat(now.get("input.participants")).isEqualTo(before.get("input.participants"));
    assertThat(now.get("input.quarantine")).isEqualTo(before.get("input.quarantine"));

    // the next chorus process finishes the run before it reads (the dead run's lease is over)
    System.setProperty(Publisher.LEASE_PROPERTY, "0");
    String printed = Pipeline.run(spark, List.of("sql", "SELECT count(*) AS n FROM input.participants WHERE "
        + "scope = 'k'"));
    assertThat(printed).contains(String.valueOf(count("SELECT count(*) FROM input.participants WHERE "
        + "scope = 'ref'")));
    assertPreviousOrNextComplete(before, INPUTS);
    for (String t : List.of("input.statements", "input.votes", "input.participants")) {
      String cols = t.equals("input.votes") ? "participant_id, statement_id, vote, voted_at"
          : t.equals("input.statements") ? "statement_id, text, author_id" : "participant_id";
      String scope = t.equals("input.participants") ? "scope" : "conversation_id";
      assertThat(count("SELECT count(*) FROM (SELECT " + cols + " FROM " + t + " WHERE " + scope + " = 'k' EXCEPT "
          + "SELECT " + cols + " FROM " + t + " WHERE " + scope + " = 'ref')")).as(t).isZero();
      assertThat(count("SELECT count(*) FROM " + t + " WHERE " + scope + " = 'k'")).as(t)
          .isEqualTo(count("SELECT count(*) FROM " + t + " WHERE " + scope + " = 'ref'"));
    }
  }

  @Test
  @Order(2)
  void killedAtAnyMomentEveryTableIsAtItsPreviousOrNextCompleteRun() throws Exception {
    System.setProperty(Publisher.LEASE_PROPERTY, "0");
    // the tables hold v2 (the test before): each killed chain goes back to v1
    // each kill point, armed just before its job starts (in a JVM of its own: the chain from that job on)
    Map<String, Supplier<BooleanSupplier>> kills = new LinkedHashMap<>();
    kills.put("ingest polis has staged its tables", () -> staged("input.votes"));
    kills.put("opinions has staged its tables", () -> staged("derived.statement_stats"));
    kills.put("aggregate has staged its tables", () -> staged("derived.pair_labels"));
    kills.put("shards is writing its staging directory", () -> () -> {
      try (Stream<Path> s = Files.list(tmp)) {
        return s.anyMatch(f -> f.getFileName().toString().startsWith(".shards.staging-"));
      } catch (IOException e) {
        return false;
      }
    });
    int job = 0;
    for (Map.Entry<String, Supplier<BooleanSupplier>> kill : kills.entrySet()) {
      Map<String, Long> inputs = current(INPUTS);
      Map<String, Long> opinions = current(OPINIONS);
      Map<String, Long> labels = current(List.of("derived.item_scores", "derived.pair_labels",
          "derived.method_comparison"));
      BooleanSupplier event = kill.getValue().get();
      Process p = start(chain(v1).subList(job++, 4));
      awaitThenKill(p, kill.getKey(), event);
      tables().publisher().recover();
      assertPreviousOrNextComplete(inputs, INPUTS);
      assertPreviousOrNextComplete(opinions, OPINIONS);
      assertPreviousOrNextComplete(labels, List.of("derived.item_scores", "derived.pair_labels",
          "derived.method_comparison"));
      assertVotesWhole();
      assertShardsWhole();
    }

    // a rerun to completion gives what an uninterrupted run gives
    Map<String, String> shardsBefore = Pipeline.shardFiles(shards.toString(),
        spark.sparkContext().hadoopConfiguration());
    List<String> winnersBefore = Pipeline.winners(spark.table("derived.pair_labels"));
    Process p = start(chain(v1));
    assertThat(p.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p.exitValue()).as(tail()).isZero();
    assertThat(votesFingerprint("k")).isEqualTo(v1Votes);
    Map<Long, Double> gicK = gic("k");
    assertThat(gicK).hasSameSizeAs(v1Gic).isNotEmpty();
    v1Gic.forEach((s, g) -> assertThat(gicK.get(s)).as("gic of %d", s).isCloseTo(g, within(1e-12)));
    assertThat(Pipeline.winners(spark.table("derived.pair_labels"))).isEqualTo(winnersBefore);
    assertThat(Pipeline.shardFiles(shards.toString(), spark.sparkContext().hadoopConfiguration()))
        .isEqualTo(shardsBefore);

    // the killed runs' files (staged, never published) are orphans; maintenance removes them, tables unchanged
    long votes = count("SELECT count(*) FROM input.votes");
    String printed = Pipeline.run(spark, List.of("tables", "--maintain", "--older-than", "PT0S"));
    assertThat(printed).containsPattern("[1-9][0-9,]* orphan files deleted|[1-9][0-9,]* data files of expired");
    assertThat(count("SELECT count(*) FROM input.votes")).isEqualTo(votes);
    assertVotesWhole();
  }

  static Map<Long, Double> gic(String conversation) {
    Map<Long, Double> out = new java.util.TreeMap<>();
    for (var r : spark.sql("SELECT statement_id, gic FROM derived.statement_stats WHERE conversation_id = '"
        + conversation + "' AND gic IS NOT NULL").collectAsList()) {
      out.put(r.getLong(0), r.getDouble(1));
    }
    return out;
  }
}
