package org.chorus.reward;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import org.chorus.synth.WordPreferences;
import org.junit.jupiter.api.Test;

class RewardNetTest {
  static final HashedFeatures F = new HashedFeatures(1 << 14, 1, 256, 7);

  static RewardModel train(List<WordPreferences.Comparison> comparisons) {
    List<RewardNet.Pair> pairs = new ArrayList<>();
    for (WordPreferences.Comparison c : comparisons) {
      long[] a = F.indices(c.a().text());
      long[] b = F.indices(c.b().text());
      pairs.add(c.aWins() ? new RewardNet.Pair(a, b, 0) : new RewardNet.Pair(b, a, 0));
    }
    try (RewardNet net = RewardNet.initialise(F.buckets(), 8, 8, 3, Device.cpu())) {
      List<Double> losses = net.train(pairs, new RewardNet.Training(3, 64, 0.01f, 1e-3f, 9), null);
      assertThat(losses.get(losses.size() - 1)).isLessThan(losses.get(0));
      return RewardModel.of(net, F, null);
    }
  }

  @Test
  void hashedFeaturesFollowTheirSpec() {
    HashedFeatures f = new HashedFeatures(1000, 2, 10, 1);
    assertThat(HashedFeatures.tokens("Don't PANIC, it's 42!")).containsExactly("don't", "panic", "it's", "42");
    long[] idx = f.indices("a b c");
    assertThat(idx).hasSize(5).containsExactly(f.bucket("a"), f.bucket("b"), f.bucket("c"), f.bucket("a b"),
        f.bucket("b c"));
    byte[] b = "a".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(f.bucket("a")).isEqualTo(1 + Math.floorMod(
        org.apache.commons.codec.digest.MurmurHash3.hash32x86(b, 0, b.length, 1), 999));
    assertThat(new HashedFeatures(1000, 2, 3, 1).indices("a b c d")).hasSize(3);
    assertThat(f.indices("")).isEmpty();
  }

  @Test
  void learnsTheWordsThatDecidePreferencesAndTrainsDeterministically() {
    WordPreferences w = new WordPreferences(200, 0.35, 6, 14, 5);
    List<WordPreferences.Comparison> train = w.comparisons(1200, 5, 11);
    List<WordPreferences.Comparison> test = w.comparisons(500, 4, 12);
    RewardModel model = train(train);
    double hits = 0;
    try (RewardNet net = model.network(Device.cpu())) {
      for (WordPreferences.Comparison c : test) {
        float[] s = net.score(List.of(F.indices(c.a().text()), F.indices(c.b().text())));
        hits += (s[0] > s[1]) == c.aWins() ? 1 : 0;
      }
    }
    double truth = WordPreferences.trueRewardAccuracy(test);
    assertThat(hits / test.size()).as("held-out accuracy vs the true reward's %.3f", truth)
        .isGreaterThanOrEqualTo(truth - 0.05);
    // the same pairs, settings and seed give the same weights
    assertThat(train(train).modelId()).isEqualTo(model.modelId());
  }

  @Test
  void meanLossIsTrlsLossOfTheScoresAndTrainingStopsWhenAsked() {
    long[] a = F.indices("alpha beta");
    long[] b = F.indices("gamma");
    long[] c = F.indices("delta epsilon zeta");
    List<RewardNet.Pair> pairs = List.of(new RewardNet.Pair(a, b, 0f), new RewardNet.Pair(c, a, 0.5f),
        new RewardNet.Pair(b, c, -0.25f));
    try (RewardNet net = RewardNet.initialise(F.buckets(), 4, 4, 5, Device.cpu())) {
      List<Double> losses = net.train(pairs, new RewardNet.Training(10, 2, 0.05f, 0f, 3), null, epoch -> epoch < 4);
      assertThat(losses).hasSize(4);
      float[] s = net.score(List.of(a, b, c));
      double[] d = {s[0] - s[1], s[2] - s[0] - 0.5, s[1] - s[2] + 0.25};
      double expected = 0;
      for (double x : d) {
        expected += -Math.log(1 / (1 + Math.exp(-x)));
      }
      assertThat(net.meanLoss(pairs, 2)).isCloseTo(expected / 3, org.assertj.core.api.Assertions.within(1e-5));
    }
  }
}
