package org.chorus.policy;

import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus policy}: consensus statements of a conversation into a versioned policy document. */
@Command(name = "policy", description = "Compile a conversation's consensus statements into a versioned policy "
    + "(policy.json, policy.md, derived.policy_rules).")
public final class PolicyCommand extends JobCommand<PolicyJob.Options, PolicyJob.Result> {
  @Option(names = "--conversation", required = true, paramLabel = "ID",
      description = "conversation with derived.statement_stats (run chorus opinions first)")
  String conversation;

  @Option(names = "--rule", defaultValue = "both-groups", paramLabel = "RULE",
      description = "gic (group-informed consensus >= T), both-groups (agree share > T in every opinion group) or "
          + "bridging (Community Notes status helpful) (default: ${DEFAULT-VALUE})")
  String rule;

  @Option(names = "--threshold", paramLabel = "T",
      description = "the rule's threshold (default: gic 0.5, both-groups 0.7; bridging takes none)")
  Double threshold;

  @Option(names = "--out", paramLabel = "DIR",
      description = "where policy.json and policy.md go (default: <warehouse>/policies/<conversation>/<rule>@<T>/v<N>,"
          + " the next version)")
  String out;

  @Option(names = "--previous", paramLabel = "DIR",
      description = "a previous policy directory to diff against (default: the previous version in the default "
          + "location)")
  String previous;

  @Option(names = "--merge-similar", arity = "0..1", fallbackValue = "0.6", paramLabel = "J",
      description = "merge near-duplicate statements into one rule: content-word Jaccard similarity >= J "
          + "(default when given without a value: ${FALLBACK-VALUE})")
  Double mergeSimilar;

  @Override
  protected Job<PolicyJob.Options, PolicyJob.Result> job() {
    return new PolicyJob();
  }

  @Override
  protected PolicyJob.Options options(ChorusConfig config) {
    return PolicyJob.Options.of(conversation, PolicyRule.parse(rule)).withThreshold(threshold).withOut(out)
        .withPrevious(previous).withMergeSimilar(mergeSimilar);
  }
}
