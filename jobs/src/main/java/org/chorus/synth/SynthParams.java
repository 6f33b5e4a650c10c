package org.chorus.synth;

import java.io.Serializable;
import org.chorus.core.ChorusException;

/** Sizes, ids and seed of one synthetic deliberation. */
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

  /** One prompt per hundred comparisons by default, at least one (a dataset of one prompt is an election). */
  public static int defaultComparisonPrompts(long comparisons, long prompts) {
    return (int) Math.max(1, Math.min(Math.max(prompts, 1), comparisons / 100));
  }

  /** Expected number of votes (activity is skewed, so the realised count differs slightly). */
  public long expectedVotes() {
    return participants * (long) Math.min(votesPerParticipant, statements);
  }
}
