package org.chorus.prompts;

import java.util.List;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus prompts}: duplicates, topics, coverage and boundary cases of a prompt corpus. */
@Command(name = "prompts", description = "Curate a prompt corpus: exact and near duplicates, topics, coverage of the "
    + "topics and of a policy's rules, boundary cases (derived.prompt_duplicates, prompt_clusters, coverage, "
    + "boundary_cases).")
public final class PromptsCommand extends JobCommand<PromptsJob.Options, PromptsJob.Result> {
  @Option(names = "--dataset", required = true, paramLabel = "ID", description = "the prompts of input.prompts")
  String dataset;

  @Option(names = "--clusters", paramLabel = "K",
      description = "number of topics (default: chosen by silhouette in chorus.prompts.k-min..k-max)")
  Integer clusters;

  @Option(names = "--policy", paramLabel = "CONVERSATION[/KEY]",
      description = "a policy in derived.policy_rules (from chorus policy), e.g. ccai/both-groups@0.7, or the "
          + "conversation alone when it has one policy: which topics exercise each rule")
  String policy;

  @Option(names = "--first-turn",
      description = "use the first human turn of transcript prompts (\"Human: ... Assistant: ...\")")
  boolean firstTurn;

  @Option(names = "--group-models", split = ",", paramLabel = "MODEL_ID",
      description = "two or more per-group reward models (ids in derived.rm_scores) whose disagreement marks "
          + "boundary cases")
  List<String> groupModels = List.of();

  @Option(names = "--margin-model", paramLabel = "MODEL_ID",
      description = "the reward model whose small top-two margins mark boundary cases (default: the only model that "
          + "scored the dataset)")
  String marginModel;

  @Option(names = "--seed", paramLabel = "S", description = "k-means seed (default: chorus.prompts.seed)")
  Long seed;

  @Override
  protected Job<PromptsJob.Options, PromptsJob.Result> job() {
    return new PromptsJob();
  }

  @Override
  protected PromptsJob.Options options(ChorusConfig config) {
    PromptsJob.Options o = PromptsJob.Options.of(dataset, PromptsConfig.from(config))
        .withClusters(clusters == null ? 0 : clusters).withPolicy(policy).withFirstTurn(firstTurn)
        .withBoundaryModels(groupModels, marginModel);
    return seed == null ? o : o.withSeed(seed);
  }
}
