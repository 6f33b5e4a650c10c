package org.chorus.aggregate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.chorus.RReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The aggregation methods on plain Java data (no Spark). */
class AggregateMathTest {
  @TempDir
  Path tmp;

  /** Adds every pairwise preference of {@code count} voters who share one ranking (items named 'A', 'B', ...). */
  private static void ballots(Tally.Builder b, int count, String ranking) {
    for (int x = 0; x < ranking.length(); x++) {
      for (int y = x + 1; y < ranking.length(); y++) {
        b.wins(ranking.charAt(x) - 'A', ranking.charAt(y) - 'A', count);
      }
    }
  }

  @Test
  void schulzeOnTheClassic45BallotElection() {
    // Wikipedia, "Schulze method", example with 45 voters and 5 candidates: the winner is E, order E > A > C > B > D
    Tally.Builder b = Tally.builder(5);
    ballots(b, 5, "ACBED");
    ballots(b, 5, "ADECB");
    ballots(b, 8, "BEDAC");
    ballots(b, 3, "CABED");
    ballots(b, 7, "CAEBD");
    ballots(b, 2, "CBADE");
    ballots(b, 7, "DCEBA");
    ballots(b, 8, "EBADC");
    double[][] d = b.build().beats();
    assertThat(d[0][1]).isEqualTo(20);
    assertThat(d[3][4]).isEqualTo(14);
    int[] rank = Scores.ranks(Majority.schulze(d));
    assertThat(rank).containsExactly(2, 4, 3, 5, 1);
    // no candidate beats every other: A loses to E 20:25 ... and E loses to B 18:27; no Condorcet winner
    assertThat(Majority.condorcetWinner(d)).isEqualTo(-1);
  }

  @Test
  void condorcetParadoxHasNoWinnerAndACondorcetWinnerIsFound() {
    Tally.Builder cycle = Tally.builder(3);
    ballots(cycle, 1, "ABC");
    ballots(cycle, 1, "BCA");
    ballots(cycle, 1, "CAB");
    double[][] d = cycle.build().beats();
    assertThat(Majority.condorcetWinner(d)).isEqualTo(-1);
    assertThat(Majority.schulze(d)).containsExactly(0, 0, 0);
    Tally.Builder clear = Tally.builder(3);
    ballots(clear, 2, "BAC");
    ballots(clear, 1, "CAB");
    // B beats A 2:1 and C 2:1
    assertThat(Majority.condorcetWinner(clear.build().beats())).isEqualTo(1);
  }

  @Test
  void kemenyExactMatchesBruteForceAndTheHeuristicBeatsBorda() {
    SplittableRandom r = new SplittableRandom(3);
    double[][] d = new double[7][7];
    for (int i = 0; i < 7; i++) {
      for (int j = 0; j < 7; j++) {
        d[i][j] = i == j ? 0 : r.nextInt(10);
      }
    }
    Majority.Kemeny k = Majority.kemeny(d);
    assertThat(k.exact()).isTrue();
    assertThat(k.agreement()).isEqualTo(bruteForce(d, new int[7], new boolean[7], 0));
    assertThat(Majority.agreement(d, k.order())).isEqualTo(k.agreement());
    double[][] big = new double[30][30];
    for (int i = 0; i < 30; i++) {
      for (int j = 0; j < 30; j++) {
        // a planted order (i < j preferred) with noise
        big[i][j] = i == j ? 0 : (i < j ? 6 : 4) + r.nextInt(5);
      }
    }
    Majority.Kemeny h = Majority.kemeny(big);
    assertThat(h.exact()).isFalse();
    int[] planted = java.util.stream.IntStream.range(0, 30).toArray();
    assertThat(h.agreement()).isGreaterThanOrEqualTo(Majority.agreement(big, planted) - 1e-9);
  }

  private static double bruteForce(double[][] d, int[] order, boolean[] used, int k) {
    if (k == order.length) {
      return Majority.agreement(d, order);
    }
    double best = Double.NEGATIVE_INFINITY;
    for (int i = 0; i < order.length; i++) {
      if (!used[i]) {
        used[i] = true;
        order[k] = i;
        best = Math.max(best, bruteForce(d, order, used, k + 1));
        used[i] = false;
      }
    }
    return best;
  }

