package org.chorus.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.SparkTestBase;
import org.chorus.core.tables.Tables;
import org.chorus.aggregate.AggregateJob;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSpec;
import org.chorus.ingest.ComparisonsIngest;
import org.chorus.math.AdjustedRandIndex;
import org.chorus.reward.ScoreJob;
import org.chorus.synth.SynthJob;
import org.chorus.synth.SynthParams;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * chorus prompts on synth prompts with planted duplicates and topics (against truth.prompt_labels), on the hh-rlhf
 * harmless test set's first human turns (against a brute-force search of every pair), and its boundary cases on
 * hand-made score and aggregation tables.
 */
class PromptsJobTest extends SparkTestBase {
  static final int PROMPTS = 4000;

  @BeforeAll
  static void data() {
    run(new SynthJob(), new SynthJob.Options(SynthParams.builder("pc").participants(10).statements(5)
        .votesPerParticipant(2).prompts(PROMPTS).topics(8).seed(11).build(), null));
  }

  /** Pairs (a < b) of ids that share a cluster label. */
  static Set<String> pairs(Map<String, String> clusterOf) {
    Map<String, List<String>> members = new HashMap<>();
    clusterOf.forEach((id, c) -> members.computeIfAbsent(c, x -> new ArrayList<>()).add(id));
    Set<String> out = new HashSet<>();
    for (List<String> m : members.values()) {
      m.sort(null);
      for (int i = 0; i < m.size(); i++) {
        for (int j = i + 1; j < m.size(); j++) {
          out.add(m.get(i) + "|" + m.get(j));
        }
      }
    }
    return out;
  }

