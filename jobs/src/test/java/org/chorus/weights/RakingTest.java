package org.chorus.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class RakingTest {
  // a 2 x 3 sample: gender (f, m) x age (young, mid, old), participant counts per cell
  static final int[][] CELLS = {{0, 0}, {0, 1}, {0, 2}, {1, 0}, {1, 1}, {1, 2}};
  static final double[] COUNTS = {40, 25, 5, 15, 10, 5};
  static final double[][] TARGETS = {{0.5, 0.5}, {0.3, 0.4, 0.3}};

  @Test
  void marginsAreMatchedWithMeanOneWeights() {
    Raking.Result r = Raking.rake(CELLS, COUNTS, TARGETS, 5e-4, 1000, Double.NaN);
    assertThat(r.converged()).isTrue();
    assertThat(r.maxMarginError()).isLessThanOrEqualTo(5e-4);
    for (int d = 0; d < 2; d++) {
      double[] s = Raking.shares(CELLS, COUNTS, r.cellWeights(), d, TARGETS[d].length);
      for (int l = 0; l < s.length; l++) {
        assertThat(s[l] / TARGETS[d][l] - 1).isCloseTo(0, within(5e-4));
      }
    }
    double mass = 0;
    for (int c = 0; c < COUNTS.length; c++) {
      mass += COUNTS[c] * r.cellWeights()[c];
    }
    assertThat(mass / 100).isCloseTo(1.0, within(1e-12));
  }

  @Test
  void equalsDenseIterativeProportionalFittingOfTheJointTable() {
    // independent reference: classic IPF on the dense 2 x 3 table of weighted counts, run to 1e-13
    double[][] t = {{40, 25, 5}, {15, 10, 5}};
    for (int it = 0; it < 10_000; it++) {
      for (int i = 0; i < 2; i++) {
        double row = t[i][0] + t[i][1] + t[i][2];
        for (int j = 0; j < 3; j++) {
          t[i][j] *= 100 * TARGETS[0][i] / row;
        }
      }
      for (int j = 0; j < 3; j++) {
        double col = t[0][j] + t[1][j];
        for (int i = 0; i < 2; i++) {
          t[i][j] *= 100 * TARGETS[1][j] / col;
        }
      }
    }
    Raking.Result r = Raking.rake(CELLS, COUNTS, TARGETS, 1e-13, 100_000, Double.NaN);
    for (int c = 0; c < CELLS.length; c++) {
      assertThat(r.cellWeights()[c]).isCloseTo(t[CELLS[c][0]][CELLS[c][1]] / COUNTS[c], within(1e-9));
    }
  }

  @Test
  void capHoldsAndMarginsStillMatchWhenFeasible() {
    Raking.Result free = Raking.rake(CELLS, COUNTS, TARGETS, 5e-4, 1000, Double.NaN);
    double max = 0;
    for (double w : free.cellWeights()) {
      max = Math.max(max, w);
    }
    assertThat(max).isGreaterThan(3.0); // the old, scarce in the sample, get large weights
    Raking.Result capped = Raking.rake(CELLS, COUNTS, TARGETS, 5e-4, 1000, 3.2);
    for (double w : capped.cellWeights()) {
      assertThat(w).isLessThanOrEqualTo(3.2 * (1 + 1e-9));
    }
    assertThat(Raking.kishDesignEffect(COUNTS, capped.cellWeights()))
        .isLessThan(Raking.kishDesignEffect(COUNTS, free.cellWeights()));
  }

  @Test
  void kishDesignEffectAndEffectiveSampleSizeByHand() {
    double[] counts = {2, 2};
    double[] w = {0.5, 1.5};
    // n = 4, sum w = 4, sum w^2 = 2*(0.25) + 2*(2.25) = 5: deff = 4 * 5 / 16 = 1.25, ESS = 16 / 5 = 3.2
    assertThat(Raking.kishDesignEffect(counts, w)).isCloseTo(1.25, within(1e-15));
    assertThat(Raking.effectiveSampleSize(counts, w)).isCloseTo(3.2, within(1e-15));
  }

  @Test
  void asmdByHand() {
    // |0.7-0.5|/0.5 = 0.4 and |0.3-0.5|/0.5 = 0.4: mean 0.4
    assertThat(Raking.asmd(new double[] {0.7, 0.3}, new double[] {0.5, 0.5})).isCloseTo(0.4, within(1e-15));
    assertThat(Raking.asmd(new double[] {0.5, 0.5}, new double[] {0.5, 0.5})).isZero();
  }
}
