package org.chorus.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.SparkTestBase;
import org.chorus.core.tables.Tables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;
import org.chorus.weights.WeightsJob;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** chorus aggregate on comparisons written to input.comparisons with planted answers. */
class AggregateJobTest extends SparkTestBase {
  static final int ITEMS = 12;
  static final double[] THETA = new double[ITEMS];
  static final List<Row> ROWS = new ArrayList<>();

  private static void add(String dataset, String prompt, String rater, String a, String b, String choice,
      String group) {
    ROWS.add(RowFactory.create(dataset, dataset + "-" + ROWS.size(), rater, prompt, "prompt " + prompt, a, "text " + a,
        b, "text " + b, choice, null, group, null, null, "synth"));
  }

  @BeforeAll
  static void comparisons() {
    // prompt "planted": 6,000 comparisons among 12 responses drawn from known Bradley-Terry strengths
    SplittableRandom r = new SplittableRandom(17);
    for (int i = 0; i < ITEMS; i++) {
      THETA[i] = 1.5 * r.nextGaussian();
    }
    for (int g = 0; g < 6000; g++) {
      int i = r.nextInt(ITEMS);
      int j = (i + 1 + r.nextInt(ITEMS - 1)) % ITEMS;
      boolean iWins = r.nextDouble() < 1 / (1 + Math.exp(THETA[j] - THETA[i]));
      add("agg", "planted", "r" + r.nextInt(50), "p" + i, "p" + j, iWins ? "a" : "b", g % 2 == 0 ? "g1" : "g2");
    }
    // prompt "cycle": a Condorcet paradox, x > y > z > x two to one each
    for (String[] pair : new String[][] {{"x", "y"}, {"y", "z"}, {"z", "x"}}) {
      add("agg", "cycle", "c1", pair[0], pair[1], "a", "g1");
      add("agg", "cycle", "c2", pair[0], pair[1], "a", "g2");
      add("agg", "cycle", "c3", pair[0], pair[1], "b", "g1");
    }
    // prompt "split": group g1 prefers u, group g2 prefers v; rater w1 (2 votes for u) and w2 (3 votes for v)
    for (int k = 0; k < 2; k++) {
      add("agg", "split", "w1", "u", "v", "a", "g1");
    }
    for (int k = 0; k < 3; k++) {
      add("agg", "split", "w2", "u", "v", "b", "g2");
    }
    TableSpec spec = TableSchemas.input("comparisons");
    RunContext run = new RunContext("test", "agg");
    tables.replace(run, spec, spark.createDataFrame(ROWS, spec.schema()), List.of("agg"));
    // ratings of the split prompt's responses: u 5 and 3 (mean 4), v 2 from group g1
    TableSpec ratings = TableSchemas.input("ratings");
    tables.replace(run, ratings, spark.createDataFrame(List.of(
        RowFactory.create("agg", "t1", "w1", "split", "u", 5.0, null, "g1"),
        RowFactory.create("agg", "t2", "w2", "split", "u", 3.0, null, "g2"),
        RowFactory.create("agg", "t3", "w2", "split", "v", 2.0, null, "g1")), ratings.schema()), List.of("agg"));
    // w1 counts three times as much as w2 in population "pop"
    tables.replace(run, Tables.PARTICIPANT_WEIGHTS, spark.createDataFrame(List.of(RowFactory.create("pop", "w1", 3.0),
        RowFactory.create("pop", "w2", 1.0)), Tables.PARTICIPANT_WEIGHTS.schema()), List.of("pop"));
  }

