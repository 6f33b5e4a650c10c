package org.chorus.shards;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.SparkTestBase;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;
import org.chorus.ingest.ComparisonsIngest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * chorus shards on the hidden-context pairs with the hh-rlhf harmless test set excluded; the shards are read back with
 * parquet-hadoop (no Spark) and checked against the manifest.
 */
class ShardsJobTest extends SparkTestBase {
  static Path pairsFile;
  static Path exclude;

  @BeforeAll
  static void data() {
    pairsFile = sharedData().resolve("preferences/hidden-context/relabeled_hh_rlhf/both/test.jsonl.gz");
    exclude = sharedData().resolve("preferences/hh-rlhf/harmless-base/test.jsonl.gz");
    run(new ComparisonsIngest(), new ComparisonsIngest.Options(pairsFile.toString(), "hidden-context", "hcs", false));
  }

  /** An independent normalisation: lower case, no role markers, words joined by one space. */
  static String norm(String s) {
    return String.join(" ", s.toLowerCase(java.util.Locale.ROOT)
        .replaceAll("(human|assistant|user|system)\\s*:", " ").split("[^\\p{L}\\p{N}]+")).trim();
  }

  static List<JsonNode> jsonl(Path gz) throws Exception {
    List<JsonNode> out = new ArrayList<>();
    ObjectMapper m = new ObjectMapper();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(gz)),
        StandardCharsets.UTF_8))) {
      for (String line = r.readLine(); line != null; line = r.readLine()) {
        out.add(m.readTree(line));
      }
    }
    return out;
  }

  /**
   * Arrow type names that Hugging Face datasets maps to a feature (datasets' features.py: Value for the primitives,
   * List/LargeList for lists, a dict of features for a struct); map, union, dictionary and others have none.
   */
  static final Set<String> DATASETS_TYPES = Set.of("bool", "int", "floatingpoint", "utf8", "largeutf8", "binary",
      "largebinary", "date", "timestamp", "decimal", "list", "largelist", "struct", "null");

  /** Every Arrow type name in a schema's fields, children included. */
  static List<String> arrowTypes(JsonNode node, List<String> out) {
    for (JsonNode f : node.path("fields").isArray() ? node.path("fields") : node.path("children")) {
      out.add(f.path("type").path("name").asText());
      arrowTypes(f, out);
    }
    return out;
  }

  static String sha256(Path p) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p)));
  }

  @Test
  void shardsMatchTheirManifestKeepPromptsDisjointAndContainNoExcludedPrompt() throws Exception {
    // hand count: usable pairs whose prompt is not an hh-rlhf harmless test prompt
    Set<String> excluded = new HashSet<>();
    for (JsonNode e : jsonl(exclude)) {
      String chosen = e.get("chosen").asText();
      excluded.add(norm(chosen.substring(0, chosen.lastIndexOf("Assistant:") + "Assistant:".length())));
    }
    long keep = 0;
    long usable = 0;
    for (JsonNode r : jsonl(pairsFile)) {
      if (r.get("responses").get(0).asText().equals(r.get("responses").get(1).asText())) {
        continue;
      }
      usable++;
      keep += excluded.contains(norm(r.get("prompt").asText())) ? 0 : 1;
    }
    Path a = tmp.resolve("shards-a");
    Path b = tmp.resolve("shards-b");
    for (Path out : List.of(a, b)) {
      CliRun run = chorus("shards", "--dataset", "hcs", "--out", out.toString(), "--exclude", exclude.toString(),
          "--shard-rows", "600");
      assertThat(run.exitCode()).as(run.err()).isZero();
    }
    assertThat(Files.readAllBytes(b.resolve("manifest.json"))).isEqualTo(Files.readAllBytes(a.resolve("manifest.json")));
    JsonNode manifest = new ObjectMapper().readTree(a.resolve("manifest.json").toFile());
    assertThat(manifest.path("dedup").path("pairs_labelled").asLong()).isEqualTo(usable);
    assertThat(manifest.path("rows_written").asLong()).as("the rest is kept").isEqualTo(keep);
    assertThat(manifest.path("decontamination").path("pairs_dropped_exact").asLong()
        + manifest.path("decontamination").path("pairs_dropped_near").asLong()).isEqualTo(usable - keep);

    Configuration conf = new Configuration();
    Map<String, Set<String>> promptsBySplit = new HashMap<>();
    long rows = 0;
    List<String> names = new ArrayList<>();
    for (JsonNode f : manifest.path("files")) {
      Path file = a.resolve(f.path("path").asText());
      names.add(f.path("path").asText());
      assertThat(Files.size(file)).isEqualTo(f.path("bytes").asLong());
      assertThat(sha256(file)).isEqualTo(f.path("sha256").asText()).isEqualTo(sha256(b.resolve(f.path("path")
          .asText())));
      org.apache.hadoop.fs.Path hp = new org.apache.hadoop.fs.Path(file.toUri());
      try (ParquetFileReader footer = ParquetFileReader.open(HadoopInputFile.fromPath(hp, conf))) {
        assertThat(footer.getFooter().getBlocks()).hasSize(f.path("row_groups").asInt());
      }
      long n = 0;
      try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), hp).withConf(conf).build()) {
        for (Group g = reader.read(); g != null; g = reader.read()) {
          n++;
          String prompt = g.getString("prompt", 0);
          assertThat(excluded).as("an excluded prompt in " + file).doesNotContain(norm(prompt));
          assertThat(g.getString("chosen", 0)).isNotEqualTo(g.getString("rejected", 0));
          promptsBySplit.computeIfAbsent(f.path("split").asText(), k -> new HashSet<>()).add(prompt);
        }
      }
      assertThat(n).isEqualTo(f.path("rows").asLong());
      rows += n;
    }
    assertThat(rows).isEqualTo(keep);
    assertThat(names).allMatch(n -> n.matches("data/(train|test)-\\d{5}-of-\\d{5}\\.parquet"));
    Set<String> overlap = new HashSet<>(promptsBySplit.get("train"));
    overlap.retainAll(promptsBySplit.get("test"));
    assertThat(overlap).as("prompts in both splits").isEmpty();
    assertThat(manifest.path("splits").path("test").path("rows").asLong()).isEqualTo(
        promptsBySplit.get("test").size());
    assertThat(Files.readString(a.resolve("README.md"))).startsWith("---\nconfigs:\n- config_name: default\n")
        .contains("path: data/train-*");
    assertThat(manifest.path("arrow_schema").path("fields").get(0).path("name").asText()).isEqualTo("prompt");
    assertThat(arrowTypes(manifest.path("arrow_schema"), new ArrayList<>()))
        .as("every Arrow type has a Hugging Face datasets feature (Value, Sequence/List or a dict of features)")
        .isSubsetOf(DATASETS_TYPES).contains("list", "struct", "utf8", "floatingpoint");
  }

  @Test
  void maxMinKeepsOnlyPairsEveryGroupAgreesOn() throws Exception {
    List<Row> rows = new ArrayList<>();
    String[][] votes = {{"u", "v", "a", "g1"}, {"u", "v", "a", "g1"}, {"u", "v", "b", "g2"},
        {"x", "y", "a", "g1"}, {"x", "y", "a", "g2"}, {"x", "y", "b", "g2"}, {"w", "z", "a", "g1"},
        {"w", "z", "a", "g2"}};
    for (int i = 0; i < votes.length; i++) {
      String[] v = votes[i];
      rows.add(RowFactory.create("mm", "c" + i, "r" + i, "p", "a prompt", v[0], "text " + v[0], v[1], "text " + v[1],
          v[2], null, v[3], null, null, "test"));
    }
    TableSpec spec = TableSchemas.input("comparisons");
    tables.replace(new RunContext("test", "mm"), spec, spark.createDataFrame(rows, spec.schema()), List.of("mm"));
    assertThat(chorus("shards", "--dataset", "mm", "--out", tmp.resolve("mm-all").toString(), "--test-percent", "0")
        .exitCode()).isZero();
    assertThat(chorus("shards", "--dataset", "mm", "--out", tmp.resolve("mm-maxmin").toString(), "--method", "maxmin",
        "--test-percent", "0").exitCode()).isZero();
    JsonNode all = new ObjectMapper().readTree(tmp.resolve("mm-all/manifest.json").toFile());
    JsonNode maxmin = new ObjectMapper().readTree(tmp.resolve("mm-maxmin/manifest.json").toFile());
    assertThat(all.path("rows_written").asLong()).isEqualTo(3);
    // u beats v 2-1 but g2 prefers v; x beats y 2-1 but g2 is split evenly (no positive margin); both groups pick w
    assertThat(maxmin.path("rows_written").asLong()).isEqualTo(1);
    assertThat(spark.sql("SELECT chosen_id FROM parquet.`" + tmp.resolve("mm-maxmin").resolve(maxmin.path("files")
        .get(0).path("path").asText()) + "`").collectAsList().toString()).isEqualTo("[[w]]");
    Row shares = spark.sql("SELECT group_shares, margin, weight FROM parquet.`" + tmp.resolve("mm-all")
        .resolve(all.path("files").get(0).path("path").asText()) + "` WHERE chosen_id = 'u'").first();
    assertThat(shares.getList(0).toString()).as("(group, share) sorted by group").isEqualTo("[[g1,1.0], [g2,0.0]]");
    assertThat(shares.getDouble(1)).isEqualTo(1.0 / 3);
    assertThat(shares.getDouble(2)).isEqualTo(3.0);
  }

  @Test
  void publishedTextsAreScrubbedAndRaterIdsPseudonymous() throws Exception {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      rows.add(RowFactory.create("pii", "c" + i, "rater" + i, "p" + i, "Write to ada@example.org about case " + i,
          "a" + i, "Call me on +44 7700 900042 or see https://twitter.com/ada_l", "b" + i, "No, thanks.", "a", null,
          null, null, null, "test"));
    }
    TableSpec spec = TableSchemas.input("comparisons");
    tables.replace(new RunContext("test", "pii"), spec, spark.createDataFrame(rows, spec.schema()), List.of("pii"));
    Path out = tmp.resolve("pii");
    assertThat(chorus("shards", "--dataset", "pii", "--out", out.toString(), "--test-percent", "0").exitCode())
        .isZero();
    JsonNode manifest = new ObjectMapper().readTree(out.resolve("manifest.json").toFile());
    assertThat(manifest.path("pii_scrubbed").path("email").asLong()).isEqualTo(4);
    assertThat(manifest.path("pii_scrubbed").path("phone").asLong()).isEqualTo(4);
    assertThat(manifest.path("pii_scrubbed").path("url").asLong()).isEqualTo(4);
    List<Row> published = spark.sql("SELECT prompt, chosen, rater_ids FROM parquet.`" + out.resolve("data")
        + "/*.parquet`").collectAsList();
    assertThat(published).hasSize(4).allSatisfy(r -> {
      assertThat(r.getString(0)).startsWith("Write to [email] about case");
      assertThat(r.getString(1)).isEqualTo("Call me on [phone] or see [url]");
      assertThat(r.getList(2)).singleElement().asString().matches("p_[0-9a-f]{16}");
    });
    // --raw-text and --raw-ids publish what the warehouse holds
    Path raw = tmp.resolve("pii-raw");
    assertThat(chorus("shards", "--dataset", "pii", "--out", raw.toString(), "--test-percent", "0", "--raw-text",
        "--raw-ids").exitCode()).isZero();
    assertThat(spark.sql("SELECT count(*) FROM parquet.`" + raw.resolve("data") + "/*.parquet` WHERE prompt LIKE "
        + "'%ada@example.org%' AND rater_ids[0] LIKE 'rater%'").first().getLong(0)).isEqualTo(4);
  }
}
