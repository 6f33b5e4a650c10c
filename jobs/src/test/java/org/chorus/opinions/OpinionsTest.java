package org.chorus.opinions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.chorus.SparkTestBase;
import org.chorus.ingest.PolisIngest;
import org.chorus.math.AdjustedRandIndex;
import org.chorus.synth.SynthJob;
import org.chorus.synth.SynthModel;
import org.chorus.synth.SynthParams;
import org.junit.jupiter.api.Test;

class OpinionsTest extends SparkTestBase {

  @Test
  void gicFromExportGroupsEqualsTheExportedColumn() {
    run(new PolisIngest(), new PolisIngest.Options(sharedData().resolve("polis/bg2050-volunteers").toString(), "bg"));
    run(new OpinionsJob(), OpinionsJob.Options.of("bg", OpinionsConfig.from(config))
        .withGroups(OpinionsJob.Groups.export).withMethod(OpinionsJob.Method.polis).withMaxGroups(5).withSeed(7));
    List<Row> rows = spark.sql("SELECT st.gic, s.export_gic FROM derived.statement_stats st JOIN input.statements s "
        + "USING (conversation_id, statement_id) WHERE conversation_id = 'bg'").collectAsList();
    assertThat(rows).hasSize(371);
    for (Row r : rows) {
      assertThat(r.getDouble(0)).isCloseTo(r.getDouble(1), within(1e-9));
    }
    // per-group counts add up to at most the overall counts (participants outside the groups vote too)
    assertThat(count("SELECT count(*) FROM derived.statement_stats WHERE conversation_id = 'bg' AND "
        + "aggregate(map_values(group_agree), 0L, (a, x) -> a + x) > n_agree")).isZero();
    assertThat(count("SELECT count(*) FROM derived.statement_stats s JOIN derived.group_repness r USING "
        + "(conversation_id, statement_id) WHERE conversation_id = 'bg' AND s.group_agree[r.group_id] <> r.na")).isZero();
    // Polis selects at most 5 representative statements per group, ranked from 1
    assertThat(count("SELECT count(*) FROM (SELECT group_id FROM derived.group_repness WHERE conversation_id = 'bg' "
        + "AND rank IS NOT NULL GROUP BY group_id HAVING count(*) > 5)")).isZero();
    assertThat(count("SELECT count(DISTINCT group_id) FROM derived.group_repness WHERE conversation_id = 'bg' AND "
        + "rank = 1")).isEqualTo(2);
  }

  private static SynthParams synth(String conv, int groups, long participants, long seed) {
    return SynthParams.builder(conv).promptDataset(conv + "-p").participants(participants).statements(120)
        .groups(groups).votesPerParticipant(100).seed(seed).build();
  }

  /** ARI of the computed groups against the true groups, over in-conversation participants. */
  private static double ari(String conv) {
    List<Row> rows = spark.sql("SELECT g.group_id, t.group_id FROM derived.participant_groups g JOIN "
        + "truth.participant_groups t USING (conversation_id, participant_id) WHERE conversation_id = '" + conv
        + "' AND g.in_conv").collectAsList();
    int[] a = new int[rows.size()];
    int[] b = new int[rows.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = rows.get(i).getInt(0);
      b[i] = rows.get(i).getInt(1);
    }
    return AdjustedRandIndex.of(a, b);
  }

  /** The ceiling: each participant assigned by the likelihood of its votes under the true groups' vote rates. */
  private static double ceiling(String conv, SynthParams params) {
    SynthModel model = new SynthModel(params);
    Map<String, double[]> logLik = new HashMap<>();
    for (Row r : spark.sql("SELECT v.participant_id, v.statement_id, v.vote FROM input.votes v JOIN "
        + "derived.participant_groups g USING (conversation_id, participant_id) WHERE conversation_id = '" + conv
        + "' AND g.in_conv").collectAsList()) {
      double[] ll = logLik.computeIfAbsent(r.getString(0), k -> new double[params.groups()]);
      int s = (int) r.getLong(1);
      int v = r.getInt(2);
      for (int g = 0; g < params.groups(); g++) {
        double[] p = model.profile(s, g);
        ll[g] += Math.log(v == 1 ? p[0] : v == -1 ? p[1] : p[2]);
      }
    }
    int[] a = new int[logLik.size()];
    int[] b = new int[logLik.size()];
    int i = 0;
    for (Map.Entry<String, double[]> e : logLik.entrySet()) {
      double[] ll = e.getValue();
      int arg = 0;
      for (int g = 1; g < ll.length; g++) {
        arg = ll[g] > ll[arg] ? g : arg;
      }
      a[i] = arg;
      b[i++] = model.groupOf(Long.parseLong(e.getKey()));
    }
    return AdjustedRandIndex.of(a, b);
  }

  @Test
  void latentClassesRecoverThreeImbalancedAndFiveGroups() {
    for (int groups : new int[] {3, 5}) {
      String conv = "g" + groups;
      SynthParams params = synth(conv, groups, 2000, 11 + groups);
      run(new SynthJob(), new SynthJob.Options(params, null));
      run(new OpinionsJob(), OpinionsJob.Options.of(conv, OpinionsConfig.from(config))
        .withGroups(OpinionsJob.Groups.computed).withMethod(OpinionsJob.Method.polis).withMaxGroups(5).withSeed(7));
      double polis = ari(conv);
      run(new OpinionsJob(), OpinionsJob.Options.of(conv, OpinionsConfig.from(config))
        .withGroups(OpinionsJob.Groups.computed).withMethod(OpinionsJob.Method.latent).withMaxGroups(8).withSeed(7));
      double latent = ari(conv);
      if (groups == 3) {
        // seeded and stable: the same input gives the same groups
        long before = count("SELECT sum(hash(participant_id, group_id)) FROM derived.participant_groups WHERE "
            + "conversation_id = '" + conv + "'");
        run(new OpinionsJob(), OpinionsJob.Options.of(conv, OpinionsConfig.from(config))
        .withGroups(OpinionsJob.Groups.computed).withMethod(OpinionsJob.Method.latent).withMaxGroups(8).withSeed(7));
        assertThat(count("SELECT sum(hash(participant_id, group_id)) FROM derived.participant_groups WHERE "
            + "conversation_id = '" + conv + "'")).isEqualTo(before);
      }
      double best = ceiling(conv, params);
      System.out.printf("ARI on %d synthetic groups: polis method %.3f, latent classes %.3f, ceiling %.3f%n", groups,
          polis, latent, best);
      assertThat(latent).as("latent-class ARI, %d groups", groups).isGreaterThanOrEqualTo(0.95);
      assertThat(latent).isGreaterThanOrEqualTo(polis - 0.01).isGreaterThanOrEqualTo(best - 0.02);
    }
  }
}
