package org.chorus.synth;

import java.io.Serializable;
import org.chorus.core.ChorusException;

/**
 * Sizes, ids and seed of one synthetic deliberation. Built by name: {@code SynthParams.builder("c").participants(2000)
 * .groups(3).seed(7).build()}, or {@link #from} the sizes of a config section.
 */
public record SynthParams(String conversationId, String datasetId, String promptDatasetId, long participants,
    int statements, int groups, int votesPerParticipant, long comparisons, int comparisonPrompts,
    int responsesPerPrompt, long prompts, int topics, long seed) implements Serializable {

  public SynthParams {
    ChorusException.checkUsage(participants >= 1, "--participants must be at least 1, got %d", participants);
    ChorusException.checkUsage(statements >= 1, "--statements must be at least 1, got %d", statements);
    ChorusException.checkUsage(groups >= 1 && groups <= 50, "--groups must be in [1, 50], got %d", groups);
    ChorusException.checkUsage(votesPerParticipant >= 1, "--votes-per-participant must be at least 1, got %d",
        votesPerParticipant);
    ChorusException.checkUsage(comparisons >= 0, "--comparisons must not be negative, got %d", comparisons);
    ChorusException.checkUsage(responsesPerPrompt >= 2, "--responses-per-prompt must be at least 2, got %d",
        responsesPerPrompt);
    ChorusException.checkUsage(comparisonPrompts >= 1, "--comparison-prompts must be at least 1, got %d",
        comparisonPrompts);
    ChorusException.checkUsage(prompts >= 0, "--prompts must not be negative, got %d", prompts);
    ChorusException.checkUsage(topics >= 1, "--topics must be at least 1, got %d", topics);
  }

  /** Everything at its smallest (one participant, statement, group and vote; no comparisons, no prompts). */
  public static Builder builder(String conversation) {
    return new Builder(conversation);
  }

  /** The sizes and seed of a config section ({@code chorus.synth}, {@code chorus.demo}). */
  public static Builder from(String conversation, SynthConfig sizes) {
    return builder(conversation).participants(sizes.participants).statements(sizes.statements).groups(sizes.groups)
        .votesPerParticipant(sizes.votesPerParticipant).comparisons(sizes.comparisons).prompts(sizes.prompts)
        .topics(sizes.topics).responsesPerPrompt(sizes.responsesPerPrompt).seed(sizes.seed);
  }

  /** Named setters for {@link SynthParams}; ids default to the conversation id (prompts: {@code <dataset>-prompts}). */
  public static final class Builder {
    private final String conversation;
    private String dataset;
    private String promptDataset;
    private long participants = 1;
    private int statements = 1;
    private int groups = 1;
    private int votesPerParticipant = 1;
    private long comparisons;
    private Integer comparisonPrompts;
    private int responsesPerPrompt = 2;
    private long prompts;
    private int topics = 1;
    private long seed;

    private Builder(String conversation) {
      this.conversation = conversation;
    }

    public Builder dataset(String id) {
      this.dataset = id;
      return this;
    }

    public Builder promptDataset(String id) {
      this.promptDataset = id;
      return this;
    }

    public Builder participants(long n) {
      this.participants = n;
      return this;
    }

    public Builder statements(int n) {
      this.statements = n;
      return this;
    }

    public Builder groups(int n) {
      this.groups = n;
      return this;
    }

    public Builder votesPerParticipant(int n) {
      this.votesPerParticipant = n;
      return this;
    }

    public Builder comparisons(long n) {
      this.comparisons = n;
      return this;
    }

    /** The prompts the comparisons are about (default: {@link #defaultComparisonPrompts}). */
    public Builder comparisonPrompts(int n) {
      this.comparisonPrompts = n;
      return this;
    }

    public Builder responsesPerPrompt(int n) {
      this.responsesPerPrompt = n;
      return this;
    }

    public Builder prompts(long n) {
      this.prompts = n;
      return this;
    }

    public Builder topics(int n) {
      this.topics = n;
      return this;
    }

    public Builder seed(long s) {
      this.seed = s;
      return this;
    }

    public SynthParams build() {
      String ds = dataset != null ? dataset : conversation;
      return new SynthParams(conversation, ds, promptDataset != null ? promptDataset : ds + "-prompts", participants,
          statements, groups, votesPerParticipant, comparisons, comparisonPrompts != null ? comparisonPrompts
              : defaultComparisonPrompts(comparisons, prompts), responsesPerPrompt, prompts, topics, seed);
    }
  }

  /** One prompt per hundred comparisons by default, at least one (a dataset of one prompt is an election). */
  public static int defaultComparisonPrompts(long comparisons, long prompts) {
    return (int) Math.max(1, Math.min(Math.max(prompts, 1), comparisons / 100));
  }

  /** Expected number of votes (activity is skewed, so the realised count differs slightly). */
  public long expectedVotes() {
    return participants * (long) Math.min(votesPerParticipant, statements);
  }
}
