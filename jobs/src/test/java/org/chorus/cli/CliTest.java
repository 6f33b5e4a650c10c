package org.chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.chorus.SparkTestBase;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The command contract, in-process: output formats, lineage, exit codes, one-line errors, forget, demo. */
class CliTest extends SparkTestBase {
  static Path export;

  @BeforeAll
  static void synth() {
    export = tmp.resolve("export");
    CliRun run = chorus("synth", "--participants", "400", "--statements", "40", "--votes-per-participant", "12",
        "--comparisons", "3000", "--prompts", "300", "--seed", "5", "--conversation", "s1",
        "--export-polis", export.toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("[synth] 400 participants in 3 groups");
  }

  @Test
  void synthWritesTablesAndTruthDeterministically() {
    assertThat(count("SELECT count(*) FROM input.participants WHERE scope = 's1'")).isEqualTo(400);
    assertThat(count("SELECT count(*) FROM truth.participant_groups WHERE conversation_id = 's1'")).isEqualTo(400);
    assertThat(count("SELECT count(*) FROM input.statements WHERE conversation_id = 's1'")).isEqualTo(40);
    assertThat(count("SELECT count(*) FROM truth.statement_profiles WHERE conversation_id = 's1'")).isEqualTo(120);
    assertThat(count("SELECT count(*) FROM input.comparisons WHERE dataset_id = 's1'")).isEqualTo(3000);
    assertThat(count("SELECT count(*) FROM input.prompts WHERE dataset_id = 's1-prompts'")).isEqualTo(300);
    assertThat(count("SELECT count(*) FROM (SELECT participant_id, statement_id FROM input.votes WHERE "
        + "conversation_id = 's1' GROUP BY 1, 2 HAVING count(*) > 1)")).isZero();
    long fingerprint = count("SELECT sum(hash(participant_id, statement_id, vote)) FROM input.votes WHERE "
        + "conversation_id = 's1'");
    CliRun again = chorus("synth", "--participants", "400", "--statements", "40", "--votes-per-participant", "12",
        "--comparisons", "3000", "--prompts", "300", "--seed", "5", "--conversation", "s1");
    assertThat(again.exitCode()).isZero();
    assertThat(count("SELECT sum(hash(participant_id, statement_id, vote)) FROM input.votes WHERE "
        + "conversation_id = 's1'")).isEqualTo(fingerprint);
    // the generating groups are recoverable: on divisive statements, groups disagree with each other
    assertThat(count("SELECT count(*) FROM (SELECT statement_id, max(p_agree) - min(p_agree) AS spread FROM "
        + "truth.statement_profiles WHERE conversation_id = 's1' AND kind = 'divisive' GROUP BY 1) WHERE spread > 0.4"))
        .isPositive();
  }

  @Test
  void polisExportOfSynthReadsBackIdentically() {
    CliRun run = chorus("ingest", "polis", "--input", export.toString(), "--conversation", "s1-back");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("input.votes").contains("0 superseded");
    assertThat(count("SELECT count(*) FROM (SELECT participant_id, statement_id, vote, voted_at FROM input.votes "
        + "WHERE conversation_id = 's1' EXCEPT SELECT participant_id, statement_id, vote, voted_at FROM input.votes "
        + "WHERE conversation_id = 's1-back')")).isZero();
    assertThat(count("SELECT count(*) FROM input.votes WHERE conversation_id = 's1-back'"))
        .isEqualTo(count("SELECT count(*) FROM input.votes WHERE conversation_id = 's1'"));
  }

  @Test
  void sqlPrintsCsvJsonAndTables() throws Exception {
    CliRun csv = chorus("sql", "SELECT statement_id, text FROM input.statements WHERE conversation_id = 's1' "
        + "ORDER BY statement_id LIMIT 2", "--format", "csv");
    assertThat(csv.exitCode()).isZero();
    String[] lines = csv.out().split("\n");
    assertThat(lines).hasSize(3);
    assertThat(lines[0]).isEqualTo("statement_id,text");
    assertThat(lines[1]).startsWith("0,Synthetic statement 0");

    CliRun json = chorus("sql", "SELECT statement_id, author_id, is_seed FROM input.statements WHERE "
        + "conversation_id = 's1' ORDER BY statement_id LIMIT 3", "--format", "json");
    String[] objects = json.out().trim().split("\n");
    assertThat(objects).hasSize(3);
    JsonNode first = new ObjectMapper().readTree(objects[0]);
    assertThat(first.get("statement_id").asLong()).isZero();
    assertThat(first.get("is_seed").asBoolean()).isTrue();

    CliRun table = chorus("sql", "SELECT 1 AS one, 'x' AS two");
    assertThat(table.out()).contains("one | two").contains("(1 row)");
  }

  @Test
  void sqlReadsParquetFilesByPath() {
    Path file = tmp.resolve("five.parquet");
    spark.range(5).write().parquet(file.toString());
    CliRun run = chorus("sql", "SELECT count(*) AS n FROM parquet.`" + file + "`", "--format", "csv");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).isEqualTo("n\n5\n");
  }

