package org.chorus.landing;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The landing's throughput and lag on this machine (scripts/bench-landing.sh), with an embedded KRaft broker:
 * <ol>
 *   <li>throughput: N vote events already in Kafka (2 partitions, 100 statements, 20,000 participants), landed at
 *       the default interval; events/s over the commits after the first (steady state) and over the whole run;</li>
 *   <li>lag: events produced at a fixed rate for a while during landing, each stamped with its send time; the lag is
 *       from that time to the end of the commit that made it visible (median and maximum per commit).</li>
 * </ol>
 * Args: events (default 1,000,000), rate per second for the lag run (default 5,000), lag seconds (default 60),
 * interval (default 10s).
 */
public final class LandingBenchmark {
  private static final ObjectMapper JSON = new ObjectMapper();

  private LandingBenchmark() {}

  public static void main(String[] args) throws Exception {
    long events = args.length > 0 ? Long.parseLong(args[0]) : 1_000_000;
    int rate = args.length > 1 ? Integer.parseInt(args[1]) : 5_000;
    int lagSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    String interval = args.length > 3 ? args[3] : "10s";
    Path dir = Files.createTempDirectory("chorus-landing-bench");
    try (EmbeddedKafka kafka = EmbeddedKafka.start(dir.resolve("kafka"))) {
      String servers = kafka.bootstrapServers();
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, servers))) {
        admin.createTopics(List.of(new NewTopic("chorus.votes", 2, (short) 1),
            new NewTopic("chorus.statements", 1, (short) 1), new NewTopic("chorus.comparisons", 1, (short) 1)))
            .all().get();
      }
      long t = System.nanoTime();
      try (KafkaProducer<String, String> producer = PolisReplay.producer(servers)) {
        for (int s = 1; s <= 100; s++) {
          producer.send(new ProducerRecord<>("chorus.statements", JSON.createObjectNode()
              .put("conversation_id", "bench").put("statement_id", s).put("text", "Statement " + s)
              .put("moderated", 1).put("timestamp", 1_700_000_000_000L).toString()));
        }
        Random r = new Random(7);
        for (long i = 0; i < events; i++) {
          String participant = Integer.toString(r.nextInt(20_000));
          producer.send(new ProducerRecord<>("chorus.votes", participant, vote("bench", participant,
              1 + r.nextInt(100), r.nextInt(3) - 1, 1_700_000_000_000L + i)));
        }
      }
      System.out.printf("produced %,d vote events in %.1f s%n", events, (System.nanoTime() - t) / 1e9);
      long started = System.currentTimeMillis();
      Land.run("--bootstrap-servers", servers, "--warehouse", dir.resolve("warehouse").toString(), "--interval",
          interval, "--stop-after-idle", "20");
      List<long[]> log = List.copyOf(LandingPipeline.COMMIT_LOG);
      long read = log.stream().mapToLong(c -> c[1]).sum();
      long last = log.get(log.size() - 1)[0];
      long afterFirst = read - log.get(0)[1];
      double steady = log.size() > 1 ? afterFirst / ((last - log.get(0)[0]) / 1000.0) : Double.NaN;
      System.out.printf("throughput: %,d records landed in %d commits; %.1f s from start to the last commit "
          + "(%,.0f events/s), first commit after %.1f s; steady state after the first commit: %,.0f events/s%n",
          read, log.size(), (last - started) / 1000.0, read / ((last - started) / 1000.0),
          (log.get(0)[0] - started) / 1000.0, steady);

      LandingPipeline.COMMIT_LOG.clear();
      LandingPipeline.LAST_COMMIT_MILLIS.set(0);
      LandingPipeline.reset();
      Thread producerThread = new Thread(() -> produceAtRate(servers, rate, lagSeconds));
      producerThread.start();
      Land.run("--bootstrap-servers", servers, "--warehouse", dir.resolve("warehouse").toString(), "--interval",
          interval, "--stop-after-idle", "25");
      producerThread.join();
      List<long[]> lagLog = List.copyOf(LandingPipeline.COMMIT_LOG);
      long median = lagLog.stream().skip(1).mapToLong(c -> c[2]).sorted().toArray().length == 0 ? -1
          : lagLog.stream().skip(1).mapToLong(c -> c[2]).sorted().toArray()[(lagLog.size() - 1) / 2];
      long max = lagLog.stream().skip(1).mapToLong(c -> c[3]).max().orElse(-1);
      System.out.printf("lag at %,d events/s for %d s, interval %s: %d commits; after the first (which waits for "
          + "the pipeline to start): median per-commit median lag %.1f s, max lag %.1f s%n", rate, lagSeconds,
          interval, lagLog.size(), median / 1000.0, max / 1000.0);
      for (long[] c : lagLog) {
        System.out.printf("  commit: %,d records, median lag %.1f s, max %.1f s%n", c[1], c[2] / 1000.0,
            c[3] / 1000.0);
      }
    }
  }

  private static void produceAtRate(String servers, int rate, int seconds) {
    Random r = new Random(11);
    long start = System.nanoTime();
    long total = (long) rate * seconds;
    try (KafkaProducer<String, String> producer = PolisReplay.producer(servers)) {
      for (long i = 0; i < total; i++) {
        long due = start + i * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 2_000_000) { // sleep in steps of a few ms: a spinning producer would take a core from the landing
          try {
            Thread.sleep(wait / 1_000_000);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
        String participant = Integer.toString(20_000 + r.nextInt(20_000));
        producer.send(new ProducerRecord<>("chorus.votes", participant, vote("bench", participant,
            1 + r.nextInt(100), r.nextInt(3) - 1, System.currentTimeMillis())));
      }
    }
  }

  private static String vote(String conversation, String participant, int statement, int vote, long time) {
    return JSON.createObjectNode().put("conversation_id", conversation).put("participant_id", participant)
        .put("statement_id", statement).put("vote", vote).put("timestamp", time).toString();
  }
}
