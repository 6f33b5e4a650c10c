package org.chorus.core.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/** Default sizes of {@code chorus synth} ({@code chorus.synth}) and of the demo run ({@code chorus.demo}). */
public final class SynthConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public final long participants;
  public final int statements;
  public final int groups;
  public final int votesPerParticipant;
  public final long comparisons;
  public final long prompts;
  public final int topics;
  public final int responsesPerPrompt;
  public final long seed;

  SynthConfig(Config c, String prefix, List<String> errors) {
    this.participants = Values.longValue(c, prefix + ".participants", 1, 1_000_000_000L, errors);
    this.statements = Values.integer(c, prefix + ".statements", 1, 10_000_000, errors);
    this.groups = Values.integer(c, prefix + ".groups", 1, 50, errors);
    this.votesPerParticipant = Values.integer(c, prefix + ".votes-per-participant", 1, 10_000_000, errors);
    this.comparisons = Values.longValue(c, prefix + ".comparisons", 0, 10_000_000_000L, errors);
    this.prompts = Values.longValue(c, prefix + ".prompts", 0, 1_000_000_000L, errors);
    this.topics = Values.integer(c, prefix + ".topics", 1, 1000, errors);
    this.responsesPerPrompt = Values.integer(c, prefix + ".responses-per-prompt", 2, 1000, errors);
    this.seed = Values.longValue(c, prefix + ".seed", Long.MIN_VALUE, Long.MAX_VALUE, errors);
  }
}