  @Test
  void countScoresOnAHandExample() {
    // 0 beat 1 twice and lost once; 1 and 2 tied once; 0 beat 2 once
    Tally t = Tally.builder(3).wins(0, 1, 2).wins(1, 0, 1).add(1, 2, 0.5, 1).wins(0, 2, 1).build();
    assertThat(Scores.winRate(t)).containsExactly(3 / 4.0, 1.5 / 4, 0.5 / 2);
    assertThat(Scores.borda(t)).containsExactly(2 / 3.0 + 1, 1 / 3.0 + 0.5, 0.5);
    assertThat(Scores.copeland(t)).containsExactly(2, 0.5, 0.5);
    assertThat(Scores.ranks(new double[] {0.5, 2, 0.5, 1})).containsExactly(3, 1, 3, 2);
    assertThat(Scores.kendallTau(new double[] {1, 2, 3, 4}, new double[] {1, 3, 2, 4})).isCloseTo(4 / 6.0,
        within(1e-12));
  }

  @Test
  void eloAndRankCentralityByHand() {
    // one win from 1000 vs 1000: expected 0.5, so +-K/2
    double[] r = Elo.ratings(2, new int[] {0}, new int[] {1}, new double[] {1}, new double[] {1});
    assertThat(r).containsExactly(1002, 998);
    // two items, 0 won 3 of 4: the walk's stationary odds are the win odds, 3:1
    Tally t = Tally.builder(2).wins(0, 1, 3).wins(1, 0, 1).build();
    double[] pi = RankCentrality.scores(t, 1e-15, 100_000);
    assertThat(pi[0] / pi[1]).isCloseTo(3, within(1e-9));
  }

  /** Comparisons drawn from planted Bradley-Terry strengths. */
  private static List<int[]> planted(double[] theta, int comparisons, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<int[]> games = new ArrayList<>();
    for (int g = 0; g < comparisons; g++) {
      int i = r.nextInt(theta.length);
      int j = r.nextInt(theta.length - 1);
      j = j >= i ? j + 1 : j;
      double p = 1 / (1 + Math.exp(theta[j] - theta[i]));
      games.add(r.nextDouble() < p ? new int[] {i, j} : new int[] {j, i});
    }
    return games;
  }

  @Test
  void bradleyTerryRecoversPlantedStrengths() {
    double[] theta = new double[40];
    SplittableRandom r = new SplittableRandom(11);
    for (int i = 0; i < theta.length; i++) {
      theta[i] = r.nextGaussian();
    }
    Tally.Builder b = Tally.builder(theta.length);
    for (int[] g : planted(theta, 20_000, 5)) {
      b.wins(g[0], g[1], 1);
    }
    Tally t = b.build();
    BradleyTerry.Fit fit = BradleyTerry.fit(t, 0, 1e-10, 10_000);
    assertThat(fit.mleExists()).isTrue();
    assertThat(fit.converged()).isTrue();
    assertThat(spearman(fit.theta(), theta)).isGreaterThanOrEqualTo(0.95);
    assertThat(spearman(RankCentrality.scores(t, 1e-13, 100_000), theta)).isGreaterThanOrEqualTo(0.95);
    // the MLE's score equations hold: expected wins = observed wins for every item
    double[][] d = t.beats();
    for (int i = 0; i < theta.length; i++) {
      double observed = 0;
      double expected = 0;
      for (int j = 0; j < theta.length; j++) {
        observed += d[i][j];
        expected += (d[i][j] + d[j][i]) / (1 + Math.exp(fit.theta()[j] - fit.theta()[i]));
      }
      assertThat(expected).isCloseTo(observed, within(1e-6));
    }
  }

