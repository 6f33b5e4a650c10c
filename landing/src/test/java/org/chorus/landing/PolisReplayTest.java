package org.chorus.landing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared Polis export (vTaiwan Uber, 49,997 votes) replayed through a real broker and landed, against the same
 * export read by {@code chorus ingest polis}: the two conversations' input.votes are identical (every row, both
 * ways), and {@code chorus opinions} on each gives the same group-informed consensus for every statement. The batch
 * side runs the built Spark jobs in their own JVMs ({@code jobs/target}), on the same Hadoop-catalog warehouse.
 */
class PolisReplayTest {
  static final Path EXPORT = Path.of(System.getProperty("chorus.shared.data", "../../shared/data"), "polis",
      "vtaiwan.uberx");

  @TempDir
  Path tmp;

  @Test
  void aReplayedExportLandsAsIngestPolisReadsIt() throws Exception {
    Path warehouse = tmp.resolve("warehouse");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(tmp.resolve("kafka"))) {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
          kafka.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("chorus.votes", 2, (short) 1),
            new NewTopic("chorus.statements", 1, (short) 1), new NewTopic("chorus.comparisons", 1, (short) 1)))
            .all().get();
      }
      long events = PolisReplay.produce(kafka.bootstrapServers(), EXPORT, "replay", "chorus.statements",
          "chorus.votes", 0);
      assertThat(events).isGreaterThan(49_997);
      int rc = Land.run("--bootstrap-servers", kafka.bootstrapServers(), "--warehouse", warehouse.toString(),
          "--interval", "2s", "--statement-wait", "5", "--stop-after-idle", "8");
      assertThat(rc).isZero();
    }
    chorus(warehouse, "ingest", "polis", "--input", EXPORT.toString(), "--conversation", "batch");
    chorus(warehouse, "opinions", "--conversation", "replay");
    chorus(warehouse, "opinions", "--conversation", "batch");
    String votes = "SELECT participant_id, statement_id, vote, voted_at FROM input.votes WHERE conversation_id = ";
    String out = chorus(warehouse, "sql", "--format", "csv", "SELECT "
        + "(SELECT count(*) FROM input.votes WHERE conversation_id = 'replay') AS replay_votes, "
        + "(SELECT count(*) FROM input.votes WHERE conversation_id = 'batch') AS batch_votes, "
        + "(SELECT count(*) FROM (" + votes + "'replay' EXCEPT ALL " + votes + "'batch')) AS only_replay, "
        + "(SELECT count(*) FROM (" + votes + "'batch' EXCEPT ALL " + votes + "'replay')) AS only_batch, "
        + "(SELECT count(*) FROM derived.statement_stats a JOIN derived.statement_stats b "
        + "ON a.statement_id = b.statement_id WHERE a.conversation_id = 'replay' AND b.conversation_id = 'batch') "
        + "AS statements, "
        + "(SELECT count(*) FROM derived.statement_stats a JOIN derived.statement_stats b "
        + "ON a.statement_id = b.statement_id WHERE a.conversation_id = 'replay' AND b.conversation_id = 'batch' "
        + "AND NOT (abs(a.gic - b.gic) <= 1e-12)) AS gic_differs");
    List<String> lines = out.strip().lines().toList();
    System.out.println("replay vs ingest polis: " + lines.get(lines.size() - 2) + " = " + lines.get(lines.size() - 1));
    List<String> header = Arrays.asList(lines.get(lines.size() - 2).split(","));
    List<Long> values = Arrays.stream(lines.get(lines.size() - 1).split(",")).map(String::trim).map(Long::parseLong)
        .toList();
    long replayVotes = values.get(header.indexOf("replay_votes"));
    assertThat(replayVotes).as(out).isGreaterThan(10_000).isEqualTo(values.get(header.indexOf("batch_votes")));
    assertThat(values.get(header.indexOf("only_replay"))).as("rows only the landing has").isZero();
    assertThat(values.get(header.indexOf("only_batch"))).as("rows only ingest polis has").isZero();
    assertThat(values.get(header.indexOf("statements"))).as("statements with statistics").isGreaterThan(50);
    assertThat(values.get(header.indexOf("gic_differs"))).as("statements whose GIC differs").isZero();
  }

  /** A Chorus (Spark) command, from the built jobs jar, in its own JVM; its output. */
  private static String chorus(Path warehouse, String... args) throws Exception {
    Path root = Path.of(System.getProperty("chorus.project.root", ".."));
    Path jar = root.resolve("jobs/target/chorus-jobs.jar");
    Path cp = root.resolve("jobs/target/classpath.txt");
    assertThat(jar).as("the jobs are built before the landing's tests (mvn verify builds modules in order)")
        .exists();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx3g"));
    for (String o : System.getProperty("chorus.jvm.opens", "").trim().split("\\s+")) {
      if (!o.isBlank()) {
        cmd.add(o);
      }
    }
    cmd.add("-Dchorus.log.dir=" + System.getProperty("chorus.log.dir", "logs") + "/jobs");
    cmd.addAll(List.of("-cp", jar + ":" + Files.readString(cp).strip(), "org.chorus.cli.Chorus", "--warehouse",
        warehouse.toString(), "--master", "local[2]"));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(String.join(" ", args) + ": " + out).isZero();
    return out;
  }
}
