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

  SynthParams params(SynthConfig d) {
    String ds = dataset != null ? dataset : conversation;
    long c = comparisons != null ? comparisons : d.comparisons;
    long p = prompts != null ? prompts : d.prompts;
    return new SynthParams(conversation, ds, promptDataset != null ? promptDataset : ds + "-prompts",
        participants != null ? participants : d.participants, statements != null ? statements : d.statements,
        groups != null ? groups : d.groups,
        votesPerParticipant != null ? votesPerParticipant : d.votesPerParticipant, c,
        comparisonPrompts != null ? comparisonPrompts : SynthParams.defaultComparisonPrompts(c, p),
        responsesPerPrompt != null ? responsesPerPrompt : d.responsesPerPrompt, p,
        topics != null ? topics : d.topics, seed != null ? seed : d.seed);
  }
}
