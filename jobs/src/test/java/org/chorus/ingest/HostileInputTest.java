package org.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.Encoders;
import org.chorus.SparkTestBase;
import org.junit.jupiter.api.Test;

/**
 * Regressions of what fuzzing the readers found (issue 19): records that vanished, values accepted that should not
 * be, crashes and wrong exit codes. Every record is accepted or quarantined with a reason; a file that cannot be
 * read exits 3; errors stay one short line.
 */
class HostileInputTest extends SparkTestBase {
  static final String PAIR = "{\"comparison_id\":\"%s\",\"rater_id\":\"r\",\"prompt_id\":\"p\",\"prompt\":\"P\","
      + "\"response_a_id\":\"a\",\"response_a\":\"A\",\"response_b_id\":\"b\",\"response_b\":\"B\",\"choice\":\"a\"}";

  static String pair(String id) {
    return String.format(PAIR, id);
  }

  private List<String> reasons(String scope) {
    return spark.sql("SELECT reason FROM input.quarantine WHERE scope = '" + scope + "' ORDER BY reason")
        .as(Encoders.STRING()).collectAsList();
  }

  @Test
  void aSecondObjectOrTrailingGarbageOnAJsonLineIsQuarantinedNotDropped() throws IOException {
    Path f = tmp.resolve("two-on-a-line.jsonl");
    Files.writeString(f, pair("c1") + "\n" + pair("c2") + pair("c3") + "\n" + pair("c4") + " trailing\n");
    IngestReport r = run(new ComparisonsIngest(), new ComparisonsIngest.Options(f.toString(), "generic", "tail", false));
    assertThat(r.totalRead()).isEqualTo(3);
    assertThat(r.totalAccepted()).isEqualTo(1);
    assertThat(r.totalQuarantined()).isEqualTo(2);
    assertThat(reasons("tail")).allMatch(x -> x.startsWith("unparseable JSON"));
  }

