package org.chorus.panel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** The panel solvers on plain Java instances (no Spark). */
class PanelMathTest {
  @Test
  void leximinOnExampleSmall20GivesEveryoneTenPercent() throws Exception {
    PanelInstance inst = Pools.exampleSmall20();
    Leximin.Result r = Leximin.leximin(inst, 5, m -> { });
    for (double x : inst.personProbabilities(r.lottery().typeProbabilities(inst))) {
      assertThat(x).isCloseTo(0.1, within(1e-4));
    }
    assertThat(r.minimum()).isCloseTo(0.1, within(1e-6));
  }

  @Test
  void leximinIsMaximinFirstThenRaisesTheRest() {
    PanelInstance inst = Pools.synthetic(300, 30, 3, 3, 5);
    Leximin.Result lex = Leximin.leximin(inst, 5, m -> { });
    Leximin.Result max = Leximin.maximin(inst, 5, m -> { });
    double[] pl = lex.lottery().typeProbabilities(inst);
    double[] pm = max.lottery().typeProbabilities(inst);
    assertThat(min(pl)).isCloseTo(min(pm), within(1e-6));
    // every panel of the lottery meets the quotas, and the probabilities sum to k
    for (int[] panel : lex.lottery().panels()) {
      assertThat(inst.meetsQuotas(panel)).isTrue();
    }
    double sum = 0;
    for (double x : inst.personProbabilities(pl)) {
      sum += x;
    }
    assertThat(sum).isCloseTo(30, within(1e-6));
    // NASH's minimum cannot beat the maximin
    Nash.Result nash = Nash.solve(inst, 1e-6, 100_000, m -> { });
    assertThat(min(nash.lottery().typeProbabilities(inst))).isLessThanOrEqualTo(min(pl) + 1e-6);
    assertThat(nash.gapPerPerson()).isLessThanOrEqualTo(1e-6);
    // and LEXIMIN's Nash welfare cannot beat NASH's
    assertThat(welfare(inst, nash.lottery().typeProbabilities(inst))).isGreaterThanOrEqualTo(welfare(inst, pl) - 1e-6);
  }

  @Test
  void warmSimplexMasterAgreesWithGlop() {
    // the same LEXIMIN from the warm primal simplex and from GLOP re-solving every round, on pools whose stages fix
    // many types (exercising the simplex's change of z and basis repair at each stage)
    for (long seed : new long[] {5, 11, 23}) {
      PanelInstance inst = Pools.synthetic(400, 40, 4, 3, seed);
      Leximin.Result simplex = Leximin.solve(inst, true, 5, m -> { }, false);
      Leximin.Result glop = Leximin.solve(inst, true, 5, m -> { }, true);
      assertThat(simplex.stages()).isGreaterThan(2);
      double[] ps = simplex.lottery().typeProbabilities(inst);
      double[] pg = glop.lottery().typeProbabilities(inst);
      for (int t = 0; t < ps.length; t++) {
        // GLOP keeps fixed types 1e-7 below their stage value, which compounds over the stages: 1e-6 apart at most
        assertThat(ps[t]).as("seed %d type %d", seed, t).isCloseTo(pg[t], within(1e-5));
      }
      assertThat(simplex.minimum()).isCloseTo(glop.minimum(), within(1e-9));
    }
  }

  @Test
  void lotteryDrawsMeetQuotasAndFollowTheMarginals() {
    PanelInstance inst = Pools.synthetic(200, 20, 3, 3, 9);
    Leximin.Result lex = Leximin.leximin(inst, 5, m -> { });
    double[] expected = inst.personProbabilities(lex.lottery().typeProbabilities(inst));
    double[] seen = new double[inst.people()];
    int draws = 20000;
    for (int d = 0; d < draws; d++) {
      int[] panel = lex.lottery().draw(inst, 1000 + d);
      assertThat(inst.meetsQuotas(inst.typeCounts(panel))).isTrue();
      for (int i : panel) {
        seen[i] += 1.0 / draws;
      }
    }
    for (int i = 0; i < seen.length; i++) {
      // binomial standard error at p <= 0.5 and 20000 draws is <= 0.0036; 5 sigma
      assertThat(seen[i]).isCloseTo(expected[i], within(0.018));
    }
    assertThat(lex.lottery().draw(inst, 42)).containsExactly(lex.lottery().draw(inst, 42));
  }

  @Test
  void legacyIsSeededAndMeetsQuotas() throws Exception {
    PanelInstance inst = Pools.exampleSmall20();
    Legacy.Estimate a = Legacy.estimate(inst, 5000, 3);
    Legacy.Estimate b = Legacy.estimate(inst, 5000, 3);
    assertThat(a.probabilities()).containsExactly(b.probabilities());
    assertThat(inst.meetsQuotas(inst.typeCounts(Legacy.draw(inst, 5)))).isTrue();
  }

  @Test
  void giniAndGeometricMeanMatchTheirDefinitions() {
    double[] p = {0.1, 0.2, 0.05, 0.4, 0.25, 0.0125};
    double pairs = 0;
    double mean = 0;
    double logs = 0;
    for (double a : p) {
      mean += a / p.length;
      logs += Math.log(a) / p.length;
      for (double b : p) {
        pairs += Math.abs(a - b);
      }
    }
    PanelStats s = PanelStats.of(p);
    assertThat(s.gini()).isCloseTo(pairs / (2.0 * p.length * p.length * mean), within(1e-12));
    assertThat(s.geometricMean()).isCloseTo(Math.exp(logs), within(1e-12));
    assertThat(s.min()).isEqualTo(0.0125);
    assertThat(PanelStats.of(new double[] {0.3, 0.3, 0.3}).gini()).isCloseTo(0, within(1e-15));
    // 2,000 people at 0.1 (example_large_200's LEXIMIN): the sum cancels to -1e-11 before the clamp; printed -0.0%
    double[] equal = new double[2000];
    java.util.Arrays.fill(equal, 0.1);
    assertThat(PanelStats.of(equal).gini()).isEqualTo(0.0);
  }

  private static double min(double[] x) {
    double m = Double.POSITIVE_INFINITY;
    for (double v : x) {
      m = Math.min(m, v);
    }
    return m;
  }

  private static double welfare(PanelInstance inst, double[] typeP) {
    double w = 0;
    for (int t = 0; t < typeP.length; t++) {
      w += inst.typeSize[t] * Math.log(typeP[t]);
    }
    return w;
  }
}