  @Test
  void plantedDuplicatesAndTopicsAreRecovered() throws IOException {
    // the policy as chorus policy commits it: version 3 of conversation x's both-groups@0.7 in derived.policy_rules
    tables.replace(new RunContext("policy", "x"), Tables.POLICY_RULES, spark.sql(
        "SELECT 'x' AS conversation_id, 'both-groups@0.7' AS policy_key, 'both-groups' AS rule, 0.7 AS threshold, "
            + "3 AS version, position, rule_id, text, array(CAST(position AS BIGINT)) AS statement_ids, support, "
            + "map_from_arrays(array(), array()) AS group_support, NULL AS min_group_support, 10L AS votes, gic, "
            + "current_timestamp() AS compiled_at FROM VALUES "
            + "(1, 'r1', 'Cite sources for medicine and treatment claims.', 0.9, 0.5), "
            + "(2, 'r2', 'Keep conversations confidential.', 0.8, 0.4) AS t(position, rule_id, text, support, gic)"),
        List.of("x"));
    CliRun run = chorus("prompts", "--dataset", "pc-prompts", "--clusters", "8", "--policy", "x/both-groups@0.7");
    System.out.println(run.out());
    assertThat(run.exitCode()).as(run.err()).isZero();

    Map<String, String> truthCluster = new HashMap<>();
    Map<String, Integer> truthTopic = new HashMap<>();
    Map<String, String> edit = new HashMap<>();
    for (Row r : spark.sql("SELECT prompt_id, coalesce(duplicate_of, prompt_id), topic, edit FROM truth.prompt_labels "
        + "WHERE dataset_id = 'pc-prompts'").collectAsList()) {
      truthCluster.put(r.getString(0), r.getString(1));
      truthTopic.put(r.getString(0), r.getInt(2));
      edit.put(r.getString(0), r.getString(3));
    }
    Map<String, String> found = new HashMap<>();
    Map<String, Row> dup = new HashMap<>();
    for (String id : truthCluster.keySet()) {
      found.put(id, id);
    }
    for (Row r : spark.sql("SELECT prompt_id, duplicate_of, kind, similarity FROM derived.prompt_duplicates "
        + "WHERE dataset_id = 'pc-prompts'").collectAsList()) {
      found.put(r.getString(0), r.getString(1));
      dup.put(r.getString(0), r);
    }
    // rows in = kept + duplicates; every prompt has one topic
    long kept = count("SELECT count(*) FROM derived.prompt_clusters WHERE dataset_id = 'pc-prompts' AND kept");
    assertThat(kept + dup.size()).isEqualTo(PROMPTS);
    assertThat(count("SELECT count(DISTINCT prompt_id) FROM derived.prompt_clusters WHERE dataset_id = 'pc-prompts'"))
        .isEqualTo(PROMPTS);

    Set<String> truePairs = pairs(truthCluster);
    Set<String> foundPairs = pairs(found);
    Set<String> both = new HashSet<>(truePairs);
    both.retainAll(foundPairs);
    double recall = (double) both.size() / truePairs.size();
    double precision = (double) both.size() / foundPairs.size();
    System.out.printf("planted duplicate pairs %d, found %d: recall %.4f, precision %.4f%n", truePairs.size(),
        foundPairs.size(), recall, precision);
    assertThat(truePairs.size()).isGreaterThan(300);
    assertThat(recall).isGreaterThanOrEqualTo(0.99);
    assertThat(precision).isGreaterThanOrEqualTo(0.99);
    // case, spacing and punctuation edits are exact after normalisation; one-word edits are near, Jaccard in [0.8, 1)
    for (Map.Entry<String, Row> e : dup.entrySet()) {
      String how = edit.get(e.getKey());
      if ("word".equals(how)) {
        assertThat(e.getValue().getString(2)).isEqualTo("near");
        assertThat(e.getValue().getDouble(3)).isBetween(0.8, 0.999);
      } else if (how != null) {
        assertThat(e.getValue().getString(2)).as(how).isEqualTo("exact");
        assertThat(e.getValue().getDouble(3)).isEqualTo(1.0);
      }
    }

    List<String> ids = new ArrayList<>(truthTopic.keySet());
    Map<String, Integer> cluster = new HashMap<>();
    for (Row r : spark.sql("SELECT prompt_id, cluster_id FROM derived.prompt_clusters WHERE dataset_id = "
        + "'pc-prompts'").collectAsList()) {
      cluster.put(r.getString(0), r.getInt(1));
    }
    double ari = AdjustedRandIndex.of(ids.stream().mapToInt(truthTopic::get).toArray(),
        ids.stream().mapToInt(cluster::get).toArray());
    System.out.printf("topics: ARI %.4f against the 8 planted topics%n", ari);
    assertThat(ari).isGreaterThanOrEqualTo(0.95);

    // coverage: 8 topics holding every prompt; the medicine rule is exercised by the medicine topic only
    List<Row> topics = spark.sql("SELECT cluster_id, prompts, label, size(representatives) FROM derived.coverage "
        + "WHERE dataset_id = 'pc-prompts' AND kind = 'topic' ORDER BY cluster_id").collectAsList();
    assertThat(topics).hasSize(8);
    assertThat(topics.stream().mapToLong(r -> r.getLong(1)).sum()).isEqualTo(PROMPTS);
    assertThat(topics).allSatisfy(r -> assertThat(r.getInt(3)).isEqualTo(3));
    List<Row> rules = spark.sql("SELECT rule_id, cluster_id, prompts, flag, policy FROM derived.coverage "
        + "WHERE dataset_id = 'pc-prompts' AND kind = 'rule' ORDER BY rule_id, prompts DESC").collectAsList();
    assertThat(rules.get(0).getString(0)).isEqualTo("r1");
    assertThat(rules.get(0).getLong(2)).isGreaterThan(100);
    String medicineTopic = topics.get(rules.get(0).getInt(1)).getString(2);
    assertThat(medicineTopic).containsAnyOf("medicine", "treatment", "symptoms", "doctor", "diagnosis");
    assertThat(rules.stream().filter(r -> r.getString(0).equals("r1")).map(r -> r.getInt(1)).distinct()).hasSize(1);
    Row r2 = rules.get(rules.size() - 1);
    assertThat(r2.getString(0)).isEqualTo("r2");
    assertThat(r2.isNullAt(1)).isTrue();
    assertThat(r2.getString(3)).isEqualTo("unexercised");
    assertThat(r2.getString(4)).endsWith("(v3)");
    assertThat(run.out()).contains("policy rules: 2, 1 exercised by some topic, 1 by none");
  }

  @Test
  void withoutClustersTheSilhouettePicksThePlantedNumberOfTopics() {
    CliRun run = chorus("prompts", "--dataset", "pc-prompts");
    assertThat(run.exitCode()).as(run.err()).isZero();
    assertThat(run.out()).contains("k = 8 topics: the highest silhouette");
  }

