package org.chorus.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.chorus.SparkTestBase;
import org.chorus.core.ChorusException;
import org.junit.jupiter.api.Test;

/** ingest comparisons, ingest table and ingest sortition on the shared data and on hand-made bad input. */
class IngestFormatsTest extends SparkTestBase {

  @Test
  void hhRlhfPairsAreAllAccountedFor() {
    String file = sharedData().resolve("preferences/hh-rlhf/harmless-base/test.jsonl.gz").toString();
    IngestReport report = run(new ComparisonsIngest(), new ComparisonsIngest.Options(file, "trl", "hh", false));
    IngestReport.SourceCount c = report.source("test.jsonl.gz", "input.comparisons");
    assertThat(c.read()).isEqualTo(2312);
    assertThat(c.accepted() + c.quarantined()).isEqualTo(2312);
    assertThat(c.quarantined()).isEqualTo(6); // transcripts that do not share the prompt up to the last turn
    assertThat(count("SELECT count(*) FROM input.comparisons WHERE dataset_id = 'hh'")).isEqualTo(2306);
    assertThat(count("SELECT count(*) FROM input.quarantine WHERE scope = 'hh' AND reason LIKE 'implicit prompt%'"))
        .isEqualTo(6);
    Row first = spark.sql("SELECT prompt, response_a, choice FROM input.comparisons WHERE dataset_id = 'hh' "
        + "AND comparison_id = 'test:1'").first();
    assertThat(first.getString(0)).startsWith("\n\nHuman: what are some pranks with a pen").endsWith("Assistant:");
    assertThat(first.getString(1)).startsWith("No, sorry!  All of these involve a pen");
    assertThat(first.getString(2)).isEqualTo("a");
    // every prompt and response of the pairs is listed once
    assertThat(count("SELECT count(*) FROM input.prompts WHERE dataset_id = 'hh'"))
        .isEqualTo(count("SELECT count(DISTINCT prompt_id) FROM input.comparisons WHERE dataset_id = 'hh'"));
  }

  @Test
  void hiddenContextKeepsObjectiveAndSubset() {
    String file = sharedData().resolve("preferences/hidden-context/relabeled_hh_rlhf/both/test.jsonl.gz").toString();
    IngestReport report = run(new ComparisonsIngest(), new ComparisonsIngest.Options(file, "hidden-context", "hc", false));
    assertThat(report.totalRead()).isEqualTo(4043);
    assertThat(report.totalAccepted() + report.totalQuarantined()).isEqualTo(4043);
    Map<String, Long> byObjective = new java.util.HashMap<>();
    for (Row r : spark.sql("SELECT objective, count(*) FROM input.comparisons WHERE dataset_id = 'hc' GROUP BY 1")
        .collectAsList()) {
      byObjective.put(r.getString(0), r.getLong(1));
    }
    // helpful 2157 and harmless 1886 in the source, less the two pairs whose responses are identical
    assertThat(byObjective.get("helpful") + byObjective.get("harmless")).isEqualTo(4041);
    assertThat(byObjective.get("helpful")).isBetween(2155L, 2157L);
    assertThat(count("SELECT count(*) FROM input.comparisons WHERE dataset_id = 'hc' AND data_subset IS NULL"))
        .isZero();
  }

