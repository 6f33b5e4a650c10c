package org.chorus.synth;

import java.io.Serializable;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.config.ConfigSection;
import org.chorus.core.config.SectionReader;

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
  private final String description;

  SynthConfig(ConfigSection s) {
    this.participants = s.longValue("participants", 1, 1_000_000_000L);
    this.statements = s.integer("statements", 1, 10_000_000);
    this.groups = s.integer("groups", 1, 50);
    this.votesPerParticipant = s.integer("votes-per-participant", 1, 10_000_000);
    this.comparisons = s.longValue("comparisons", 0, 10_000_000_000L);
    this.prompts = s.longValue("prompts", 0, 1_000_000_000L);
    this.topics = s.integer("topics", 1, 1000);
    this.responsesPerPrompt = s.integer("responses-per-prompt", 2, 1000);
    this.seed = s.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    this.description = s.describe();
  }

  /** {@code chorus.synth}: the sizes {@code chorus synth} generates when its options are not given. */
  public static SynthConfig synth(ChorusConfig config) {
    return config.section("synth", SynthConfig::new);
  }

  /** {@code chorus.demo}: the sizes {@code chorus demo} runs the whole pipeline at. */
  public static SynthConfig demo(ChorusConfig config) {
    return config.section("demo", SynthConfig::new);
  }

  @Override
  public String toString() {
    return description;
  }

  /** Checks {@code chorus.synth} when the config is loaded (listed in META-INF/services). */
  public static final class Section extends SectionReader {
    public Section() {
      super("synth", SynthConfig::new);
    }
  }

  /** Checks {@code chorus.demo} when the config is loaded (listed in META-INF/services). */
  public static final class DemoSection extends SectionReader {
    public DemoSection() {
      super("demo", SynthConfig::new);
    }
  }
}