  /** Word-3-gram sets and the normalisation written out independently of MinHash. */
  static Set<String> trigrams(String normalised) {
    String[] w = normalised.split(" ");
    Set<String> out = new HashSet<>();
    if (w.length < 3) {
      out.add(normalised);
    }
    for (int i = 0; i + 3 <= w.length; i++) {
      out.add(w[i] + " " + w[i + 1] + " " + w[i + 2]);
    }
    return out;
  }

  static String normalise(String s) {
    return Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
        .replaceAll("[^\\p{L}\\p{N}]+", " ").trim();
  }

  static double jaccard(Set<String> a, Set<String> b) {
    Set<String> i = new HashSet<>(a);
    i.retainAll(b);
    return (double) i.size() / (a.size() + b.size() - i.size());
  }

  @Test
  void hhRlhfFirstTurnsAgainstEveryPair() {
    Path file = sharedData().resolve("preferences/hh-rlhf/harmless-base/test.jsonl.gz");
    run(new ComparisonsIngest(), new ComparisonsIngest.Options(file.toString(), "trl", "hh", false));
    CliRun run = chorus("prompts", "--dataset", "hh", "--first-turn", "--clusters", "6");
    System.out.println(run.out());
    assertThat(run.exitCode()).as(run.err()).isZero();

    Map<String, String> norm = new HashMap<>();
    for (Row r : spark.sql("SELECT prompt_id, text FROM input.prompts WHERE dataset_id = 'hh'").collectAsList()) {
      norm.put(r.getString(0), normalise(Dedup.firstTurn(r.getString(1))));
    }
    Map<String, String> rep = new HashMap<>();
    norm.keySet().forEach(id -> rep.put(id, id));
    for (Row r : spark.sql("SELECT prompt_id, duplicate_of, kind, similarity FROM derived.prompt_duplicates "
        + "WHERE dataset_id = 'hh'").collectAsList()) {
      rep.put(r.getString(0), r.getString(1));
      Set<String> a = trigrams(norm.get(r.getString(0)));
      Set<String> b = trigrams(norm.get(r.getString(1)));
      if (r.getString(2).equals("exact")) {
        assertThat(norm.get(r.getString(0))).isEqualTo(norm.get(r.getString(1)));
      } else {
        assertThat(r.getDouble(3)).isCloseTo(jaccard(a, b), within(1e-12));
      }
    }
    // brute force over the distinct first turns: every pair at Jaccard >= 0.8 should share a cluster
    Map<String, String> byText = new HashMap<>();
    norm.forEach((id, t) -> byText.merge(t, id, (x, y) -> x.compareTo(y) <= 0 ? x : y));
    List<String> texts = new ArrayList<>(byText.keySet());
    texts.removeIf(String::isEmpty);
    List<Set<String>> grams = texts.stream().map(PromptsJobTest::trigrams).toList();
    int similar = 0;
    int together = 0;
    for (int i = 0; i < texts.size(); i++) {
      for (int j = i + 1; j < texts.size(); j++) {
        if (jaccard(grams.get(i), grams.get(j)) >= 0.8) {
          similar++;
          together += rep.get(byText.get(texts.get(i))).equals(rep.get(byText.get(texts.get(j)))) ? 1 : 0;
        }
      }
    }
    long exactDuplicates = norm.size() - byText.size();
    System.out.printf("hh-rlhf harmless test: %d transcripts, %d distinct first turns (%d exact duplicates), %d "
        + "pairs of distinct first turns at 3-gram Jaccard >= 0.8, %d of them in one cluster%n", norm.size(),
        byText.size(), exactDuplicates, similar, together);
    assertThat(count("SELECT count(*) FROM derived.prompt_duplicates WHERE dataset_id = 'hh'"))
        .isGreaterThanOrEqualTo(exactDuplicates);
    assertThat(together).isGreaterThanOrEqualTo((int) Math.ceil(0.9 * similar));
    assertThat(similar).isGreaterThan(0);
  }

  static void write(TableSpec spec, String dataset, List<Row> rows) {
    tables.replace(new RunContext("test", dataset), spec, spark.createDataFrame(rows, spec.schema()),
        List.of(dataset));
  }

