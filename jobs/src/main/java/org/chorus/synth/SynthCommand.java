package org.chorus.synth;

import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus synth}: a synthetic deliberation with known ground truth (defaults from chorus.synth). */
@Command(name = "synth", description = "Generate a synthetic deliberation with known ground truth (in parallel).")
public final class SynthCommand extends JobCommand<SynthJob.Options, SynthJob.Result> {
  @Option(names = "--participants", paramLabel = "N")
  Long participants;

  @Option(names = "--statements", paramLabel = "M")
  Integer statements;

  @Option(names = "--groups", paramLabel = "G", description = "latent opinion groups")
  Integer groups;

  @Option(names = "--votes-per-participant", paramLabel = "V", description = "mean votes per participant (skewed)")
  Integer votesPerParticipant;

  @Option(names = "--comparisons", paramLabel = "C")
  Long comparisons;

  @Option(names = "--comparison-prompts", paramLabel = "K", description = "prompts the comparisons are about "
      + "(default: comparisons/100, at least 1)")
  Integer comparisonPrompts;

  @Option(names = "--responses-per-prompt", paramLabel = "R")
  Integer responsesPerPrompt;

  @Option(names = "--prompts", paramLabel = "P", description = "prompt corpus size")
  Long prompts;

  @Option(names = "--topics", paramLabel = "T")
  Integer topics;

  @Option(names = "--seed", paramLabel = "S")
  Long seed;

  @Option(names = "--conversation", paramLabel = "ID", defaultValue = "synth")
  String conversation;

  @Option(names = "--dataset", paramLabel = "ID", description = "comparisons dataset id (default: the conversation id)")
  String dataset;

  @Option(names = "--prompt-dataset", paramLabel = "ID", description = "prompt corpus dataset id (default: <dataset>-prompts)")
  String promptDataset;

  @Option(names = "--export-polis", paramLabel = "DIR", description = "also write the conversation as a Polis export")
  String exportDir;

  @Override
  protected Job<SynthJob.Options, SynthJob.Result> job() {
    return new SynthJob();
  }

  @Override
  protected SynthJob.Options options(ChorusConfig config) {
    return new SynthJob.Options(params(SynthConfig.synth(config)), exportDir);
  }

  /** The options given, over the sizes of {@code chorus.synth}. */
  SynthParams params(SynthConfig d) {
    SynthParams.Builder b = SynthParams.from(conversation, d).dataset(dataset).promptDataset(promptDataset);
    apply(participants, b::participants);
    apply(statements, b::statements);
    apply(groups, b::groups);
    apply(votesPerParticipant, b::votesPerParticipant);
    apply(comparisons, b::comparisons);
    apply(comparisonPrompts, b::comparisonPrompts);
    apply(responsesPerPrompt, b::responsesPerPrompt);
    apply(prompts, b::prompts);
    apply(topics, b::topics);
    apply(seed, b::seed);
    return b.build();
  }

  private static <T> void apply(T value, java.util.function.Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }
}
