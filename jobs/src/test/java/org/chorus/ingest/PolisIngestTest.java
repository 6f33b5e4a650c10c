package org.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.chorus.SparkTestBase;
import org.chorus.core.ChorusException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class PolisIngestTest extends SparkTestBase {
  static Stream<String> exports() throws IOException {
    try (Stream<Path> dirs = Files.list(sharedData().resolve("polis"))) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
    }
  }

  /** An independent count: Spark's own CSV reader over participants-votes.csv, non-empty statement cells. */
  private static long nonEmptyCells(Path export) {
    Dataset<Row> pv = spark.read().option("header", true).option("multiLine", true).option("escape", "\"")
        .csv(export.resolve("participants-votes.csv").toString());
    long cells = 0;
    List<String> meta = PolisParsers.ParticipantsVotes.META;
    for (Row r : pv.collectAsList()) {
      for (int i = 0; i < r.length(); i++) {
        if (!meta.contains(pv.columns()[i]) && !r.isNullAt(i) && !r.getString(i).isBlank()) {
          cells++;
        }
      }
    }
    return cells;
  }

  private static long commentRows(Path export) {
    return spark.read().option("header", true).option("multiLine", true).option("escape", "\"")
        .csv(export.resolve("comments.csv").toString()).count();
  }

  @ParameterizedTest
  @MethodSource("exports")
  void everySharedExportIngestsWithExactCounts(String name) {
    Path export = sharedData().resolve("polis").resolve(name);
    IngestReport report = run(new PolisIngest(), new PolisIngest.Options(export.toString(), name));

    long votes = count("SELECT count(*) FROM input.votes WHERE conversation_id = '" + name + "'");
    long statements = count("SELECT count(*) FROM input.statements WHERE conversation_id = '" + name + "'");
    assertThat(votes).isEqualTo(nonEmptyCells(export));
    assertThat(statements).isEqualTo(commentRows(export));
    assertThat(report.totalQuarantined()).isZero();
    assertThat(report.totalRead()).isEqualTo(report.totalAccepted() + report.totalQuarantined());
    assertThat(count("SELECT count(*) FROM input.quarantine WHERE scope = '" + name + "'")).isZero();
    // every vote is on a statement of the conversation, and the vote codes are Polis's
    assertThat(count("SELECT count(*) FROM input.votes v LEFT ANTI JOIN input.statements s ON "
        + "v.conversation_id = s.conversation_id AND v.statement_id = s.statement_id WHERE v.conversation_id = '"
        + name + "'")).isZero();
    assertThat(count("SELECT count(*) FROM input.votes WHERE conversation_id = '" + name
        + "' AND vote NOT IN (-1, 0, 1)")).isZero();
    // Polis's own group-id survives for everyone who has one in the export
    long grouped = spark.read().option("header", true).csv(export.resolve("participants-votes.csv").toString())
        .filter("`group-id` IS NOT NULL").count();
    assertThat(count("SELECT count(*) FROM input.participants WHERE scope = '" + name
        + "' AND export_group_id IS NOT NULL")).isEqualTo(grouped);
  }

  @Test
  void latestVoteWinsAndMatchesTheExportMatrix() throws IOException {
    Path export = sharedData().resolve("polis/bg2050-volunteers");
    run(new PolisIngest(), new PolisIngest.Options(export.toString(), "bg"));
    Map<String, Integer> matrix = new HashMap<>();
    Dataset<Row> pv = spark.read().option("header", true).csv(export.resolve("participants-votes.csv").toString());
    String[] cols = pv.columns();
    for (Row r : pv.collectAsList()) {
      for (int i = 0; i < cols.length; i++) {
        if (cols[i].matches("\\d+") && !r.isNullAt(i)) {
          matrix.put(r.getString(0) + "/" + cols[i], Integer.parseInt(r.getString(i)));
        }
      }
    }
    Map<String, Integer> ingested = new HashMap<>();
    for (Row r : spark.sql("SELECT participant_id, statement_id, vote FROM input.votes WHERE conversation_id = 'bg'")
        .collectAsList()) {
      ingested.put(r.getString(0) + "/" + r.getLong(1), r.getInt(2));
    }
    assertThat(ingested).isEqualTo(matrix);
    // the export's consensus column is kept for every statement
    assertThat(count("SELECT count(*) FROM input.statements WHERE conversation_id = 'bg' AND export_gic IS NULL"))
        .isZero();
    assertThat(count("SELECT count(*) FROM input.statements WHERE conversation_id = 'bg' AND is_meta")).isPositive();
  }

  @Test
  void corruptedExportKeepsEveryGoodVoteAndQuarantinesEveryBadRow() throws IOException {
    Path clean = sharedData().resolve("polis/bg2050-volunteers");
    run(new PolisIngest(), new PolisIngest.Options(clean.toString(), "clean"));
    Path dir = tmp.resolve("corrupt");
    Files.createDirectories(dir);
    for (String f : List.of("comments.csv", "votes.csv", "participants-votes.csv", "summary.csv")) {
      Files.copy(clean.resolve(f), dir.resolve(f));
    }
    List<byte[]> badComments = List.of(
        line("1726860676783,abc,0,1,0,1,false,false,,non numeric id"),
        line("1726860676783,901,0,1,0,1,false,false,0.5"),
        line("1726860676783,2,0,1,0,1,false,false,,a second statement 2"),
        line("1726860676783,903,0,1,0,5,false,false,,moderated five"),
        bytes("1726860676783,902,0,1,0,1,false,false,,caf", new byte[] {(byte) 0xC3, '(', '\n'}),
        line("1726860676783,900,0,1,0,1,false,false,,\"unterminated body"));
    append(dir.resolve("comments.csv"), badComments);
    List<byte[]> badVotes = List.of(
        line("1726860583813,Fri,2,5,7"),
        line("1726860583813,Fri,99999,5,1"),
        line("1726860583813,Fri,2,,1"),
        line("1726860583813,Fri,2,x5,1"),
        line("1726860583813,Fri,2,5"),
        line("1726860583813,\"Fri,2,5,1"),
        bytes("1726860583813,Fr", new byte[] {(byte) 0xFF}, ",2,5,1\n".getBytes(StandardCharsets.UTF_8)),
        line("1726860583813,Fri,900,5,1"));
    insertAfterLine(dir.resolve("votes.csv"), 100, badVotes);

    IngestReport report = run(new PolisIngest(), new PolisIngest.Options(dir.toString(), "corrupt"));

    assertThat(report.source("comments.csv", "input.statements").accepted()).isEqualTo(371);
    assertThat(report.source("comments.csv", "input.statements").quarantined()).isEqualTo(badComments.size());
    assertThat(report.source("votes.csv", "input.votes").accepted()).isEqualTo(14_341);
    assertThat(report.source("votes.csv", "input.votes").quarantined()).isEqualTo(badVotes.size());
    assertThat(report.totalRead()).isEqualTo(report.totalAccepted() + report.totalQuarantined());
    String diff = "SELECT participant_id, statement_id, vote, voted_at FROM input.votes WHERE conversation_id = '%s' "
        + "EXCEPT SELECT participant_id, statement_id, vote, voted_at FROM input.votes WHERE conversation_id = '%s'";
    assertThat(spark.sql(String.format(diff, "clean", "corrupt")).count()).isZero();
    assertThat(spark.sql(String.format(diff, "corrupt", "clean")).count()).isZero();
    assertThat(count("SELECT count(*) FROM input.statements WHERE conversation_id = 'corrupt'")).isEqualTo(371);

    List<String> reasons = new ArrayList<>();
    for (Row r : spark.sql("SELECT target_table, reason, raw FROM input.quarantine WHERE scope = 'corrupt' "
        + "ORDER BY target_table, reason").collectAsList()) {
      reasons.add(r.getString(0) + ": " + r.getString(1));
      assertThat(r.getString(2)).isNotEmpty();
    }
    assertThat(reasons).hasSize(badComments.size() + badVotes.size());
    assertThat(reasons).anyMatch(s -> s.equals("input.statements: non-numeric statement id 'abc'"))
        .anyMatch(s -> s.equals("input.statements: wrong column count: expected 10, got 9"))
        .anyMatch(s -> s.startsWith("input.statements: duplicate key (statement_id) = (2)"))
        .anyMatch(s -> s.equals("input.statements: moderated outside {-1,0,1}: '5'"))
        .anyMatch(s -> s.startsWith("input.statements: invalid UTF-8 at byte"))
        .anyMatch(s -> s.startsWith("input.statements: broken quoting"))
        .anyMatch(s -> s.equals("input.votes: vote outside {-1,0,1}: '7'"))
        .anyMatch(s -> s.equals("input.votes: vote on unknown statement 99999"))
        .anyMatch(s -> s.equals("input.votes: vote on unknown statement 900"))
        .anyMatch(s -> s.equals("input.votes: empty voter id"))
        .anyMatch(s -> s.equals("input.votes: non-numeric voter id 'x5'"))
        .anyMatch(s -> s.equals("input.votes: wrong column count: expected 5, got 4"))
        .anyMatch(s -> s.startsWith("input.votes: broken quoting"))
        .anyMatch(s -> s.startsWith("input.votes: invalid UTF-8 at byte 16"));
  }

  @Test
  void olderLayoutWithMultiLineBodiesAndNoMatrix() throws IOException {
    Path dir = tmp.resolve("old-layout");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("comments.csv"), "timestamp,datetime,comment-id,author-id,agrees,disagrees,"
        + "moderated,comment-body\n"
        + "1500000000000,Mon Jul 17 2017,0,,1,0,1,\"A seed, with a comma\"\n"
        + "1500000000001,Mon Jul 17 2017,1,4,0,1,-1,\"Two\nlines, and \"\"quotes\"\"\"\n");
    Files.writeString(dir.resolve("votes.csv"), "timestamp,datetime,comment-id,voter-id,vote\n"
        + "1500000000100,x,0,4,1\n,x,1,4,-1\n1500000000200,x,0,4,-1\n1500000000300,x,1,5,0\n");
    IngestReport report = run(new PolisIngest(), new PolisIngest.Options(dir.toString(), "old"));
    assertThat(report.totalQuarantined()).isZero();
    List<Row> statements = spark.sql("SELECT statement_id, author_id, text, moderated, is_meta FROM input.statements "
        + "WHERE conversation_id = 'old' ORDER BY statement_id").collectAsList();
    assertThat(statements.get(0).isNullAt(1)).isTrue();
    assertThat(statements.get(0).getString(2)).isEqualTo("A seed, with a comma");
    assertThat(statements.get(1).getString(2)).isEqualTo("Two\nlines, and \"quotes\"");
    assertThat(statements.get(1).getInt(3)).isEqualTo(-1);
    assertThat(spark.sql("SELECT participant_id, statement_id, vote FROM input.votes WHERE conversation_id = 'old' "
        + "ORDER BY 1, 2").collectAsList()).extracting(Row::toString)
        .containsExactly("[4,0,-1]", "[4,1,-1]", "[5,1,0]");
    assertThat(count("SELECT count(*) FROM input.participants WHERE scope = 'old'")).isEqualTo(2);
  }

  @Test
  void rerunReplacesTheConversationAtomically() {
    Path export = sharedData().resolve("polis/brexit-consensus");
    run(new PolisIngest(), new PolisIngest.Options(export.toString(), "again"));
    IngestReport second = run(new PolisIngest(), new PolisIngest.Options(export.toString(), "again"));
    assertThat(count("SELECT count(*) FROM input.votes WHERE conversation_id = 'again'")).isEqualTo(5_303);
    assertThat(second.write("input.votes").deletedRecords()).isEqualTo(5_303);
    assertThat(second.write("input.votes").addedRecords()).isEqualTo(5_303);
  }

  @Test
  void missingInputIsRejectedAsAWhole() {
    assertThatThrownBy(() -> run(new PolisIngest(), new PolisIngest.Options(tmp.resolve("nowhere").toString(), "x")))
        .isInstanceOf(ChorusException.class)
        .hasMessageStartingWith("input not found")
        .satisfies(e -> assertThat(((ChorusException) e).exitCode()).isEqualTo(3));
  }

  private static byte[] line(String s) {
    return (s + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String prefix, byte[]... rest) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(prefix.getBytes(StandardCharsets.UTF_8));
    for (byte[] r : rest) {
      out.writeBytes(r);
    }
    return out.toByteArray();
  }

  private static void append(Path file, List<byte[]> lines) throws IOException {
    byte[] existing = Files.readAllBytes(file);
    try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.APPEND)) {
      if (existing.length > 0 && existing[existing.length - 1] != '\n') {
        out.write('\n');
      }
      for (byte[] l : lines) {
        out.write(l);
      }
    }
  }

  private static void insertAfterLine(Path file, int lineNumber, List<byte[]> lines) throws IOException {
    byte[] all = Files.readAllBytes(file);
    int pos = 0;
    for (int n = 0; n < lineNumber; n++) {
      while (all[pos] != '\n') {
        pos++;
      }
      pos++;
    }
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(all, 0, pos);
      for (byte[] l : lines) {
        out.write(l);
      }
      out.write(all, pos, all.length - pos);
    }
  }
}