  @Test
  void tablesShowCountsSnapshotsAndLineage() {
    Path small = sharedData().resolve("sortition/example_small_20");
    CliRun ingest = chorus("ingest", "sortition", "--respondents", small.resolve("respondents.csv").toString(),
        "--categories", small.resolve("categories.csv").toString(), "--pool", "lineage");
    assertThat(ingest.exitCode()).as(ingest.err()).isZero();
    CliRun run = chorus("tables", "--format", "csv");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out().split("\n")[0]).isEqualTo("table,rows,snapshot_id,committed_at,job,scope,run_id,reads,sources");
    assertThat(run.out()).containsPattern("input\\.pool,\\d+,\\d+,[^,]+,ingest sortition,lineage,[0-9a-f-]{36},,"
        + "\"[^\"]*categories.csv,[^\"]*respondents.csv\"");
    assertThat(run.out()).contains("input.quarantine");
  }

  @Test
  void errorsAreOneLineWithTheContractsExitCodes() {
    CliRun missing = chorus("ingest", "polis", "--input", tmp.resolve("nowhere").toString(), "--conversation", "x");
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.err()).startsWith("chorus: input not found").doesNotContain("\tat ");
    assertThat(missing.err().trim().split("\n")).hasSize(1);

    CliRun usage = chorus("ingest", "polis", "--conversation", "x");
    assertThat(usage.exitCode()).isEqualTo(2);
    assertThat(usage.err()).contains("Missing required option: '--input=DIR'");
    assertThat(usage.err().trim().split("\n")).hasSize(1);

    assertThat(chorus("frobnicate").exitCode()).isEqualTo(2);
    CliRun badConf = chorus("--set", "spark.shufle-partitions=3", "tables");
    assertThat(badConf.exitCode()).isEqualTo(2);
    assertThat(badConf.err().trim()).isEqualTo("chorus: bad config: unknown key 'chorus.spark.shufle-partitions'");
    CliRun badQuery = chorus("sql", "SELECT * FROM input.nothing_here");
    assertThat(badQuery.exitCode()).isEqualTo(2);
    assertThat(badQuery.err()).startsWith("chorus: bad query:");
    CliRun unknownTable = chorus("ingest", "table", "--table", "nope", "--input", export.toString());
    assertThat(unknownTable.exitCode()).isEqualTo(3);
    CliRun badFormat = chorus("ingest", "comparisons", "--input", export.toString(), "--format", "xml", "--dataset", "d");
    assertThat(badFormat.exitCode()).isEqualTo(2);
  }

  @Test
  void forgetDeletesAParticipantEverywhereInScope() {
    assertThat(chorus("synth", "--participants", "50", "--statements", "10", "--votes-per-participant", "8",
        "--comparisons", "400", "--prompts", "0", "--conversation", "f1").exitCode()).isZero();
    assertThat(chorus("synth", "--participants", "50", "--statements", "10", "--votes-per-participant", "8",
        "--comparisons", "0", "--prompts", "0", "--conversation", "f2").exitCode()).isZero();
    long before = count("SELECT count(*) FROM input.votes WHERE conversation_id = 'f1' AND participant_id = '3'");
    assertThat(before).isPositive();
    long otherBefore = count("SELECT count(*) FROM input.votes WHERE conversation_id = 'f2' AND participant_id = '3'");
    CliRun run = chorus("forget", "--participant", "3", "--scope", "f1");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(count("SELECT count(*) FROM input.votes WHERE conversation_id = 'f1' AND participant_id = '3'")).isZero();
    assertThat(count("SELECT count(*) FROM input.participants WHERE scope = 'f1' AND participant_id = '3'")).isZero();
    assertThat(count("SELECT count(*) FROM input.comparisons WHERE dataset_id = 'f1' AND rater_id = '3'")).isZero();
    assertThat(count("SELECT count(*) FROM truth.participant_groups WHERE conversation_id = 'f1' AND "
        + "participant_id = '3'")).isZero();
    assertThat(count("SELECT count(*) FROM input.votes WHERE conversation_id = 'f2' AND participant_id = '3'"))
        .isEqualTo(otherBefore);
    assertThat(otherBefore).isPositive();
    assertThat(run.out()).contains("input.votes").contains("rows deleted");
    assertThat(tables.load("input.votes").currentSnapshot().summary()).containsEntry("chorus.job", "forget");
  }

  @Test
  void demoRunsEndToEnd() throws Exception {
    CliRun run = chorus("--set", "demo.participants=150", "--set", "demo.statements=15", "--set",
        "demo.comparisons=400", "--set", "demo.prompts=60", "demo", "--out", tmp.resolve("demo").toString());
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("1. synth").contains("2. ingest polis").contains("8. reward train").contains("10. shards").contains("11. prompts").contains("12. report").contains("derived.boundary_cases").contains("truth.prompt_labels")
        .contains("Done in");
    assertThat(count("SELECT count(*) FROM input.votes WHERE conversation_id = 'demo-polis'"))
        .isEqualTo(count("SELECT count(*) FROM input.votes WHERE conversation_id = 'demo'"));

    // the report: self-contained (no script, nothing fetched), at least 6 charts, rendered by headless Chromium
    java.nio.file.Path page = tmp.resolve("demo/report/index.html");
    String html = java.nio.file.Files.readString(page);
    assertThat(html.split("<svg", -1).length - 1).isGreaterThanOrEqualTo(6);
    assertThat(html).doesNotContain("<script", "<link", "<img", "<iframe", "@import", "url(http", "src=\"http",
        "href=\"http");
    org.chorus.report.Chromium.Render render = org.chorus.report.Chromium.render(page,
        java.nio.file.Path.of("target/report-screenshot.png"), tmp.resolve("netlog.json"));
    assertThat(render.exitCode()).isZero();
    assertThat(render.pageRequests()).isEmpty();
    assertThat(java.nio.file.Path.of("target/report-screenshot.png")).isNotEmptyFile();
  }

  @Test
  void schedulersGetOneJsonObjectAndARetryUnderTheSameRunIdCommitsNothing() throws Exception {
    ObjectMapper json = new ObjectMapper();
    String[] ingest = {"--output", "json", "--run-id", "manual__2026-12-03T10:00:00+00:00", "ingest", "polis",
        "--input", export.toString(), "--conversation", "j1"};
    CliRun first = chorus(ingest);
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out().trim().split("\n")).hasSize(1);
    JsonNode a = json.readTree(first.out());
    assertThat(a.get("job").asText()).isEqualTo("ingest polis");
    assertThat(a.get("status").asText()).isEqualTo("ok");
    assertThat(a.get("run_id").asText()).isEqualTo("manual__2026-12-03T10:00:00+00:00");
    assertThat(a.get("figures").get("read").asLong())
        .isEqualTo(a.get("figures").get("accepted").asLong() + a.get("figures").get("quarantined").asLong());
    // the JSON's snapshot ids are those ./chorus tables shows, and each commit carries the run id
    java.util.Map<String, Long> listed = new java.util.HashMap<>();
    for (String line : chorus("tables", "--format", "json").out().trim().split("\n")) {
      JsonNode t = json.readTree(line);
      listed.put(t.get("table").asText(), t.get("snapshot_id").asLong());
    }
    assertThat(a.get("tables")).hasSize(5);
    for (JsonNode t : a.get("tables")) {
      assertThat(listed.get(t.get("table").asText())).isEqualTo(t.get("snapshot_id").asLong());
      assertThat(tables.load(t.get("table").asText()).currentSnapshot().summary())
          .containsEntry("chorus.run-id", "manual__2026-12-03T10:00:00+00:00");
    }
    long runsSnapshot = tables.load("derived.job_runs").currentSnapshot().snapshotId();

    CliRun retry = chorus(ingest);
    assertThat(retry.exitCode()).as(retry.err()).isZero();
    JsonNode b = json.readTree(retry.out());
    assertThat(b.get("status").asText()).isEqualTo("noop");
    assertThat(b.get("tables")).isEqualTo(a.get("tables"));
    for (JsonNode t : a.get("tables")) {
      assertThat(tables.load(t.get("table").asText()).currentSnapshot().snapshotId())
          .isEqualTo(t.get("snapshot_id").asLong());
    }
    assertThat(tables.load("derived.job_runs").currentSnapshot().snapshotId()).isEqualTo(runsSnapshot);

    // a job reading tables: a retry is a no-op while its inputs are unchanged, and runs again once they change
    String[] opinions = {"--run-id", "op-1", "opinions", "--conversation", "j1", "--method", "polis"};
    JsonNode o1 = json.readTree(chorus(concat(new String[] {"--output", "json"}, opinions)).out());
    assertThat(o1.get("status").asText()).isEqualTo("ok");
    assertThat(o1.get("figures").get("statements").asInt()).isEqualTo(40);
    CliRun human = chorus(opinions);
    assertThat(human.exitCode()).as(human.err()).isZero();
    assertThat(human.out()).contains("opinions: run 'op-1' already completed at").contains("nothing committed");
    assertThat(tables.load("derived.statement_stats").currentSnapshot().snapshotId())
        .isEqualTo(o1.get("tables").get(1).get("snapshot_id").asLong());
    CliRun otherOptions = chorus("--run-id", "op-1", "opinions", "--conversation", "j1", "--method", "polis",
        "--max-groups", "3");
    assertThat(otherOptions.exitCode()).isEqualTo(2);
    assertThat(otherOptions.err()).contains("run id 'op-1' already ran opinions with other options");
    assertThat(chorus("ingest", "polis", "--input", export.toString(), "--conversation", "j1").exitCode()).isZero();
    JsonNode o2 = json.readTree(chorus(concat(new String[] {"--output", "json"}, opinions)).out());
    assertThat(o2.get("status").asText()).isEqualTo("ok");
    assertThat(o2.get("tables").get(1).get("snapshot_id").asLong())
        .isNotEqualTo(o1.get("tables").get(1).get("snapshot_id").asLong());
    assertThat(count("SELECT count(*) FROM derived.job_runs WHERE job = 'opinions' AND run_id = 'op-1'"))
        .isEqualTo(2);
  }

  static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void everyJobPrintsOneJsonObjectWithTheSnapshotsTablesShows() throws Exception {
    ObjectMapper json = new ObjectMapper();
    Path margins = tmp.resolve("json-margins.csv");
    java.nio.file.Files.writeString(margins, DemoCommand.MARGINS);
    Path small = sharedData().resolve("sortition/example_small_20");
    List<List<String>> commands = List.of(
        List.of("opinions", "--conversation", "s1", "--method", "polis"),
        List.of("weights", "--margins", margins.toString(), "--population", "s1"),
        List.of("ingest", "sortition", "--respondents", small.resolve("respondents.csv").toString(), "--categories",
            small.resolve("categories.csv").toString(), "--pool", "json-pool"),
        List.of("panel", "--pool", "json-pool", "--size", "20", "--legacy-draws", "0"),
        List.of("aggregate", "--dataset", "s1", "--methods", "bt,borda"),
        List.of("policy", "--conversation", "s1", "--rule", "gic", "--threshold", "0.3"),
        List.of("prompts", "--dataset", "s1-prompts", "--clusters", "3"),
        List.of("report", "--out", tmp.resolve("json-report").toString()));
    for (List<String> command : commands) {
      List<String> args = new java.util.ArrayList<>(List.of("--output", "json"));
      args.addAll(command);
      CliRun run = chorus(args.toArray(new String[0]));
      assertThat(run.exitCode()).as(command + ": " + run.err()).isZero();
      assertThat(run.out().trim().split("\n")).as(command.toString()).hasSize(1);
      JsonNode result = json.readTree(run.out());
      assertThat(result.get("status").asText()).isEqualTo("ok");
      assertThat(result.get("job").asText()).isEqualTo(command.get(0).equals("ingest") ? "ingest sortition"
          : command.get(0));
      assertThat(result.get("figures").isObject()).isTrue();
      java.util.Map<String, Long> listed = new java.util.HashMap<>();
      for (String line : chorus("tables", "--format", "json").out().trim().split("\n")) {
        JsonNode t = json.readTree(line);
        listed.put(t.get("table").asText(), t.get("snapshot_id").asLong());
      }
      for (JsonNode t : result.get("tables")) {
        assertThat(listed.get(t.get("table").asText())).as(command + " " + t.get("table"))
            .isEqualTo(t.get("snapshot_id").asLong());
      }
      if (!command.get(0).equals("report")) {
        assertThat(result.get("tables")).as(command.toString()).isNotEmpty();
      }
    }
  }
}
