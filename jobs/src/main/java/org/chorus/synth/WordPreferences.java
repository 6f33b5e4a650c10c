package org.chorus.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Preference pairs whose winner depends on the words of the responses: every word of a vocabulary has a hidden
 * weight, a response's true reward is the sum of its words' weights, and the rater picks A with probability
 * sigmoid(r_A - r_B) (Bradley-Terry on the true reward). Seeded; used to test that a reward model learns the words.
 */
public final class WordPreferences {
  private final String[] words;
  private final double[] weights;
  private final int minWords;
  private final int maxWords;

  public WordPreferences(int vocabulary, double weightSd, int minWords, int maxWords, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    String[] syllables = {"ka", "lo", "mi", "ne", "ru", "ta", "vi", "so", "pe", "du", "fa", "gi", "ho", "ze", "bo"};
    words = new String[vocabulary];
    weights = new double[vocabulary];
    for (int i = 0; i < vocabulary; i++) {
      StringBuilder w = new StringBuilder();
      int x = i;
      do {
        w.append(syllables[x % syllables.length]);
        x /= syllables.length;
      } while (x > 0);
      words[i] = w.append(syllables[r.nextInt(syllables.length)]).toString();
      weights[i] = weightSd * r.nextGaussian();
    }
    this.minWords = minWords;
    this.maxWords = maxWords;
  }

  /** One response: its text and true reward. */
  public record Response(String text, double reward) {}

  /** One comparison: prompt, two responses, whether A won, and whether A has the higher true reward. */
  public record Comparison(String prompt, Response a, Response b, boolean aWins) {}

  public Response response(SplittableRandom r) {
    int n = minWords + r.nextInt(maxWords - minWords + 1);
    StringBuilder text = new StringBuilder();
    double reward = 0;
    for (int k = 0; k < n; k++) {
      int w = r.nextInt(words.length);
      text.append(k == 0 ? "" : " ").append(words[w]);
      reward += weights[w];
    }
    return new Response(text.append('.').toString(), reward);
  }

  /** {@code prompts} prompts with {@code perPrompt} comparisons each, between fresh responses. */
  public List<Comparison> comparisons(int prompts, int perPrompt, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<Comparison> out = new ArrayList<>();
    for (int p = 0; p < prompts; p++) {
      String prompt = "Question " + p + ": " + response(r).text();
      for (int k = 0; k < perPrompt; k++) {
        Response a = response(r);
        Response b = response(r);
        boolean aWins = r.nextDouble() < 1 / (1 + Math.exp(b.reward() - a.reward()));
        out.add(new Comparison(prompt, a, b, aWins));
      }
    }
    return out;
  }

  /** The share of comparisons whose winner has the higher true reward (the best any model can expect). */
  public static double trueRewardAccuracy(List<Comparison> comparisons) {
    double hits = 0;
    for (Comparison c : comparisons) {
      hits += (c.a().reward() > c.b().reward()) == c.aWins() ? 1 : 0;
    }
    return hits / comparisons.size();
  }
}
