package org.chorus.landing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.data.IcebergGenerics;
import org.apache.iceberg.data.Record;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real KRaft broker in this JVM, 100k vote events (1% malformed, 5% sent twice, some re-votes later and some
 * older votes sent late) produced with the ordinary Kafka producer, and the landing in its own JVM: killed with
 * SIGKILL mid-stream, then restarted until idle. The tables are checked against the test's own account of the
 * events: every valid vote's key exactly once with the latest vote, every malformed record in input.quarantine with
 * its topic/partition@offset, and records read = rows + quarantined + superseded + duplicates.
 */
class LandingKillTest {
  static final String CONVERSATION = "live-1";
  static final int STATEMENTS = 50;
  static final int PARTICIPANTS = 2_000;
  static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path tmp;
  static EmbeddedKafka kafka;

  @BeforeAll
  static void broker() throws Exception {
    kafka = EmbeddedKafka.start(tmp.resolve("kafka"));
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("chorus.votes", 2, (short) 1),
          new NewTopic("chorus.statements", 1, (short) 1), new NewTopic("chorus.comparisons", 1, (short) 1)))
          .all().get();
    }
  }

  @AfterAll
  static void stop() {
    kafka.close();
  }

  /** One produced vote event, as the test knows it. */
  record Sent(String participant, long statement, int vote, long time, String json, boolean valid) {}

  @Test
  void killedMidStreamAndRestartedEveryVoteLandsOnceLatestWins() throws Exception {
    Random random = new Random(20261203);
    List<String> statements = new ArrayList<>();
    for (int s = 1; s <= STATEMENTS; s++) {
      statements.add(JSON.createObjectNode().put("conversation_id", CONVERSATION).put("statement_id", s)
          .put("author_id", s % 7).put("text", "Statement " + s).put("moderated", 1)
          .put("timestamp", 1_700_000_000_000L + s).toString());
    }
    List<Sent> votes = new ArrayList<>();
    long t0 = 1_700_000_100_000L;
    for (int i = 0; i < 100_000; i++) {
      String participant = Integer.toString(random.nextInt(PARTICIPANTS));
      long statement = 1 + random.nextInt(STATEMENTS);
      int vote = random.nextInt(3) - 1;
      long time = t0 + i * 10L + (i % 50 == 0 ? -5_000_000L : 0); // every 50th arrives late with an older time
      double u = random.nextDouble();
      if (u < 0.01) {
        String[] bad = {"{\"conversation_id\":\"" + CONVERSATION + "\",\"participant_id\":\"x" + i
            + "\",\"statement_id\":1,\"vote\":1,\"timestamp\":" + time + "}",
            "{\"conversation_id\":\"" + CONVERSATION + "\",\"participant_id\":\"" + participant
                + "\",\"statement_id\":1,\"vote\":7,\"timestamp\":" + time + "}",
            "{not json " + i, "[1,2,3]",
            "{\"conversation_id\":\"" + CONVERSATION + "\",\"participant_id\":\"" + participant
                + "\",\"statement_id\":" + (STATEMENTS + 1) + ",\"vote\":1,\"timestamp\":" + time + "}"};
        votes.add(new Sent(participant, -1, 0, time, bad[i % bad.length], false));
        continue;
      }
      String json = JSON.createObjectNode().put("conversation_id", CONVERSATION).put("participant_id", participant)
          .put("statement_id", statement).put("vote", vote).put("timestamp", time).toString();
      Sent sent = new Sent(participant, statement, vote, time, json, true);
      votes.add(sent);
      if (u < 0.06) {
        votes.add(sent); // the same event again (a producer retry, a replayed batch)
      }
    }
    Path warehouse = tmp.resolve("warehouse");
    produce("chorus.statements", statements, null);
    produce("chorus.votes", votes.subList(0, votes.size() / 2).stream().map(Sent::json).toList(),
        votes.subList(0, votes.size() / 2));

    Process first = land(warehouse, 0);
    Catalog catalog = new LandingTables(warehouse.toString(), null, null, null).open();
    long deadline = System.currentTimeMillis() + 120_000;
    while (rows(catalog, "input.votes") == 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
    }
    produce("chorus.votes", votes.subList(votes.size() / 2, votes.size()).stream().map(Sent::json).toList(),
        votes.subList(votes.size() / 2, votes.size()));
    Thread.sleep(1500);
    first.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL mid-stream
    long afterKill = rows(catalog, "input.votes");

    Process second = land(warehouse, 15);
    assertThat(second.waitFor(400, TimeUnit.SECONDS)).as("the restarted landing stops once idle").isTrue();
    String out = new String(second.getInputStream().readAllBytes());
    assertThat(second.exitValue()).as(out).isZero();

    // the test's own account: latest vote per key (time, then the order sent), malformed ones counted
    Map<List<Object>, Sent> latest = new HashMap<>();
    long malformed = 0;
    for (Sent s : votes) {
      if (!s.valid()) {
        malformed++;
        continue;
      }
      List<Object> key = List.of(s.participant(), s.statement());
      Sent old = latest.get(key);
      if (old == null || s.time() >= old.time()) {
        latest.put(key, s);
      }
    }
    Table table = catalog.loadTable(TableIdentifier.parse("input.votes"));
    Map<List<Object>, Integer> landed = new HashMap<>();
    long rows = 0;
    try (var it = IcebergGenerics.read(table).build()) {
      for (Record r : it) {
        rows++;
        landed.put(List.of(r.getField("participant_id"), r.getField("statement_id")), (Integer) r.getField("vote"));
      }
    }
    assertThat(afterKill).as("killed mid-stream: some votes were committed, not all").isBetween(1L,
        (long) latest.size() - 1);
    assertThat(rows).as("one row per key: nothing twice after the restart").isEqualTo(landed.size());
    Set<List<Object>> missing = new HashSet<>(latest.keySet());
    missing.removeAll(landed.keySet());
    Set<List<Object>> extra = new HashSet<>(landed.keySet());
    extra.removeAll(latest.keySet());
    assertThat(missing.size() + " keys missing, " + extra.size() + " extra; " + out).startsWith("0 keys missing, 0 extra");
    long wrong = latest.entrySet().stream().filter(e -> e.getValue().vote() != landed.get(e.getKey())).count();
    assertThat(wrong).as("the latest vote wins").isZero();

    Table quarantine = catalog.loadTable(TableIdentifier.parse("input.quarantine"));
    Set<String> locations = new HashSet<>();
    long quarantined = 0;
    try (var it = IcebergGenerics.read(quarantine).build()) {
      for (Record r : it) {
        quarantined++;
        locations.add((String) r.getField("location"));
        assertThat((String) r.getField("location")).matches("chorus\\.votes/[01]@[0-9]+");
        assertThat((String) r.getField("reason")).isNotBlank();
      }
    }
    assertThat(quarantined).as("every malformed record quarantined once").isEqualTo(malformed);
    assertThat(locations).as("each with its own offset").hasSize((int) malformed);
  }

  private static long rows(Catalog catalog, String name) throws Exception {
    if (!catalog.tableExists(TableIdentifier.parse(name))) {
      return 0;
    }
    Table t = catalog.loadTable(TableIdentifier.parse(name));
    t.refresh();
    return t.currentSnapshot() == null ? 0 : Long.parseLong(t.currentSnapshot().summary()
        .getOrDefault("total-records", "0")) - Long.parseLong(t.currentSnapshot().summary()
        .getOrDefault("total-position-deletes", "0"));
  }

  private static void produce(String topic, List<String> values, List<Sent> votes) {
    try (KafkaProducer<String, String> producer = PolisReplay.producer(kafka.bootstrapServers())) {
      for (int i = 0; i < values.size(); i++) {
        String key = votes == null ? null : votes.get(i).participant(); // one person's votes stay in order
        producer.send(new ProducerRecord<>(topic, key, values.get(i)));
      }
      producer.flush();
    }
  }

  /** The landing in its own JVM (the test's class path), so it can be killed. */
  private static Process land(Path warehouse, int stopAfterIdle) throws Exception {
    Path log = Files.createDirectories(Path.of(System.getProperty("chorus.log.dir", tmp.toString()), "landing-process"));
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx2g", "-Dchorus.log.dir=" + log, "-cp", System.getProperty("java.class.path"),
        Land.class.getName(), "--bootstrap-servers", kafka.bootstrapServers(), "--warehouse", warehouse.toString(),
        "--interval", "1s", "--statement-wait", "5", "--stop-after-idle", Integer.toString(stopAfterIdle)));
    return new ProcessBuilder(cmd).redirectErrorStream(true).start();
  }
}