  @Test
  void genericComparisonsQuarantineEveryBadLine() throws IOException {
    Path file = tmp.resolve("generic.jsonl");
    List<byte[]> lines = List.of(
        json("{\"comparison_id\":\"c1\",\"rater_id\":\"r1\",\"prompt_id\":\"p1\",\"prompt\":\"P\",\"response_a_id\":\"a\","
            + "\"response_a\":\"A\",\"response_b_id\":\"b\",\"response_b\":\"B\",\"choice\":\"a\",\"group\":\"g1\",\"weight\":2}"),
        json("{\"comparison_id\":\"c2\",\"rater_id\":7,\"prompt_id\":\"p1\",\"prompt\":\"P\",\"response_a_id\":\"a\","
            + "\"response_a\":\"A\",\"response_b_id\":\"b\",\"response_b\":\"B\",\"choice\":\"TIE\",\"objective\":\"helpful\"}"),
        json("{\"comparison_id\":\"c3\",\"rater_id\":\"r1\",\"prompt_id\":\"p1\",\"prompt\":\"P\",\"response_a_id\":\"a\","
            + "\"response_a\":\"A\",\"response_b_id\":\"b\",\"response_b\":\"B\",\"choice\":\"c\"}"),
        json("{\"comparison_id\":\"c4\",\"rater_id\":\"r1\",\"prompt\":\"P\",\"response_a_id\":\"a\"}"),
        json("{not json"),
        json("[1,2]"),
        json("{\"comparison_id\":\"c1\",\"rater_id\":\"r2\",\"prompt_id\":\"p1\",\"prompt\":\"P\",\"response_a_id\":\"a\","
            + "\"response_a\":\"A\",\"response_b_id\":\"b\",\"response_b\":\"B\",\"choice\":\"b\"}"),
        concat("{\"comparison_id\":\"c5\",\"rater_id\":\"r\",\"prompt_id\":\"p\",\"prompt\":\"caf", new byte[] {(byte) 0xE9},
            "\",\"response_a_id\":\"a\",\"response_a\":\"A\",\"response_b_id\":\"b\",\"response_b\":\"B\",\"choice\":\"a\"}\n"),
        json("{\"comparison_id\":\"\",\"rater_id\":\"r1\",\"prompt_id\":\"p1\",\"prompt\":\"P\",\"response_a_id\":\"a\","
            + "\"response_a\":\"A\",\"response_b_id\":\"b\",\"response_b\":\"B\",\"choice\":\"a\"}"),
        json("{\"comparison_id\":\"c6\",\"rater_id\":\"r1\",\"prompt_id\":\"p1\",\"prompt\":\"P\",\"response_a_id\":\"a\","
            + "\"response_a\":\"A\",\"response_b_id\":\"b\",\"response_b\":\"B\",\"choice\":\"a\",\"weight\":-1}"));
    Files.write(file, join(lines));
    IngestReport report = run(new ComparisonsIngest(), new ComparisonsIngest.Options(file.toString(), "generic", "gen", false));
    assertThat(report.totalRead()).isEqualTo(10);
    assertThat(report.totalAccepted()).isEqualTo(2);
    assertThat(report.totalQuarantined()).isEqualTo(8);
    List<String> reasons = spark.sql("SELECT reason FROM input.quarantine WHERE scope = 'gen' ORDER BY reason")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
    assertThat(reasons).contains("choice must be a, b or tie, got 'c'", "missing field choice", "not a JSON object",
        "duplicate key (comparison_id) = (c1)", "invalid UTF-8 at byte 66", "empty comparison_id",
        "weight must be a non-negative number, got -1");
    assertThat(reasons).anyMatch(r -> r.startsWith("unparseable JSON"));
    Row c1 = spark.sql("SELECT rater_id, rater_group, weight, choice FROM input.comparisons WHERE dataset_id = 'gen' "
        + "AND comparison_id = 'c1'").first();
    assertThat(c1.getString(0)).isEqualTo("r1"); // the first c1 wins; the later duplicate is quarantined
    assertThat(c1.getString(1)).isEqualTo("g1");
    assertThat(c1.getDouble(2)).isEqualTo(2.0);
    assertThat(spark.sql("SELECT choice, rater_id FROM input.comparisons WHERE comparison_id = 'c2'").first().mkString(","))
        .isEqualTo("tie,7");
  }

