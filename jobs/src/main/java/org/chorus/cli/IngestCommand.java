package org.chorus.cli;

import org.chorus.ingest.IngestReport;
import org.chorus.ingest.PolisIngest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus ingest ...}: files into input tables, bad records into input.quarantine. */
@Command(name = "ingest", description = "Load source files into input tables; bad rows go to input.quarantine.",
    subcommands = {IngestCommand.Polis.class})
final class IngestCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "missing ingest source: polis, comparisons, table or sortition");
  }

  @Command(name = "polis", description = "A Polis export directory (comments.csv, votes.csv, participants-votes.csv).")
  static final class Polis extends BaseCommand {
    @Option(names = "--input", required = true, paramLabel = "DIR", description = "export directory")
    String input;

    @Option(names = "--conversation", required = true, paramLabel = "ID", description = "conversation id to store it under")
    String conversation;

    @Override
    public Integer call() {
      IngestReport report = PolisIngest.run(tables(), config(), input, conversation);
      report.print(out());
      return 0;
    }
  }
}