  @Test
  void boundaryCasesFromEverySignal() {
    String d = "bc";
    List<Row> prompts = new ArrayList<>();
    String[] texts = {"How do I cook a pasta sauce?", "Fix this Python bug", "The best pasta sauce recipe",
        "A Python memory bug"};
    for (int p = 0; p < 4; p++) {
      prompts.add(RowFactory.create(d, "p" + p, texts[p], "test"));
    }
    write(org.chorus.core.tables.TableSchemas.input("prompts"), d, prompts);
    List<Row> scores = new ArrayList<>();
    float[][] m1 = {{3, 2, 1}, {3, 2, 1}, {1, 2, 3}, {1, 5, 9}};
    float[][] m2 = {{3, 2, 1}, {1, 2, 3}, {1, 2, 3}, {1, 5, 9}};
    float[][] m0 = {{0, 5, 5.05f}, {0, 1, 9}, {4, 4.1f, 9}, {1, 2, 3}};
    for (int p = 0; p < 4; p++) {
      for (int r = 0; r < 3; r++) {
        scores.add(RowFactory.create(d, "m1", "p" + p, "p" + p + "r" + r, m1[p][r]));
        scores.add(RowFactory.create(d, "m2", "p" + p, "p" + p + "r" + r, m2[p][r]));
        scores.add(RowFactory.create(d, "m0", "p" + p, "p" + p + "r" + r, m0[p][r]));
      }
    }
    write(Tables.RM_SCORES, d, scores);
    List<Row> items = new ArrayList<>();
    String[][] winners = {{"r0", "r0", "r0"}, {"r0", "r1", "r1"}, {"r2", "r2", "r2"}, {"r0", "r1", "r2"}};
    String[] methods = {"borda", "bt", "elo"};
    for (int p = 0; p < 4; p++) {
      for (int m = 0; m < 3; m++) {
        items.add(RowFactory.create(d, "p" + p, methods[m], "all", "p" + p + winners[p][m], 1.0, 1, null, null,
            null));
        items.add(RowFactory.create(d, "p" + p, methods[m], "all", "p" + p + "rx", 0.0, 2, null, null, null));
      }
    }
    write(Tables.ITEM_SCORES, d, items);
    List<Row> labels = new ArrayList<>();
    for (int p = 0; p < 4; p++) {
      for (int pair = 0; pair < 4; pair++) {
        boolean contested = p == 1 && pair == 0;
        labels.add(RowFactory.create(d, "p" + p, "winrate", "a" + pair, "b" + pair, "a" + pair, 0.1, 0.6,
            scala.jdk.javaapi.CollectionConverters.asScala(Map.of("g1", "a" + pair, "g2",
                contested ? "b" + pair : "a" + pair)), contested));
      }
    }
    write(Tables.PAIR_LABELS, d, labels);

    CliRun run = chorus("prompts", "--dataset", d, "--clusters", "2", "--group-models", "m1,m2",
        "--margin-model", "m0");
    assertThat(run.exitCode()).as(run.err()).isZero();
    Map<String, Double> got = new HashMap<>();
    for (Row r : spark.sql("SELECT prompt_id, reason, score FROM derived.boundary_cases WHERE dataset_id = 'bc'")
        .collectAsList()) {
      got.put(r.getString(0) + " " + r.getString(1), r.getDouble(2));
    }
    // m0's scores: population sd over all 12
    double[] all = {0, 5, 5.05f, 0, 1, 9, 4, 4.1f, 9, 1, 2, 3};
    double mean = Arrays.stream(all).average().orElseThrow();
    double sd = Math.sqrt(Arrays.stream(all).map(x -> (x - mean) * (x - mean)).sum() / all.length);
    assertThat(got).containsOnlyKeys("p1 group_models_disagree", "p0 small_reward_margin",
        "p1 methods_disagree", "p3 methods_disagree", "p1 groups_disagree");
    assertThat(got.get("p1 group_models_disagree")).isEqualTo(1.0);
    assertThat(got.get("p0 small_reward_margin")).isCloseTo((5.05f - 5.0) / sd, within(1e-6));
    assertThat(got.get("p1 methods_disagree")).isCloseTo(1.0 / 3, within(1e-12));
    assertThat(got.get("p3 methods_disagree")).isCloseTo(2.0 / 3, within(1e-12));
    assertThat(got.get("p1 groups_disagree")).isCloseTo(0.25, within(1e-12));
    assertThat(run.out()).contains("methods_disagree", "-> 2 prompts");
  }
}
