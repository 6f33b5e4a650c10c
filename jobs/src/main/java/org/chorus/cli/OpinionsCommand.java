package org.chorus.cli;

import java.util.Map;
import org.chorus.core.tables.WriteResult;
import org.chorus.opinions.OpinionsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus opinions}: groups, consensus, representativeness and bridging for one conversation. */
@Command(name = "opinions", description = "Map a conversation: opinion groups, consensus, repness, bridging, routing.")
final class OpinionsCommand extends BaseCommand {
  @Option(names = "--conversation", required = true, paramLabel = "ID")
  String conversation;

  @Option(names = "--groups", defaultValue = "computed",
      description = "computed (default) or export (Polis's own group-id from the export)")
  OpinionsJob.Groups groups;

  @Option(names = "--method", defaultValue = "latent",
      description = "how computed groups are found: latent (latent classes by EM, K by BIC; default) or polis "
          + "(Polis's k-means on the 2-D projection)")
  OpinionsJob.Method method;

  @Option(names = "--max-groups", defaultValue = "8", description = "largest number of groups considered (polis: 5)")
  int maxGroups;

  @Option(names = "--seed", defaultValue = "7")
  long seed;

  @Override
  public Integer call() {
    int max = method == OpinionsJob.Method.polis ? Math.min(5, maxGroups) : maxGroups;
    OpinionsJob.Result r = OpinionsJob.run(tables(), new OpinionsJob.Options(conversation, groups, method, max, seed),
        out());
    out().printf("opinions %s: %,d participants (%,d in conversation), %d statements%n", conversation,
        r.participants(), r.inConversation(), r.statements());
    StringBuilder sizes = new StringBuilder();
    for (Map.Entry<Integer, Long> e : r.groupSizes().entrySet()) {
      sizes.append(sizes.length() == 0 ? "" : ", ").append("group ").append(e.getKey()).append(": ")
          .append(String.format("%,d", e.getValue()));
    }
    out().printf("  groups (%s): %s%n", groups == OpinionsJob.Groups.export ? "from the export" : method, sizes);
    out().printf("  consensus (Polis, agree): %s%n", r.consensusAgree());
    out().printf("  bridging (helpful, by intercept): %s%n", r.topBridging());
    out().printf("  seconds: %s%n", r.seconds());
    for (WriteResult w : r.writes()) {
      out().println("  " + w);
    }
    return 0;
  }
}