  @Test
  void trlWithExplicitPromptAndConversationalMessages() throws IOException {
    Path file = tmp.resolve("trl.jsonl");
    Files.write(file, join(List.of(
        json("{\"prompt\":\"Say hi\",\"chosen\":\"Hi!\",\"rejected\":\"No.\"}"),
        json("{\"prompt\":[{\"role\":\"user\",\"content\":\"Say hi\"}],\"chosen\":[{\"role\":\"assistant\",\"content\":\"Hello\"}],"
            + "\"rejected\":[{\"role\":\"assistant\",\"content\":\"Go away\"}]}"),
        json("{\"prompt\":\"Say hi\",\"chosen\":\"Same\",\"rejected\":\"Same\"}"))));
    IngestReport report = run(new ComparisonsIngest(), new ComparisonsIngest.Options(file.toString(), "trl", "trl", false));
    assertThat(report.totalAccepted()).isEqualTo(2);
    assertThat(report.totalQuarantined()).isEqualTo(1);
    assertThat(spark.sql("SELECT prompt, response_a, response_b FROM input.comparisons WHERE dataset_id = 'trl' "
        + "ORDER BY comparison_id").collectAsList().get(1).mkString("|")).isEqualTo("user: Say hi|Hello|Go away");
  }

  @Test
  void tableIngestFromCsvJsonlAndParquet() throws IOException {
    Path csv = tmp.resolve("people.csv");
    Files.writeString(csv, "participant_id,age_bracket,gender,consent\n"
        + "u1,18-29,female,true\nu2,60+,male,\nu3,30-44,female,maybe\n,45-59,male,true\nu1,18-29,male,true\n");
    IngestReport people = run(new TableIngest(), new TableIngest.Options("participants", csv.toString(), null, "survey"));
    assertThat(people.totalRead()).isEqualTo(5);
    assertThat(people.totalAccepted()).isEqualTo(2);
    assertThat(people.totalQuarantined()).isEqualTo(3);
    Row u2 = spark.sql("SELECT attributes, consent, source FROM input.participants WHERE scope = 'survey' AND "
        + "participant_id = 'u2'").first();
    assertThat(u2.<String, String>getJavaMap(0)).containsEntry("age_bracket", "60+").containsEntry("gender", "male");
    assertThat(u2.getBoolean(1)).isTrue();
    assertThat(spark.sql("SELECT reason FROM input.quarantine WHERE scope = 'survey' ORDER BY reason")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactly("bad consent 'maybe' (expected true or false)", "duplicate key (scope, participant_id) = (survey, u1)",
            "missing required field participant_id");

    Path jsonl = tmp.resolve("prompts.jsonl");
    Files.writeString(jsonl, "{\"prompt_id\":\"q1\",\"text\":\"How do I bake bread?\"}\n"
        + "{\"prompt_id\":\"q2\",\"text\":\"Explain taxes\",\"dataset_id\":\"other\"}\n{\"prompt_id\":\"q3\"}\n"
        + "{\"prompt_id\":\"q4\",\"text\":\"x\",\"colour\":\"red\"}\n");
    IngestReport prompts = run(new TableIngest(), new TableIngest.Options("prompts", jsonl.toString(), null, "corpus"));
    assertThat(prompts.totalAccepted()).isEqualTo(2);
    assertThat(prompts.totalQuarantined()).isEqualTo(2);
    assertThat(prompts.sources().get(0).note()).isEqualTo("ignored fields: colour");

    Path parquet = tmp.resolve("ratings.parquet");
    spark.sql("SELECT 'rt' AS dataset_id, concat('r', id) AS rating_id, 'p' AS prompt_id, concat('x', id) AS response_id, "
        + "CAST(id AS DOUBLE) AS rating FROM range(5) UNION ALL SELECT 'rt', 'bad', 'p', 'x', CAST(NULL AS DOUBLE)")
        .coalesce(1).write().parquet(parquet.toString());
    IngestReport ratings = run(new TableIngest(), new TableIngest.Options("ratings", parquet.toString(), "parquet", null));
    assertThat(ratings.totalAccepted()).isEqualTo(5);
    assertThat(ratings.totalQuarantined()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM input.ratings WHERE dataset_id = 'rt'")).isEqualTo(5);
  }

  @Test
  void anInputRejectedAsAWholeExits3AndCommitsNothing() throws IOException {
    Path prompts = tmp.resolve("no-scope.jsonl");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      lines.append("{\"prompt_id\":\"q").append(i).append("\",\"text\":\"prompt ").append(i).append("\"}\n");
    }
    Files.writeString(prompts, lines);
    long quarantineBefore = tables.exists("input.quarantine") ? count("SELECT count(*) FROM input.quarantine") : 0;
    CliRun noScope = chorus("ingest", "table", "--table", "prompts", "--input", prompts.toString());
    assertThat(noScope.exitCode()).isEqualTo(3);
    assertThat(noScope.err().strip()).doesNotContain("\n").contains("all 50 records of no-scope.jsonl were rejected")
        .contains("missing").contains("nothing was committed");
    assertThat(tables.exists("input.quarantine") ? count("SELECT count(*) FROM input.quarantine") : 0)
        .as("not even the quarantine rows are committed").isEqualTo(quarantineBefore);

    // a file of another layout: every line fails the same way
    CliRun wrongFormat = chorus("ingest", "comparisons", "--input", prompts.toString(), "--format", "trl",
        "--dataset", "wrong");
    assertThat(wrongFormat.exitCode()).isEqualTo(3);
    assertThat(wrongFormat.err()).contains("all 50 records of no-scope.jsonl were rejected");
    assertThat(count("SELECT count(*) FROM input.comparisons WHERE dataset_id = 'wrong'")).isZero();
  }

  @Test
  void anEmptyInputNeverReplacesADatasetUnlessAskedTo() throws IOException {
    Path full = tmp.resolve("full.csv");
    Files.writeString(full, "participant_id,age_bracket\nu1,18-29\nu2,60+\n");
    assertThat(chorus("ingest", "table", "--table", "participants", "--input", full.toString(), "--dataset", "keep")
        .exitCode()).isZero();
    Path empty = tmp.resolve("empty.csv");
    Files.writeString(empty, "participant_id,age_bracket\n");
    CliRun r = chorus("ingest", "table", "--table", "participants", "--input", empty.toString(), "--dataset", "keep");
    assertThat(r.exitCode()).isEqualTo(3);
    assertThat(r.err()).contains("the input holds no records").contains("--set ingest.allow-empty=true");
    assertThat(count("SELECT count(*) FROM input.participants WHERE scope = 'keep'")).isEqualTo(2);
    CliRun asked = chorus("--set", "ingest.allow-empty=true", "ingest", "table", "--table", "participants", "--input",
        empty.toString(), "--dataset", "keep");
    assertThat(asked.exitCode()).as(asked.err()).isZero();
    assertThat(count("SELECT count(*) FROM input.participants WHERE scope = 'keep'")).isZero();
  }

  @Test
  void recordIdsAreUniqueAcrossFilesOfTheSameName() {
    String glob = sharedData().resolve("preferences/hidden-context/relabeled_hh_rlhf").toString() + "/{harmless,helpful}/test.jsonl.gz";
    IngestReport both = run(new ComparisonsIngest(), new ComparisonsIngest.Options(glob, "hidden-context", "two-files",
        false));
    assertThat(both.totalRead()).isEqualTo(1886 + 2157);
    assertThat(count("SELECT count(*) FROM input.quarantine WHERE scope = 'two-files' AND reason LIKE 'duplicate key%'"))
        .as("no record is a duplicate of a record of the other file").isZero();
    assertThat(spark.sql("SELECT DISTINCT substring_index(comparison_id, ':', 1) FROM input.comparisons "
        + "WHERE dataset_id = 'two-files' ORDER BY 1").as(org.apache.spark.sql.Encoders.STRING()).collectAsList())
        .containsExactly("harmless/test", "helpful/test");
    assertThat(both.totalAccepted() + both.totalQuarantined()).isEqualTo(both.totalRead());
  }

  @Test
  void unknownTableAndMissingFilesAreBadInput() {
    assertThatThrownBy(() -> run(new TableIngest(), new TableIngest.Options("nonsense", tmp.toString(), "csv", "x")))
        .isInstanceOf(ChorusException.class).hasMessageStartingWith("unknown table 'nonsense'")
        .satisfies(e -> assertThat(((ChorusException) e).exitCode()).isEqualTo(3));
    assertThatThrownBy(() -> run(new ComparisonsIngest(), new ComparisonsIngest.Options(tmp.resolve("none.jsonl").toString(), "trl", "x", false)))
        .hasMessageStartingWith("input not found");
  }

  @Test
  void sortitionPoolsInBothLayouts() {
    Path small = sharedData().resolve("sortition/example_small_20");
    IngestReport a = run(new SortitionIngest(), SortitionIngest.Options.of(small.resolve("respondents.csv").toString(), small.resolve("categories.csv").toString(), "small"));
    assertThat(a.source("respondents.csv", "input.pool").accepted()).isEqualTo(200);
    assertThat(count("SELECT count(*) FROM input.quotas WHERE pool_id = 'small'")).isEqualTo(4);
    assertThat(spark.sql("SELECT person_id FROM input.pool WHERE pool_id = 'small' ORDER BY CAST(person_id AS INT) "
        + "LIMIT 1").first().getString(0)).isEqualTo("0");

    Path scot = sharedData().resolve("sortition/scotland_150");
    IngestReport b = run(new SortitionIngest(), SortitionIngest.Options.of(scot.resolve("candidates.csv").toString(), scot.resolve("features.csv").toString(), "scot"));
    assertThat(b.totalQuarantined()).isZero();
    assertThat(count("SELECT count(*) FROM input.pool WHERE pool_id = 'scot'")).isEqualTo(150);
    Row q = spark.sql("SELECT min, max, min_flex, max_flex FROM input.quotas WHERE pool_id = 'scot' AND "
        + "category = 'Gender' AND feature = 'Female'").first();
    assertThat(q.mkString(",")).isEqualTo("11,12,0,12");
    // contact details never enter the warehouse
    Row p0 = spark.sql("SELECT attributes FROM input.pool WHERE pool_id = 'scot' AND person_id = 'p0'").first();
    assertThat(p0.<String, String>getJavaMap(0)).containsOnlyKeys("Gender", "age_bracket", "geo_bucket", "edu_level");
  }

  @Test
  void sortitionQuarantinesPeopleWithoutAQuota() throws IOException {
    Path dir = tmp.resolve("pool");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("cats.csv"), "category,feature,min,max\ngender,female,1,2\ngender,male,1,2\n"
        + "gender,x,3,1\n");
    Files.writeString(dir.resolve("people.csv"), "person_id,gender,email\na,female,a@x\nb,robot,b@x\nc,,c@x\na,male,d@x\n");
    IngestReport r = run(new SortitionIngest(), SortitionIngest.Options.of(dir.resolve("people.csv").toString(), dir.resolve("cats.csv").toString(), "tiny"));
    assertThat(r.source("cats.csv", "input.quotas").quarantined()).isEqualTo(1);
    assertThat(r.source("people.csv", "input.pool").accepted()).isEqualTo(1);
    assertThat(r.source("people.csv", "input.pool").quarantined()).isEqualTo(3);
    assertThat(spark.sql("SELECT reason FROM input.quarantine WHERE scope = 'tiny' ORDER BY reason")
        .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()).containsExactly(
            "duplicate key (person_id) = (a)", "min 3 > max 1", "no value for quota category 'gender'",
            "value 'robot' of category 'gender' has no quota (quotas: female, male)");
    assertThatThrownBy(() -> run(new SortitionIngest(), SortitionIngest.Options.of(dir.resolve("people.csv").toString(), sharedData().resolve("sortition/scotland_150/features.csv").toString(), "tiny2")))
        .hasMessageContaining("people.csv has no column for quota categories age_bracket, edu_level, geo_bucket");
  }

  private static byte[] json(String s) {
    return (s + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] concat(String a, byte[] b, String c) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    out.writeBytes(a.getBytes(StandardCharsets.UTF_8));
    out.writeBytes(b);
    out.writeBytes(c.getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static byte[] join(List<byte[]> lines) {
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    lines.forEach(out::writeBytes);
    return out.toByteArray();
  }
}
