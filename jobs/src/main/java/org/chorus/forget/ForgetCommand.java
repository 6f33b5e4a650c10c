package org.chorus.forget;

import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus forget}: consent withdrawal across every table. */
@Command(name = "forget", description = "Withdraw a participant's consent: delete their rows from every table.")
public final class ForgetCommand extends JobCommand<ForgetJob.Options, ForgetJob.Result> {
  @Option(names = "--participant", required = true, paramLabel = "ID")
  String participant;

  @Option(names = "--scope", paramLabel = "ID", description = "only this conversation, dataset or pool")
  String scope;

  @Option(names = "--expire", description = "expire older snapshots so deleted rows leave the data files")
  boolean expire;

  @Override
  protected Job<ForgetJob.Options, ForgetJob.Result> job() {
    return new ForgetJob();
  }

  @Override
  protected ForgetJob.Options options(ChorusConfig config) {
    return new ForgetJob.Options(participant, scope, expire);
  }
}
