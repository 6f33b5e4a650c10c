package org.chorus.synth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SynthModelTest {
  private static SynthParams params(long seed) {
    return SynthParams.builder("c").participants(200_000).statements(200).groups(3).votesPerParticipant(40)
        .comparisons(300_000).comparisonPrompts(50).responsesPerPrompt(4).prompts(20_000).topics(8).seed(seed).build();
  }

  private final SynthModel model = new SynthModel(params(7));

  @Test
  void sameSeedSameData() {
    SynthModel again = new SynthModel(params(7));
    assertThat(again.votesOf(17)).isDeepEqualTo(model.votesOf(17));
    assertThat(again.comparison(5)).containsExactly(model.comparison(5));
    assertThat(again.promptText(33)).isEqualTo(model.promptText(33));
    assertThat(java.util.Arrays.deepEquals(new SynthModel(params(8)).votesOf(17), model.votesOf(17))).isFalse();
  }

  @Test
  void groupSharesAreRecovered() {
    double[] shares = model.groupShares();
    assertThat(shares).containsExactly(new double[] {3 / 6.0, 2 / 6.0, 1 / 6.0}, within(1e-12));
    int[] counts = new int[3];
    int n = 120_000;
    for (long p = 0; p < n; p++) {
      counts[model.groupOf(p)]++;
    }
    for (int g = 0; g < 3; g++) {
      assertThat(counts[g] / (double) n).as("group %d", g).isCloseTo(shares[g], within(0.006));
    }
  }

  @Test
  void activityIsSkewedAroundTheRequestedMean() {
    long total = 0;
    int max = 0;
    int n = 50_000;
    for (long p = 0; p < n; p++) {
      int a = model.activity(p);
      assertThat(a).isBetween(1, 200);
      total += a;
      max = Math.max(max, a);
    }
    assertThat(total / (double) n).isCloseTo(40, within(1.5));
    assertThat(max).isGreaterThan(150); // a long tail of very active participants
  }

  @Test
  void votesFollowTheGroupProfiles() {
    int statement = 11;
    double[][] seen = new double[3][3];
    for (long p = 0; p < 200_000; p++) {
      int g = model.groupOf(p);
      long[][] votes = model.votesOf(p);
      Set<Long> distinct = new HashSet<>();
      for (long[] v : votes) {
        assertThat(distinct.add(v[0])).isTrue();
        if (v[0] == statement) {
          seen[g][v[1] == 1 ? 0 : v[1] == -1 ? 1 : 2]++;
        }
      }
    }
    for (int g = 0; g < 3; g++) {
      double n = seen[g][0] + seen[g][1] + seen[g][2];
      double[] truth = model.profile(statement, g);
      for (int k = 0; k < 3; k++) {
        assertThat(seen[g][k] / n).as("group %d outcome %d", g, k).isCloseTo(truth[k], within(0.03));
      }
    }
  }

  @Test
  void comparisonsFollowBradleyTerry() {
    double predicted = 0;
    double observed = 0;
    int decided = 0;
    int ties = 0;
    int n = 300_000;
    for (long c = 0; c < n; c++) {
      long[] x = model.comparison(c);
      if (x[4] == 2) {
        ties++;
        continue;
      }
      int g = model.groupOf(x[0]);
      double pa = 1 / (1 + Math.exp(model.strength((int) x[1], (int) x[3], g) - model.strength((int) x[1], (int) x[2], g)));
      predicted += pa;
      observed += x[4] == 0 ? 1 : 0;
      decided++;
    }
    assertThat(ties / (double) n).isCloseTo(SynthModel.TIE_PROBABILITY, within(0.002));
    assertThat(observed / decided).isCloseTo(predicted / decided, within(0.003));
  }

  @Test
  void plantedDuplicatesCopyAnOriginalOfTheSameTopic() {
    int dups = 0;
    int n = 20_000;
    for (long q = 0; q < n; q++) {
      long o = model.originalOf(q);
      if (o < 0) {
        continue;
      }
      dups++;
      assertThat(o).isLessThan(q);
      assertThat(model.isPlantedDuplicate(o)).isFalse();
      assertThat(model.topicOf(q)).isEqualTo(model.topicOf(o));
      String original = model.promptText(o);
      String copy = model.promptText(q);
      switch (model.editOf(q)) {
        case "exact" -> assertThat(copy).isEqualTo(original);
        case "case" -> assertThat(copy).isEqualToIgnoringCase(original).isNotEqualTo(original);
        case "spacing" -> assertThat(copy.trim().replaceAll("\\s+", " ")).isEqualTo(original);
        case "punctuation" -> assertThat(copy.replaceAll("[,;!]", "")).isEqualTo(original);
        default -> {
          String[] a = original.split(" ");
          String[] b = copy.split(" ");
          assertThat(b).hasSameSizeAs(a);
          int diff = 0;
          for (int i = 0; i < a.length; i++) {
            diff += a[i].equals(b[i]) ? 0 : 1;
          }
          assertThat(diff).isEqualTo(1);
        }
      }
      int words = original.split(" ").length;
      assertThat(words).isBetween(50, 70);
    }
    assertThat(dups / (double) n).isCloseTo(SynthModel.DUPLICATE_SHARE, within(0.01));
  }

  @Test
  void demographicsDependOnTheGroup() {
    double[] a = SynthModel.tilted(new double[] {0.5, 0.5}, 0, 0);
    double[] b = SynthModel.tilted(new double[] {0.5, 0.5}, 1, 0);
    assertThat(a[0] + a[1]).isCloseTo(1, within(1e-12));
    assertThat(Math.abs(a[0] - b[0])).isGreaterThan(0.05);
  }
}
