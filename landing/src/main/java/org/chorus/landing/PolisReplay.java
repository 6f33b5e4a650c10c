package org.chorus.landing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.chorus.records.CsvParser;

/**
 * Replays a Polis export as live events, with the ordinary Kafka producer: every statement of comments.csv, then
 * every vote of votes.csv in file order, keyed by participant so one person's votes stay in order in one partition.
 * Fields are passed as the export writes them; the landing's rules judge them, as batch ingest's do.
 */
public final class PolisReplay {
  private static final ObjectMapper JSON = new ObjectMapper();

  private PolisReplay() {}

  /** @return the number of events produced */
  public static long produce(String servers, Path export, String conversation, String statementsTopic,
      String votesTopic, int perSecond) throws IOException {
    long n = 0;
    long started = System.nanoTime();
    try (KafkaProducer<String, String> producer = producer(servers)) {
      for (Map<String, String> c : records(export.resolve("comments.csv"))) {
        ObjectNode e = JSON.createObjectNode().put("conversation_id", conversation)
            .put("statement_id", c.get("comment-id")).put("author_id", c.get("author-id"))
            .put("text", c.get("comment-body")).put("moderated", c.get("moderated"))
            .put("timestamp", c.get("timestamp"));
        if (c.containsKey("is-meta")) {
          e.put("is_meta", c.get("is-meta"));
        }
        if (c.containsKey("is-seed")) {
          e.put("is_seed", c.get("is-seed"));
        }
        producer.send(new ProducerRecord<>(statementsTopic, c.get("comment-id"), JSON.writeValueAsString(e)));
        n = pace(++n, perSecond, started);
      }
      producer.flush();
      for (Map<String, String> v : records(export.resolve("votes.csv"))) {
        ObjectNode e = JSON.createObjectNode().put("conversation_id", conversation)
            .put("participant_id", v.get("voter-id")).put("statement_id", v.get("comment-id"))
            .put("vote", v.get("vote")).put("timestamp", v.get("timestamp"));
        producer.send(new ProducerRecord<>(votesTopic, v.get("voter-id"), JSON.writeValueAsString(e)));
        n = pace(++n, perSecond, started);
      }
      producer.flush();
    }
    return n;
  }

  /** The ordinary Kafka producer of text events: idempotent (a retry is not a second record), batched. */
  public static KafkaProducer<String, String> producer(String servers) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, servers);
    p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
    p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    return new KafkaProducer<>(p);
  }

  private static long pace(long n, int perSecond, long started) {
    if (perSecond > 0) {
      long due = started + n * 1_000_000_000L / perSecond;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
    return n;
  }

  /** The records of a CSV file with a header, as column → text (a quoted field may span lines). */
  static List<Map<String, String>> records(Path file) throws IOException {
    List<Map<String, String>> out = new ArrayList<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String[] header;
      try {
        header = CsvParser.parse(in.readLine(), ',');
      } catch (CsvParser.CsvFormatException e) {
        throw new IOException(file + ": bad header: " + e.getMessage());
      }
      StringBuilder pending = new StringBuilder();
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        pending.append(pending.length() == 0 ? "" : "\n").append(line);
        if (!CsvParser.hasColumns(pending.toString(), ',', header.length)) {
          continue;
        }
        try {
          String[] f = CsvParser.parse(pending.toString(), ',');
          Map<String, String> row = new java.util.HashMap<>();
          for (int i = 0; i < header.length; i++) {
            row.put(header[i].trim().toLowerCase(Locale.ROOT), f[i]);
          }
          out.add(row);
        } catch (CsvParser.CsvFormatException e) {
          throw new IOException(file + ": " + e.getMessage());
        }
        pending.setLength(0);
      }
    }
    return out;
  }
}
