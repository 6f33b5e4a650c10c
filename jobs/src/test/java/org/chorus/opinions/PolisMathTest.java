package org.chorus.opinions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.chorus.math.AdjustedRandIndex;
import org.chorus.math.KMeans;
import org.junit.jupiter.api.Test;

/** Polis's formulas against hand computations. */
class PolisMathTest {
  @Test
  void probabilityAndPropTest() {
    assertThat(PolisMath.probability(3, 10)).isCloseTo(4.0 / 12.0, within(1e-12));
    // prop-test: 2 sqrt(ns+1) ((na+1)/(ns+1) - 1/2) = 2 sqrt(11) (9/11 - 0.5)
    assertThat(PolisMath.propTest(8, 10)).isCloseTo(2 * Math.sqrt(11) * (9.0 / 11 - 0.5), within(1e-12));
  }

  @Test
  void twoPropTestByHand() {
    // succ 8/10 in group, 3/20 outside; +1 on each count: 9/11 vs 4/21, pooled 13/32
    double p1 = 9.0 / 11;
    double p2 = 4.0 / 21;
    double pooled = 13.0 / 32;
    double expected = (p1 - p2) / Math.sqrt(pooled * (1 - pooled) * (1.0 / 11 + 1.0 / 21));
    assertThat(PolisMath.twoPropTest(8, 3, 10, 20)).isCloseTo(expected, within(1e-12));
    assertThat(PolisMath.twoPropTest(4, 4, 4, 4)).isZero(); // pooled proportion 1
  }

  @Test
  void repnessOfAGroup() {
    // group: 8 agree, 1 disagree of 10; rest: 3 agree, 15 disagree of 20
    PolisMath.Repness r = PolisMath.repness(42, 8, 1, 10, 3, 15, 20);
    assertThat(r.pa()).isCloseTo(9.0 / 12, within(1e-12));
    assertThat(r.pd()).isCloseTo(2.0 / 12, within(1e-12));
    assertThat(r.ra()).isCloseTo((9.0 / 12) / (4.0 / 22), within(1e-12));
    assertThat(r.rd()).isCloseTo((2.0 / 12) / (16.0 / 22), within(1e-12));
    assertThat(r.pat()).isCloseTo(2 * Math.sqrt(11) * (9.0 / 11 - 0.5), within(1e-12));
    assertThat(r.rat()).isCloseTo(PolisMath.twoPropTest(8, 3, 10, 20), within(1e-12));
    assertThat(r.agreeDirection()).isTrue();
    assertThat(r.significant()).isTrue();
    assertThat(r.metric()).isCloseTo(r.ra() * r.rat() * r.pa() * r.pat(), within(1e-12));
  }

  @Test
  void groupInformedConsensusIsTheProductOverGroups() {
    // (A+1)/(S+2) per group, S counting passes: (5+1)/(8+2) * (2+1)/(6+2)
    assertThat(PolisMath.groupInformedConsensus(new long[] {5, 2}, new long[] {8, 6}))
        .isCloseTo(0.6 * 0.375, within(1e-15));
  }

  @Test
  void priorityByHand() {
    // A=6, P=2, S=10, E=0.5: importance = (1 - 3/12) * 1.5 * 7/12; priority = (importance * (1 + 8 * 2^-2))^2
    double importance = (1 - 3.0 / 12) * 1.5 * 7.0 / 12;
    assertThat(PolisMath.priority(6, 2, 10, 0.5, false)).isCloseTo(Math.pow(importance * 3, 2), within(1e-12));
    assertThat(PolisMath.priority(6, 2, 10, 0.5, true)).isEqualTo(49.0);
  }

  @Test
  void inConversationRule() {
    long[] votes = {7, 6, 10, 0, 2};
    boolean[] in = PolisMath.inConversation(votes, 50);
    // only two reach 7; topped up to 15 would take everyone with votes, most first
    assertThat(in).containsExactly(true, true, true, false, true);
    long[] many = new long[20];
    java.util.Arrays.fill(many, 7);
    many[0] = 3;
    assertThat(PolisMath.inConversation(many, 50)[0]).isFalse();
    assertThat(PolisMath.inConversation(new long[] {3, 1}, 3)[0]).isTrue(); // threshold min(7, statements)
  }

  @Test
  void selectionPutsBestAgreeFirstAndAgreesBeforeDisagrees() {
    PolisMath.Repness agreeStrong = PolisMath.repness(1, 30, 1, 32, 5, 40, 50);
    PolisMath.Repness disagreeStrong = PolisMath.repness(2, 1, 30, 32, 40, 5, 50);
    PolisMath.Repness agreeWeak = PolisMath.repness(3, 20, 5, 30, 15, 20, 50);
    PolisMath.Repness noise = PolisMath.repness(4, 10, 10, 30, 17, 17, 50);
    List<PolisMath.Selected> s = PolisMath.selectRepresentative(List.of(noise, disagreeStrong, agreeWeak,
        agreeStrong), 5);
    assertThat(s).extracting(x -> x.stats().statementId()).containsExactly(1L, 3L, 2L);
    assertThat(s).extracting(PolisMath.Selected::agree).containsExactly(true, true, false);
    assertThat(s).extracting(PolisMath.Selected::rank).containsExactly(1, 2, 3);
  }

  @Test
  void consensusSelection() {
    List<List<Long>> c = PolisMath.selectConsensus(List.of(new PolisMath.ConsensusStats(1, 90, 5, 100),
        new PolisMath.ConsensusStats(2, 50, 45, 100), new PolisMath.ConsensusStats(3, 5, 80, 100),
        new PolisMath.ConsensusStats(4, 70, 20, 100)), 5);
    assertThat(c.get(0)).containsExactly(1L, 4L);
    assertThat(c.get(1)).containsExactly(3L);
  }

  @Test
  void extremityOfAVirtualAgreeParticipant() {
    assertThat(PolisMath.extremity(0.2, new double[] {0.3, 0.4}, 16)).isCloseTo(0.8 * 4 * 0.5, within(1e-12));
  }

  @Test
  void kMeansAndAri() {
    double[][] x = {{0, 0}, {0.1, 0}, {0, 0.1}, {5, 5}, {5.1, 5}, {5, 5.1}};
    double[] w = {1, 1, 1, 1, 1, 1};
    KMeans.Result r = KMeans.fit(x, w, 2, 3, 3, 50);
    assertThat(r.assignment()[0]).isEqualTo(r.assignment()[1]).isEqualTo(r.assignment()[2]);
    assertThat(r.assignment()[3]).isNotEqualTo(r.assignment()[0]);
    assertThat(KMeans.silhouette(x, w, r.assignment(), 2)).isGreaterThan(0.9);
    assertThat(AdjustedRandIndex.of(new int[] {0, 0, 1, 1}, new int[] {5, 5, 7, 7})).isEqualTo(1.0);
    // hand-computed: contingency [[2,1],[0,1]] -> index 1, rows 3+0=3, cols 1+1=2... ARI = (1 - 3*2/6)/(2.5 - 1) = 0
    assertThat(AdjustedRandIndex.of(new int[] {0, 0, 0, 1}, new int[] {0, 0, 1, 1})).isCloseTo(0.0, within(1e-12));
  }
}
