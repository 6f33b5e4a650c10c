package org.chorus.cli;

import org.chorus.policy.Diff;
import org.chorus.policy.Policy;
import org.chorus.policy.PolicyJob;
import org.chorus.policy.PolicyRule;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus policy}: consensus statements of a conversation into a versioned policy document. */
@Command(name = "policy", description = "Compile a conversation's consensus statements into a versioned policy "
    + "(policy.json, policy.md, derived.policy_rules).")
final class PolicyCommand extends BaseCommand {
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
  public Integer call() {
    PolicyJob.Result r = PolicyJob.run(tables(), new PolicyJob.Options(conversation,
        PolicyRule.parse(rule), threshold, out, previous, mergeSimilar));
    Policy p = r.policy();
    out().printf("policy %s, rule %s%s, version %d: %d rules from %d accepted statements (groups %s)%n",
        p.conversationId(), p.rule(), p.threshold() == null ? "" : " > " + p.threshold(), p.version(),
        p.rules().size(), p.candidates(), p.groups());
    int shown = Math.min(5, p.rules().size());
    for (int i = 0; i < shown; i++) {
      Policy.Entry e = p.rules().get(i);
      double lowest = e.minGroupSupport();
      out().printf("  %-8s support %5.1f%%  lowest group %s  statements %s%n", e.ruleId(), 100 * e.support(),
          Double.isNaN(lowest) ? "  -  " : String.format("%5.1f%%", 100 * lowest), e.statementIds());
    }
    if (p.rules().size() > shown) {
      out().printf("  ... %d more in policy.md%n", p.rules().size() - shown);
    }
    Diff d = r.diff();
    if (d != null) {
      out().printf("  since version %d (%s): %d added, %d removed, %d changed%n", d.previousVersion(), r.previousDir(),
          d.added().size(), d.removed().size(), d.changed().size());
    }
    out().println("  " + r.write());
    out().println("  wrote " + r.outDir() + "/policy.json and policy.md");
    return 0;
  }
}
