package org.chorus.opinions;

import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus opinions}: groups, consensus, representativeness and bridging for one conversation. */
@Command(name = "opinions", description = "Map a conversation: opinion groups, consensus, repness, bridging, routing.")
public final class OpinionsCommand extends JobCommand<OpinionsJob.Options, OpinionsJob.Result> {
  @Option(names = "--conversation", required = true, paramLabel = "ID")
  String conversation;

  @Option(names = "--groups", paramLabel = "G",
      description = "computed or export (Polis's own group-id from the export) (default: chorus.opinions.groups)")
  OpinionsJob.Groups groups;

  @Option(names = "--method", paramLabel = "M",
      description = "how computed groups are found: latent (latent classes by EM, K by BIC) or polis (Polis's k-means "
          + "on the 2-D projection) (default: chorus.opinions.method)")
  OpinionsJob.Method method;

  @Option(names = "--max-groups", paramLabel = "K",
      description = "largest number of groups considered, at least 2; polis caps it at 5 (default: "
          + "chorus.opinions.max-groups)")
  Integer maxGroups;

  @Option(names = "--seed", paramLabel = "S", description = "(default: chorus.opinions.seed)")
  Long seed;

  @Override
  protected Job<OpinionsJob.Options, OpinionsJob.Result> job() {
    return new OpinionsJob();
  }

  @Override
  protected OpinionsJob.Options options(ChorusConfig config) {
    OpinionsJob.Options o = OpinionsJob.Options.of(conversation, OpinionsConfig.from(config));
    o = groups == null ? o : o.withGroups(groups);
    o = method == null ? o : o.withMethod(method);
    o = maxGroups == null ? o : o.withMaxGroups(maxGroups);
    return seed == null ? o : o.withSeed(seed);
  }
}