  @Test
  void bradleyTerryWithoutAnMleSaysSoAndUsesAPrior() {
    // item 2 never loses: no finite MLE
    Tally t = Tally.builder(3).wins(0, 1, 3).wins(1, 0, 2).wins(2, 0, 1).wins(2, 1, 1).build();
    BradleyTerry.Fit fit = BradleyTerry.fit(t, 0, 1e-12, 100_000);
    assertThat(fit.mleExists()).isFalse();
    assertThat(fit.prior()).isEqualTo(BradleyTerry.FALLBACK_PRIOR);
    assertThat(fit.converged()).isTrue();
    assertThat(fit.theta()[2]).isGreaterThan(fit.theta()[0]).isFinite();
    // the MAP's stationarity: wins_i - sum_j N_ij p_ij - lambda theta_i = 0
    double[][] d = t.beats();
    for (int i = 0; i < 3; i++) {
      double g = -fit.prior() * fit.theta()[i];
      for (int j = 0; j < 3; j++) {
        g += d[i][j] - (d[i][j] + d[j][i]) / (1 + Math.exp(fit.theta()[j] - fit.theta()[i]));
      }
      assertThat(g).isCloseTo(0, within(1e-9));
    }
  }

  /**
   * Against R's BradleyTerry2 (Debian r-cran-bradleyterry2, installed by .ci/run): the same 600 comparisons among
   * 12 items, centred log-strengths within 1e-4.
   */
  @Test
  void bradleyTerryMatchesRBradleyTerry2() throws Exception {
    RReference.require("BradleyTerry2", "r-cran-bradleyterry2");
    double[] theta = new double[12];
    for (int i = 0; i < theta.length; i++) {
      theta[i] = (i - 6) * 0.25;
    }
    Tally.Builder b = Tally.builder(theta.length);
    StringBuilder csv = new StringBuilder("winner,loser\n");
    for (int[] g : planted(theta, 600, 21)) {
      b.wins(g[0], g[1], 1);
      csv.append(String.format("i%02d,i%02d%n", g[0], g[1]));
    }
    Path games = tmp.resolve("games.csv");
    Files.writeString(games, csv.toString());
    Path out = tmp.resolve("abilities.csv");
    RReference.run(tmp, List.of(
        "suppressMessages(library(BradleyTerry2))",
        "a <- commandArgs(trailingOnly = TRUE)",
        "g <- read.csv(a[1], colClasses = 'character')",
        "lv <- sort(unique(c(g$winner, g$loser)))",
        "d <- data.frame(p1 = factor(g$winner, levels = lv), p2 = factor(g$loser, levels = lv), w1 = 1, w2 = 0)",
        "m <- BTm(cbind(w1, w2), p1, p2, data = d, id = 'item')",
        "ab <- BTabilities(m)[, 'ability']",
        "write.csv(data.frame(item = lv, ability = sprintf('%.17g', ab)), a[2], row.names = FALSE)"),
        games.toString(), out.toString());
    double[] reference = new double[theta.length];
    for (String line : Files.readAllLines(out).subList(1, theta.length + 1)) {
      String[] f = line.replace("\"", "").split(",");
      reference[Integer.parseInt(f[0].substring(1))] = Double.parseDouble(f[1]);
    }
    double mean = java.util.Arrays.stream(reference).average().orElseThrow();
    BradleyTerry.Fit fit = BradleyTerry.fit(b.build(), 0, 1e-12, 100_000);
    for (int i = 0; i < theta.length; i++) {
      assertThat(fit.theta()[i]).as("item %d", i).isCloseTo(reference[i] - mean, within(1e-4));
    }
  }

  static double spearman(double[] x, double[] y) {
    int[] rx = Scores.ranks(x);
    int[] ry = Scores.ranks(y);
    double n = x.length;
    double s = 0;
    for (int i = 0; i < x.length; i++) {
      s += Math.pow(rx[i] - ry[i], 2);
    }
    return 1 - 6 * s / (n * (n * n - 1));
  }

  @Test
  void labelChunksRoundTrip() {
    List<Election.PairLabel> labels = List.of(
        new Election.PairLabel("bt", "r1", "r2", "r1", 0.25, 0.75, java.util.Map.of("g0", "r1", "g1", "r2"), true),
        new Election.PairLabel("elo", "r1", "ré", null, Double.NaN, Double.NaN, java.util.Map.of(), false));
    assertThat(LabelChunk.decode(LabelChunk.encode(labels))).isEqualTo(labels);
    assertThat(LabelChunk.decode(LabelChunk.encode(List.of()))).isEmpty();
  }
}
