package org.chorus.cli;

import java.util.List;
import java.util.Map;
import org.chorus.prompts.Coverage;
import org.chorus.prompts.PromptsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus prompts}: duplicates, topics, coverage and boundary cases of a prompt corpus. */
@Command(name = "prompts", description = "Curate a prompt corpus: exact and near duplicates, topics, coverage of the "
    + "topics and of a policy's rules, boundary cases (derived.prompt_duplicates, prompt_clusters, coverage, "
    + "boundary_cases).")
final class PromptsCommand extends BaseCommand {
  @Option(names = "--dataset", required = true, paramLabel = "ID", description = "the prompts of input.prompts")
  String dataset;

  @Option(names = "--clusters", paramLabel = "K",
      description = "number of topics (default: chosen by silhouette in chorus.prompts.k-min..k-max)")
  Integer clusters;

  @Option(names = "--policy", paramLabel = "DIR",
      description = "a policy from chorus policy (its directory or policy.json): which topics exercise each rule")
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
  public Integer call() {
    var c = config().prompts;
    PromptsJob.Result r = PromptsJob.run(tables(), new PromptsJob.Options(dataset, clusters == null ? 0 : clusters,
        policy, firstTurn, groupModels, marginModel, seed != null ? seed : c.seed, c), msg -> out().println("  " + msg));
    out().printf("prompts %s: %,d prompts, %,d exact and %,d near duplicates removed, %,d kept (%.1f s)%n", dataset,
        r.prompts(), r.exactDuplicates(), r.nearDuplicates(), r.prompts() - r.exactDuplicates() - r.nearDuplicates(),
        r.seconds());
    if (!r.silhouettes().isEmpty()) {
      out().printf("  k = %d topics: the highest silhouette (cosine, on a sample) of k in %s%n", r.k(),
          r.silhouettes().keySet());
    }
    out().println("  topic  prompts  distinct  top terms / representative prompts");
    for (PromptsJob.Topic t : r.topics()) {
      out().printf("  %5d %8d %9d  %s%s%n", t.id(), t.prompts(), t.distinctPrompts(),
          t.id() < 0 ? "(no content words)" : String.join(", ", t.terms()), t.sparse() ? "  [sparse]" : "");
      if (!t.representatives().isEmpty()) {
        out().printf("                           %s%n", String.join(", ", t.representatives()));
      }
    }
    if (policy != null) {
      long unexercised = r.rules().stream().filter(x -> x.topics().isEmpty()).count();
      out().printf("  policy rules: %d, %d exercised by some topic, %d by none%n", r.rules().size(),
          r.rules().size() - unexercised, unexercised);
      for (PromptsJob.RuleCoverage rc : r.rules()) {
        out().printf("    %-8s %s%n", rc.ruleId(), rc.topics().isEmpty() ? "no prompt exercises it"
            : rc.topics().stream().limit(3).map(Coverage.RuleTopic::describe).reduce((a, b) -> a + "; " + b)
                .orElse(""));
      }
    }
    out().println("  boundary signals:");
    for (Map.Entry<String, String> s : r.signals().entrySet()) {
      out().printf("    %-22s %s%s%n", s.getKey(), s.getValue(),
          r.boundary().containsKey(s.getKey()) ? " -> " + r.boundary().get(s.getKey()) + " prompts" : "");
    }
    r.writes().forEach(w -> out().println("  " + w));
    return 0;
  }
}
