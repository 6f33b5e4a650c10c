package org.chorus.prompts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import org.chorus.math.AdjustedRandIndex;
import org.chorus.math.SphericalKMeans;
import org.chorus.text.MinHash;
import org.junit.jupiter.api.Test;

/** The plain-Java parts of chorus prompts: normalisation, MinHash, natural ids, spherical k-means, boundary measures. */
class PromptsMathTest {
  static final MinHash MH = new MinHash(3, 112, 14);

  @Test
  void normalisationFoldsUnicodeCaseSpacingAndPunctuation() {
    assertThat(MinHash.normalise("  The ﬁrst   PROMPT,\tplease!? ")).isEqualTo("the first prompt please");
    assertThat(MinHash.normalise("Ｆｕｌｌ－width ①")).isEqualTo("full width 1");
    assertThat(MinHash.normalise("...")).isEmpty();
  }

  @Test
  void shinglesAreDistinctSortedWordTrigrams() {
    long[] s = MH.shingles("a b c a b c");
    assertThat(s).hasSize(3).isSorted(); // "a b c", "b c a", "c a b"
    assertThat(MH.shingles("two words")).hasSize(1);
    assertThat(MH.shingles("")).isEmpty();
  }

  @Test
  void aOneWordEditOfFiftyWordsKeepsJaccard45Of51() {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      words.add("w" + i);
    }
    String a = String.join(" ", words);
    words.set(20, "edited");
    String b = String.join(" ", words);
    assertThat(MinHash.jaccard(MH.shingles(a), MH.shingles(b))).isCloseTo(45.0 / 51, within(1e-12));
    assertThat(MinHash.jaccard(new long[0], new long[0])).isEqualTo(1.0);
  }

  @Test
  void candidateProbabilityIsTheBandingFormula() {
    assertThat(MH.candidateProbability(0.8)).isCloseTo(1 - Math.pow(1 - Math.pow(0.8, 8), 14), within(1e-15));
    assertThat(MH.candidateProbability(0.8)).isCloseTo(0.9236, within(1e-4));
    assertThat(MH.candidateProbability(0.5)).isCloseTo(0.0534, within(1e-4));
  }

  @Test
  void signaturesAgreeInProportionToJaccard() {
    // the share of equal signature rows estimates the Jaccard similarity
    SplittableRandom r = new SplittableRandom(3);
    long[] a = r.longs(400).sorted().toArray();
    long[] b = Arrays.copyOf(a, 400);
    for (int i = 0; i < 100; i++) {
      b[i] = r.nextLong();
    }
    Arrays.sort(b);
    MinHash big = new MinHash(3, 2048, 1);
    int[] sa = big.signature(a);
    int[] sb = big.signature(b);
    int same = 0;
    for (int i = 0; i < sa.length; i++) {
      same += sa[i] == sb[i] ? 1 : 0;
    }
    assertThat((double) same / sa.length).isCloseTo(MinHash.jaccard(a, b), within(0.05)); // 300/500 = 0.6
  }

  @Test
  void naturalKeysOrderNumbersByValue() {
    List<String> ids = new ArrayList<>(List.of("q10", "q9", "q2", "p100", "q010", "q1a", "q1"));
    ids.sort((x, y) -> NaturalKey.of(x).compareTo(NaturalKey.of(y)));
    assertThat(ids).containsExactly("p100", "q1", "q1a", "q2", "q9", "q010", "q10");
    assertThat(NaturalKey.id(NaturalKey.of("a\u0000b7"))).isEqualTo("a\u0000b7");
  }

  @Test
  void firstTurnOfATranscript() {
    assertThat(Dedup.firstTurn("\n\nHuman: How do I bake bread?\n\nAssistant: Like this.\n\nHuman: And?"))
        .isEqualTo("How do I bake bread?");
    assertThat(Dedup.firstTurn("no roles here")).isEqualTo("no roles here");
  }

  /** Sparse unit vectors of three planted groups over disjoint vocabularies, with shared noise terms. */
  static SphericalKMeans.Points planted(int perGroup, int[] truth, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int n = 3 * perGroup;
    int[][] idx = new int[n][];
    double[][] val = new double[n][];
    for (int i = 0; i < n; i++) {
      int g = i % 3;
      truth[i] = g;
      double[] dense = new double[40];
      for (int t = 0; t < 8; t++) {
        dense[g * 10 + r.nextInt(10)] += 1;
      }
      dense[30 + r.nextInt(10)] += 1;
      double norm = Math.sqrt(Arrays.stream(dense).map(x -> x * x).sum());
      List<Integer> nz = new ArrayList<>();
      for (int d = 0; d < 40; d++) {
        if (dense[d] != 0) {
          nz.add(d);
        }
      }
      idx[i] = nz.stream().mapToInt(Integer::intValue).toArray();
      val[i] = nz.stream().mapToDouble(d -> dense[d] / norm).toArray();
    }
    return new SphericalKMeans.Points(idx, val, 40);
  }

  @Test
  void sphericalKMeansRecoversPlantedGroupsAndIsSeeded() {
    int[] truth = new int[600];
    SphericalKMeans.Points p = planted(200, truth, 1);
    SphericalKMeans.Result a = SphericalKMeans.fit(p, 3, 3, 50, 7);
    assertThat(AdjustedRandIndex.of(truth, a.assignment())).isEqualTo(1.0);
    assertThat(SphericalKMeans.fit(p, 3, 3, 50, 7).assignment()).isEqualTo(a.assignment());
    for (double[] c : a.centres()) {
      assertThat(Math.sqrt(Arrays.stream(c).map(x -> x * x).sum())).isCloseTo(1.0, within(1e-12));
    }
  }

  @Test
  void silhouetteEqualsTheDefinitionComputedPairByPair() {
    int[] truth = new int[90];
    SphericalKMeans.Points p = planted(30, truth, 2);
    int[] labels = truth.clone();
    labels[0] = 1; // one point in the wrong cluster
    labels[1] = 2;
    double brute = 0;
    for (int i = 0; i < p.size(); i++) {
      double[] sum = new double[3];
      int[] size = new int[3];
      for (int j = 0; j < p.size(); j++) {
        if (j != i) {
          sum[labels[j]] += 1 - dot(p, i, j);
          size[labels[j]]++;
        }
      }
      double a = sum[labels[i]] / size[labels[i]];
      double b = Double.POSITIVE_INFINITY;
      for (int c = 0; c < 3; c++) {
        if (c != labels[i]) {
          b = Math.min(b, sum[c] / size[c]);
        }
      }
      brute += (b - a) / Math.max(a, b);
    }
    assertThat(SphericalKMeans.silhouette(p, labels, 3)).isCloseTo(brute / p.size(), within(1e-9));
  }

  static double dot(SphericalKMeans.Points p, int i, int j) {
    double[] d = new double[p.dim()];
    for (int x = 0; x < p.indices()[j].length; x++) {
      d[p.indices()[j][x]] = p.values()[j][x];
    }
    double s = 0;
    for (int x = 0; x < p.indices()[i].length; x++) {
      s += p.values()[i][x] * d[p.indices()[i][x]];
    }
    return s;
  }

  @Test
  void topicTermWeightIsClassBasedTfIdf() {
    // 6 of the topic's 100 words; the term appears 8 times in all topics; topics have 150 words on average
    assertThat(TopicLabels.weight(6L, 100L, 150.0, 8L)).isCloseTo(0.06 * Math.log(1 + 150.0 / 8), within(1e-15));
  }

  @Test
  void boundaryMeasures() {
    assertThat(BoundaryCases.discordance(new double[] {3, 2, 1}, new double[] {1, 2, 3})).isEqualTo(1.0);
    assertThat(BoundaryCases.discordance(new double[] {3, 2, 1}, new double[] {3, 1, 2})).isCloseTo(1.0 / 3,
        within(1e-15));
    // both models prefer r1: no disagreement; then r2 for the second model
    assertThat(BoundaryCases.modelDisagreement(Map.of("m1", Map.of("r1", 2.0, "r2", 1.0, "r3", 0.0),
        "m2", Map.of("r1", 5.0, "r2", 0.0, "r3", 1.0)))).isNaN();
    assertThat(BoundaryCases.modelDisagreement(Map.of("m1", Map.of("r1", 2.0, "r2", 1.0, "r3", 0.0),
        "m2", Map.of("r1", 1.0, "r2", 5.0, "r3", 0.0, "r4", 9.0)))).isCloseTo(1.0 / 3, within(1e-15));
    assertThat(BoundaryCases.topMargin(List.of(0.5, 2.0, 1.75))).isCloseTo(0.25, within(1e-15));
    assertThat(BoundaryCases.topMargin(List.of(1.0))).isNaN();
    assertThat(BoundaryCases.methodDisagreement(Map.of("bt", Set.of("a"), "borda", Set.of("a"), "elo", Set.of("b"),
        "copeland", Set.of("a", "b")))).isCloseTo(0.25, within(1e-15));
    assertThat(BoundaryCases.methodDisagreement(Map.of("bt", Set.of("a"), "borda", Set.of("a")))).isEqualTo(0.0);
  }
}
