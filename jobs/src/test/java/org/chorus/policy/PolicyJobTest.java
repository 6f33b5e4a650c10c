package org.chorus.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.univocity.parsers.csv.CsvParserSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.chorus.SparkTestBase;
import org.chorus.ingest.PolisIngest;
import org.chorus.opinions.OpinionsConfig;
import org.chorus.opinions.OpinionsJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * chorus policy on the Collective Constitutional AI export (../shared/data/polis/ccai) with Polis's own groups: the
 * both-groups rule against a hand computation from the export's vote matrix, and against the published per-group
 * consensus columns of the cleaned export the CCAI analysis used.
 */
class PolicyJobTest extends SparkTestBase {
  static Path ccai;
  static Path clean;

  @BeforeAll
  static void conversations() throws IOException {
    ccai = sharedData().resolve("polis/ccai");
    // the cleaned export (37 participants tossed, 275 accepted statements) read in place under Polis's file names
    clean = Files.createDirectories(tmp.resolve("ccai-clean"));
    Files.createSymbolicLink(clean.resolve("comments.csv"), ccai.resolve("clean_comments.csv"));
    Files.createSymbolicLink(clean.resolve("participants-votes.csv"), ccai.resolve("clean_votes.csv"));
    for (String[] c : new String[][] {{ccai.toString(), "ccai"}, {clean.toString(), "ccai-clean"}}) {
      run(new PolisIngest(), new PolisIngest.Options(c[0], c[1]));
      run(new OpinionsJob(), OpinionsJob.Options.of(c[1], OpinionsConfig.from(config))
        .withGroups(OpinionsJob.Groups.export).withMethod(OpinionsJob.Method.polis).withMaxGroups(5).withSeed(7));
    }
  }