  @Test
  void everyMethodScoresLabelsAndComparesAndBradleyTerryRecoversThePlantedStrengths() {
    CliRun run = chorus("aggregate", "--dataset", "agg", "--bootstrap", "30");
    assertThat(run.exitCode()).as(run.err()).isZero();
    int methods = Election.METHODS.size();
    // overall rows: 12 + 3 + 2 items per method, and mean_rating for the 2 rated responses
    assertThat(count("SELECT count(*) FROM derived.item_scores WHERE dataset_id = 'agg' AND group_id = 'all'"))
        .isEqualTo(17L * methods + 2);
    // one label per compared pair (66 + 3 + 1) and method
    assertThat(count("SELECT count(*) FROM derived.pair_labels WHERE dataset_id = 'agg'")).isEqualTo(70L * methods);
    assertThat(count("SELECT count(*) FROM derived.method_comparison WHERE dataset_id = 'agg'"))
        .isEqualTo((long) methods * (methods - 1) / 2);

    double[] bt = new double[ITEMS];
    double[] low = new double[ITEMS];
    double[] high = new double[ITEMS];
    for (Row row : spark.sql("SELECT item_id, score, ci_low, ci_high FROM derived.item_scores WHERE dataset_id = "
        + "'agg' AND prompt_id = 'planted' AND method = 'bt' AND group_id = 'all'").collectAsList()) {
      int i = Integer.parseInt(row.getString(0).substring(1));
      bt[i] = row.getDouble(1);
      low[i] = row.getDouble(2);
      high[i] = row.getDouble(3);
    }
    assertThat(AggregateMathTest.spearman(bt, THETA)).isGreaterThanOrEqualTo(0.95);
    double meanTheta = java.util.Arrays.stream(THETA).average().orElseThrow();
    int covered = 0;
    for (int i = 0; i < ITEMS; i++) {
      assertThat(low[i]).isLessThanOrEqualTo(bt[i]);
      assertThat(high[i]).isGreaterThanOrEqualTo(bt[i]);
      covered += THETA[i] - meanTheta >= low[i] - 0.05 && THETA[i] - meanTheta <= high[i] + 0.05 ? 1 : 0;
    }
    assertThat(covered).as("planted strengths inside the 95% bootstrap intervals").isGreaterThanOrEqualTo(10);

    // the cycle has no Condorcet winner, the planted prompt has one (the strongest item beats all 11 others)
    double[][] d = new double[ITEMS][ITEMS];
    for (Row c : ROWS) {
      if (c.getString(3).equals("planted")) {
        int a = Integer.parseInt(c.getString(5).substring(1));
        int b = Integer.parseInt(c.getString(7).substring(1));
        d[c.getString(9).equals("a") ? a : b][c.getString(9).equals("a") ? b : a]++;
      }
    }
    long expectedCondorcet = 1 + (Majority.condorcetWinner(d) >= 0 ? 1 : 0);
    Row schulzeBt = spark.sql("SELECT condorcet_prompts, condorcet_share_a, majority_violations_a FROM "
        + "derived.method_comparison WHERE dataset_id = 'agg' AND method_a = 'schulze' AND method_b = 'bt'").first();
    assertThat(schulzeBt.getLong(0)).isEqualTo(expectedCondorcet);
    // Schulze is Condorcet-consistent
    assertThat(schulzeBt.getDouble(1)).isEqualTo(1.0);
    assertThat(run.out()).contains("derived.method_comparison");
  }

  @Test
  void groupsDisagreeOnTheSplitPromptAndWeightsChangeItsWinner() {
    assertThat(chorus("aggregate", "--dataset", "agg", "--methods", "winrate,maxmin").exitCode()).isZero();
    Row label = spark.sql("SELECT winner, contested, group_labels['g1'], group_labels['g2'], agreement FROM "
        + "derived.pair_labels WHERE dataset_id = 'agg' AND prompt_id = 'split' AND method = 'winrate'").first();
    assertThat(label.getString(0)).isEqualTo("v");
    assertThat(label.getBoolean(1)).isTrue();
    assertThat(label.getString(2)).isEqualTo("u");
    assertThat(label.getString(3)).isEqualTo("v");
    assertThat(label.getDouble(4)).isCloseTo(0.6, within(1e-12));
    // mean rating from input.ratings beside the comparison methods
    assertThat(spark.sql("SELECT item_id, score, rank FROM derived.item_scores WHERE dataset_id = 'agg' AND "
        + "method = 'mean_rating' AND group_id = 'all' ORDER BY item_id").collectAsList().toString())
        .isEqualTo("[[u,4.0,1], [v,2.0,2]]");
    assertThat(count("SELECT count(*) FROM derived.item_scores WHERE dataset_id = 'agg' AND method = 'mean_rating' "
        + "AND group_id = 'g1'")).isEqualTo(2);
    // MaxMin: each of u and v has a group that never picks it, so both score 0
    assertThat(count("SELECT count(*) FROM derived.item_scores WHERE dataset_id = 'agg' AND prompt_id = 'split' AND "
        + "method = 'maxmin' AND score = 0")).isEqualTo(2);

    CliRun weighted = chorus("aggregate", "--dataset", "agg", "--methods", "winrate", "--population", "pop");
    assertThat(weighted.exitCode()).as(weighted.err()).isZero();
    // w1's two votes for u weigh 6 against w2's three for v: u wins, 6/9 of the weight agrees
    Row w = spark.sql("SELECT winner, agreement FROM derived.pair_labels WHERE dataset_id = 'agg' AND "
        + "prompt_id = 'split' AND method = 'winrate'").first();
    assertThat(w.getString(0)).isEqualTo("u");
    assertThat(w.getDouble(1)).isCloseTo(6 / 9.0, within(1e-12));
  }