  @Test
  void bareCarriageReturnsEndLines() throws IOException {
    Path f = tmp.resolve("cr.jsonl");
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      s.append(pair("c" + i)).append(i % 2 == 0 ? "\r" : "\r\n");
    }
    Files.writeString(f, s);
    IngestReport r = run(new ComparisonsIngest(), new ComparisonsIngest.Options(f.toString(), "generic", "cr", false));
    assertThat(r.totalRead()).isEqualTo(40);
    assertThat(r.totalAccepted()).isEqualTo(40);
  }

  @Test
  void nonAsciiDigitsAreNotIdsAndOutOfRangeTimestampsAreQuarantined() throws IOException {
    Path export = Files.createDirectories(tmp.resolve("digits"));
    Files.writeString(export.resolve("comments.csv"), "timestamp,datetime,comment-id,author-id,agrees,disagrees,"
        + "moderated,comment-body\n1658934589213,x,1,1,0,0,1,A statement\n");
    Files.writeString(export.resolve("votes.csv"), "timestamp,datetime,comment-id,voter-id,vote\n"
        + "1658933760180,x,1,12,1\n1658933760181,x,1,\u0661\u0662,-1\n1658933760182,x,1,\uff11\uff12,-1\n"
        + "99999999999999999,x,1,13,1\n1658933760183,x,1,14,0\n");
    IngestReport r = run(new PolisIngest(), new PolisIngest.Options(export.toString(), "digits"));
    assertThat(r.source("votes.csv", "input.votes").read()).isEqualTo(5);
    assertThat(count("SELECT count(*) FROM input.votes WHERE conversation_id = 'digits'")).isEqualTo(2);
    assertThat(spark.sql("SELECT vote FROM input.votes WHERE conversation_id = 'digits' AND participant_id = '12'")
        .first().getInt(0)).as("participant 12's own vote, not merged with ١٢ or １２").isEqualTo(1);
    assertThat(reasons("digits")).anyMatch(x -> x.startsWith("non-numeric voter id"))
        .anyMatch(x -> x.startsWith("timestamp out of range"));
  }

  @Test
  void twoStrayQuotesLinesApartCostTwoLinesNotTheLinesBetween() throws IOException {
    Path export = Files.createDirectories(tmp.resolve("stray"));
    StringBuilder comments = new StringBuilder("timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,"
        + "comment-body\n");
    for (int c = 0; c < 9; c++) {
      comments.append("1658934589213,x,").append(c).append(",1,0,0,1,Statement ").append(c).append('\n');
    }
    Files.writeString(export.resolve("comments.csv"), comments.toString());
    StringBuilder votes = new StringBuilder("timestamp,datetime,comment-id,voter-id,vote\n");
    for (int i = 0; i < 300; i++) {
      String cid = i == 50 ? "\"5" : i == 150 ? "7\"" : String.valueOf(i % 9);
      votes.append(1658933760180L + i).append(",x,").append(cid).append(',').append(i).append(",1\n");
    }
    Files.writeString(export.resolve("votes.csv"), votes.toString());
    IngestReport r = run(new PolisIngest(), new PolisIngest.Options(export.toString(), "stray"));
    IngestReport.SourceCount v = r.source("votes.csv", "input.votes");
    assertThat(v.read()).isEqualTo(300);
    assertThat(v.quarantined()).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM input.votes WHERE conversation_id = 'stray'")).isEqualTo(298);
  }

  @Test
  void messageContentThatIsNotTextIsQuarantined() throws IOException {
    Path f = tmp.resolve("content.jsonl");
    String ok = "{\"prompt\":\"Say hi\",\"chosen\":[{\"role\":\"assistant\",\"content\":\"Hi\"}],"
        + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"No\"}]}";
    Files.writeString(f, String.join("\n", ok,
        ok.replace("\"content\":\"Hi\"", "\"content\":{\"text\":\"Hi\"}"),
        ok.replace("\"content\":\"Hi\"", "\"content\":12345"),
        ok.replace("[{\"role\":\"assistant\",\"content\":\"Hi\"}]", "[]")) + "\n");
    IngestReport r = run(new ComparisonsIngest(), new ComparisonsIngest.Options(f.toString(), "trl", "content", false));
    assertThat(r.totalAccepted()).isEqualTo(1);
    assertThat(r.totalQuarantined()).isEqualTo(3);
    assertThat(reasons("content")).contains("chosen: message content must be text, got object",
        "chosen: message content must be text, got number", "chosen must be text or a non-empty list of messages");
  }

  @Test
  void aTruncatedOrFakeGzipExits3WithAShortLine() throws IOException {
    Path whole = tmp.resolve("whole.jsonl.gz");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(whole))) {
      for (int i = 0; i < 2000; i++) {
        out.write((pair("g" + i) + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = tmp.resolve("cut.jsonl.gz");
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    Path fake = tmp.resolve("fake.jsonl.gz");
    Files.writeString(fake, pair("f1") + "\n");
    for (Path p : List.of(cut, fake)) {
      CliRun run = chorus("ingest", "comparisons", "--input", p.toString(), "--format", "generic", "--dataset", "gz");
      assertThat(run.exitCode()).as(run.err()).isEqualTo(3);
      assertThat(run.err().strip()).startsWith("chorus: " + p.getFileName() + " cannot be read").doesNotContain("\n");
      assertThat(run.err().length()).isLessThan(400);
    }
    // found by the 1,000-mutant fuzz: a CSV gzip cut inside its first block failed reading the header (exit 1)
    Path csv = tmp.resolve("people.csv.gz");
    byte[] people = gzipped("participant_id,age_bracket\nu1,18-29\nu2,60+\nu3,30-44\n");
    Files.write(csv, Arrays.copyOf(people, people.length - 12));
    CliRun header = chorus("ingest", "table", "--table", "participants", "--input", csv.toString(), "--dataset", "gz");
    assertThat(header.exitCode()).as(header.err()).isEqualTo(3);
    assertThat(header.err()).startsWith("chorus: people.csv.gz cannot be read");
    assertThat(tables.exists("input.comparisons") ? count("SELECT count(*) FROM input.comparisons WHERE dataset_id = "
        + "'gz'") : 0).isZero();
  }

  static byte[] gzipped(String text) throws IOException {
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(bytes)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  @Test
  void anIdTooLongForAPathIsAUsageErrorAndACrOnlyCsvGivesAShortError() throws IOException {
    CliRun longId = chorus("ingest", "comparisons", "--input", tmp.toString(), "--format", "generic", "--dataset",
        "d".repeat(240));
    assertThat(longId.exitCode()).isEqualTo(2);
    assertThat(longId.err()).contains("--dataset is too long: 240 bytes once encoded for a path (at most 200)");

    Path export = Files.createDirectories(tmp.resolve("cr-only"));
    Files.writeString(export.resolve("comments.csv"), "timestamp,datetime,comment-id,author-id,agrees,disagrees,"
        + "moderated,comment-body\r1658934589213,x,1,1,0,0,1,A statement\r");
    StringBuilder votes = new StringBuilder("timestamp,datetime,comment-id,voter-id,vote");
    for (int i = 0; i < 5000; i++) {
      votes.append('\r').append(1658933760180L + i).append(",x,1,").append(i).append(",1");
    }
    Files.writeString(export.resolve("votes.csv"), votes.append('\r'));
    CliRun cr = chorus("ingest", "polis", "--input", export.toString(), "--conversation", "cr-only");
    assertThat(cr.exitCode()).as(cr.err()).isZero();
    assertThat(count("SELECT count(*) FROM input.votes WHERE conversation_id = 'cr-only'")).isEqualTo(5000);
    assertThat(cr.err().length()).isLessThan(400);
  }
}