  /** Per statement and group: agree, disagree, pass counts from a participants-votes.csv, by its group-id column. */
  static Map<Long, Map<Integer, long[]>> handCounts(Path matrix) throws IOException {
    Map<Long, Map<Integer, long[]>> out = new HashMap<>();
    List<String> lines = Files.readAllLines(matrix, StandardCharsets.UTF_8);
    String[] header = lines.get(0).split(",", -1);
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(",", -1);
      if (f[2].isEmpty()) {
        continue; // no Polis group
      }
      int group = Integer.parseInt(f[2]);
      for (int c = 7; c < f.length; c++) {
        if (f[c].isEmpty()) {
          continue;
        }
        int vote = (int) Double.parseDouble(f[c]);
        long[] n = out.computeIfAbsent(Long.parseLong(header[c]), k -> new TreeMap<>())
            .computeIfAbsent(group, k -> new long[3]);
        n[vote == 1 ? 0 : vote == -1 ? 1 : 2]++;
      }
    }
    return out;
  }

  static List<String[]> csv(Path file) throws IOException {
    CsvParserSettings s = new CsvParserSettings();
    s.setHeaderExtractionEnabled(false);
    s.setMaxCharsPerColumn(-1);
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return new com.univocity.parsers.csv.CsvParser(s).parseAll(r);
    }
  }

  /** The statements the policy of conversation/key lists, from derived.policy_rules. */
  static TreeSet<Long> selected(String conv, String key) {
    TreeSet<Long> ids = new TreeSet<>();
    for (Row r : spark.sql("SELECT explode(statement_ids) FROM derived.policy_rules WHERE conversation_id = '" + conv
        + "' AND policy_key = '" + key + "'").collectAsList()) {
      ids.add(r.getLong(0));
    }
    return ids;
  }

  @Test
  void aConversationIdIsAValueNeverAPathOrSql() throws IOException {
    String hostile = "../../outside \\' OR '1'='1";
    Path export = sharedData().resolve("polis/london.youth.policing");
    assertThat(chorus("ingest", "polis", "--input", export.toString(), "--conversation", hostile).exitCode()).isZero();
    assertThat(chorus("opinions", "--conversation", hostile, "--groups", "export").exitCode()).isZero();
    CliRun policy = chorus("policy", "--conversation", hostile, "--threshold", "0.5");
    assertThat(policy.exitCode()).as(policy.err()).isZero();
    Path policies = tmp.resolve("warehouse/policies");
    List<Path> written;
    try (var files = Files.walk(tmp)) {
      written = files.filter(p -> p.getFileName().toString().equals("policy.json") && p.toString().contains("outside"))
          .toList();
    }
    assertThat(written).as("every policy.json stays under the warehouse's policies/").isNotEmpty()
        .allMatch(p -> p.normalize().startsWith(policies));
    assertThat(tmp.resolve("outside")).doesNotExist();
    assertThat(tmp.getParent().resolve("outside")).doesNotExist();
    assertThat(count("SELECT count(*) FROM derived.policy_rules WHERE conversation_id = '"
        + hostile.replace("\\", "\\\\").replace("'", "\\'") + "'")).isPositive();
  }

  @Test
  void bothGroupsRuleSelectsWhatAHandComputationOfTheVoteMatrixSelects() throws IOException {
    Map<Long, Map<Integer, long[]>> counts = handCounts(ccai.resolve("participants-votes.csv"));
    List<String[]> comments = csv(ccai.resolve("comments.csv"));
    int idCol = List.of(comments.get(0)).indexOf("comment-id");
    int modCol = List.of(comments.get(0)).indexOf("moderated");
    for (double t : new double[] {0.6, 0.7, 0.8}) {
      TreeSet<Long> expected = new TreeSet<>();
      for (String[] c : comments.subList(1, comments.size())) {
        long id = Long.parseLong(c[idCol]);
        Map<Integer, long[]> g = counts.getOrDefault(id, Map.of());
        boolean all = g.size() == 2 && g.values().stream().allMatch(n -> (double) n[0] / (n[0] + n[1] + n[2]) > t);
        if (c[modCol].equals("1") && all) {
          expected.add(id);
        }
      }
      CliRun run = chorus("policy", "--conversation", "ccai", "--threshold", String.valueOf(t), "--out",
          tmp.resolve("ccai-" + t).toString());
      assertThat(run.exitCode()).as(run.err()).isZero();
      assertThat(expected).isNotEmpty();
      assertThat(selected("ccai", "both-groups@" + t)).as("T = " + t).isEqualTo(expected);
      // the document lists the same statements, with the hand-computed group support
      JsonNode doc = new ObjectMapper().readTree(tmp.resolve("ccai-" + t).resolve("policy.json").toFile());
      assertThat(doc.path("rules").size()).isEqualTo(expected.size());
      for (JsonNode rule : doc.path("rules")) {
        long id = rule.path("statement_ids").get(0).asLong();
        for (Map.Entry<Integer, long[]> g : counts.get(id).entrySet()) {
          long[] n = g.getValue();
          assertThat(rule.path("group_support").path(String.valueOf(g.getKey())).asDouble())
              .isCloseTo((double) n[0] / (n[0] + n[1] + n[2]), within(1e-12));
        }
      }
    }
  }

  @Test
  void bothGroupsRuleReproducesThePublishedCcaiConsensusColumns() throws IOException {
    List<String[]> published = csv(ccai.resolve("clean_comments.csv"));
    List<String> h = List.of(published.get(0));
    int id = h.indexOf("comment-id");
    int g0 = h.indexOf("group_0_consensus");
    int g1 = h.indexOf("group_1_consensus");
    int[] expectedCounts = {233, 196, 135};
    double[] thresholds = {0.6, 0.7, 0.8};
    for (int k = 0; k < thresholds.length; k++) {
      double t = thresholds[k];
      TreeSet<Long> expected = new TreeSet<>();
      for (String[] c : published.subList(1, published.size())) {
        if (Double.parseDouble(c[g0]) > t && Double.parseDouble(c[g1]) > t) {
          expected.add(Long.parseLong(c[id]));
        }
      }
      assertThat(chorus("policy", "--conversation", "ccai-clean", "--threshold", String.valueOf(t)).exitCode())
          .isZero();
      assertThat(selected("ccai-clean", "both-groups@" + t)).as("T = " + t).isEqualTo(expected)
          .hasSize(expectedCounts[k]);
    }
    Map<Long, String[]> byId = new HashMap<>();
    published.subList(1, published.size()).forEach(c -> byId.put(Long.parseLong(c[id]), c));
    for (Row r : spark.sql("SELECT statement_ids[0], group_support[0], group_support[1] FROM derived.policy_rules "
        + "WHERE conversation_id = 'ccai-clean' AND policy_key = 'both-groups@0.6'").collectAsList()) {
      String[] c = byId.get(r.getLong(0));
      assertThat(r.getDouble(1)).isCloseTo(Double.parseDouble(c[g0]), within(1e-12));
      assertThat(r.getDouble(2)).isCloseTo(Double.parseDouble(c[g1]), within(1e-12));
    }
  }

  @Test
  void versionsFollowEachOtherWithADiffAndNearDuplicatesMerge() throws IOException {
    CliRun first = chorus("policy", "--conversation", "ccai-clean", "--rule", "gic", "--threshold", "0.55");
    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(first.out()).contains("version 1:");
    long gic = count("SELECT count(*) FROM derived.statement_stats WHERE conversation_id = 'ccai-clean' AND "
        + "moderated = 1 AND NOT is_meta AND gic >= 0.55");
    assertThat(selected("ccai-clean", "gic@0.55")).hasSize((int) gic);

    CliRun second = chorus("policy", "--conversation", "ccai-clean", "--rule", "gic", "--threshold", "0.55",
        "--merge-similar");
    assertThat(second.exitCode()).as(second.err()).isZero();
    Path dir = Path.of(java.net.URI.create(config.warehouseLocation())).resolve("policies/ccai-clean/gic@0.55");
    JsonNode v2 = new ObjectMapper().readTree(dir.resolve("v2/policy.json").toFile());
    assertThat(v2.path("version").asInt()).isEqualTo(2);
    assertThat(v2.path("conversation_id").asText()).isEqualTo("ccai-clean");
    assertThat(v2.path("rule").asText()).isEqualTo("gic");
    assertThat(v2.path("threshold").asDouble()).isEqualTo(0.55);
    assertThat(v2.path("snapshot").path("derived.statement_stats").asLong())
        .isEqualTo(tables.load("derived.statement_stats").currentSnapshot().snapshotId());
    // "The AI should be kind" (130) and "AI should be very kind" (695) become one rule led by the stronger one
    JsonNode kind = null;
    for (JsonNode r : v2.path("rules")) {
      if (r.path("rule_id").asText().equals("s130")) {
        kind = r;
      }
    }
    assertThat(kind).isNotNull();
    assertThat(kind.path("statement_ids").toString()).isEqualTo("[130,695]");
    assertThat(v2.path("diff").path("removed").toString()).contains("\"s695\"");
    assertThat(v2.path("diff").path("added").size()).isZero();
    assertThat(v2.path("diff").path("changed").toString()).contains("\"s130\"");
    assertThat(v2.path("rules").size()).isEqualTo((int) gic - (v2.path("diff").path("removed").size()));
    String md = Files.readString(dir.resolve("v2/policy.md"));
    assertThat(md).contains("version 2").contains("## Changes since version 1")
        .contains("statements [130] → [130, 695]");
    // the table holds the latest version only
    assertThat(count("SELECT count(DISTINCT version) FROM derived.policy_rules WHERE policy_key = 'gic@0.55'"))
        .isEqualTo(1);

    // the same rules again: the existing version is reported, nothing is written
    long rulesSnapshot = tables.load("derived.policy_rules").currentSnapshot().snapshotId();
    CliRun third = chorus("policy", "--conversation", "ccai-clean", "--rule", "gic", "--threshold", "0.55",
        "--merge-similar");
    assertThat(third.exitCode()).as(third.err()).isZero();
    assertThat(third.out()).contains("the rules are those of version 2").contains("no new version written");
    assertThat(dir.resolve("v3")).doesNotExist();
    assertThat(tables.load("derived.policy_rules").currentSnapshot().snapshotId()).isEqualTo(rulesSnapshot);
  }

  @Test
  void badRequestsFailWithOneLine() {
    CliRun bridging = chorus("policy", "--conversation", "ccai", "--rule", "bridging", "--threshold", "0.5");
    assertThat(bridging.exitCode()).isEqualTo(2);
    assertThat(bridging.err()).contains("--threshold does not apply");
    CliRun missing = chorus("policy", "--conversation", "nope");
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.err()).contains("run chorus opinions --conversation nope first");
    assertThat(chorus("policy", "--conversation", "ccai", "--rule", "majority").exitCode()).isEqualTo(2);
    assertThat(chorus("policy", "--conversation", "ccai", "--threshold", "1.5").exitCode()).isEqualTo(2);
    CliRun helpful = chorus("policy", "--conversation", "ccai", "--rule", "bridging", "--out",
        tmp.resolve("bridging").toString());
    assertThat(helpful.exitCode()).as(helpful.err()).isZero();
    assertThat(selected("ccai", "bridging")).hasSize((int) count("SELECT count(*) FROM derived.statement_stats WHERE "
        + "conversation_id = 'ccai' AND moderated = 1 AND NOT is_meta AND bridging_status = 'helpful'"));
  }
}