  @Test
  void badOptionsAreOneLineErrorsAndHelpListsTheOptions() {
    CliRun help = chorus("aggregate", "--help");
    assertThat(help.exitCode()).isZero();
    assertThat(help.out()).contains("--bt-prior", "--groups-from", "--bootstrap");
    CliRun unknown = chorus("aggregate", "--dataset", "agg", "--methods", "winrate,plurality");
    assertThat(unknown.exitCode()).isEqualTo(2);
    assertThat(unknown.err()).contains("unknown method 'plurality'");
    CliRun missing = chorus("aggregate", "--dataset", "nope");
    assertThat(missing.exitCode()).isEqualTo(3);
    assertThat(missing.err()).contains("no comparisons for dataset 'nope'");
  }

  /**
   * Hidden context (Siththaranjan et al.): every HH-RLHF pair of relabeled_hh_rlhf/both carries a label under its
   * objective and its original label under its data_subset's objective. Ingested as two comparisons each, the two
   * objectives are the groups; the pairs labelled under both objectives are contested exactly where the two labels
   * differ, and MaxMin (the worse-off objective's win rate) refuses to pick a winner there.
   */
  @Test
  void hiddenContextObjectivesDisagreeWhereTheFileSaysAndMaxMinLabelsOnlyAgreedPairs() throws Exception {
    java.nio.file.Path file = sharedData().resolve("preferences/hidden-context/relabeled_hh_rlhf/both/test.jsonl.gz");
    long records = 0;
    long usable = 0;
    long disagree = 0;
    long bothObjectives = 0;
    long contested = 0;
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(new java.util.zip.GZIPInputStream(
        java.nio.file.Files.newInputStream(file)), java.nio.charset.StandardCharsets.UTF_8))) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        var j = mapper.readTree(line);
        records++;
        if (j.get("responses").get(0).asText().equals(j.get("responses").get(1).asText())) {
          continue; // quarantined: the pair compares a response with itself
        }
        usable++;
        boolean differ = j.get("label").asInt() != j.get("original_label").asInt();
        boolean both = !j.get("objective").asText().equals(j.get("data_subset").asText());
        disagree += differ ? 1 : 0;
        bothObjectives += both ? 1 : 0;
        contested += differ && both ? 1 : 0;
      }
    }
    run(new org.chorus.ingest.ComparisonsIngest(), new org.chorus.ingest.ComparisonsIngest.Options(file.toString(), "hidden-context", "hc", true));
    assertThat(count("SELECT count(*) FROM input.comparisons WHERE dataset_id = 'hc'")).isEqualTo(2 * usable);
    assertThat(count("SELECT count(*) FROM input.quarantine WHERE scope = 'hc'")).isEqualTo(records - usable);
    CliRun run = chorus("aggregate", "--dataset", "hc", "--methods", "winrate,maxmin");
    assertThat(run.exitCode()).as(run.err()).isZero();
    String labels = "FROM derived.pair_labels WHERE dataset_id = 'hc' AND method = ";
    assertThat(count("SELECT count(*) " + labels + "'winrate'")).isEqualTo(usable);
    // the two labels of a pair differ on about 41% of the pairs (a tie of one vote each: no winner)
    assertThat((double) disagree / usable).isBetween(0.40, 0.42);
    assertThat(count("SELECT count(*) " + labels + "'winrate' AND winner IS NULL")).isEqualTo(disagree);
    assertThat(count("SELECT count(*) " + labels + "'winrate' AND size(group_labels) = 2")).isEqualTo(bothObjectives);
    assertThat(count("SELECT count(*) " + labels + "'winrate' AND contested")).isEqualTo(contested);
    // MaxMin: no winner on a contested pair (each item is some objective's loser); the agreed label elsewhere
    assertThat(count("SELECT count(*) " + labels + "'maxmin' AND contested AND winner IS NOT NULL")).isZero();
    assertThat(count("SELECT count(*) " + labels + "'maxmin' AND size(group_labels) = 2 AND NOT contested AND "
        + "winner IS NOT NULL AND winner <> group_labels['helpful']")).isZero();
    assertThat(count("SELECT count(*) " + labels + "'maxmin' AND winner IS NOT NULL"))
        .isEqualTo(usable - disagree);
  }
}
