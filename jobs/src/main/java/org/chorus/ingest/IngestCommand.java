package org.chorus.ingest;

import java.util.ArrayList;
import java.util.List;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code chorus ingest ...}: files into input tables, bad records into input.quarantine. */
@Command(name = "ingest", description = "Load source files into input tables; bad rows go to input.quarantine.",
    subcommands = {IngestCommand.Polis.class, IngestCommand.Comparisons.class, IngestCommand.Table.class,
        IngestCommand.Sortition.class})
public final class IngestCommand implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing ingest source: polis, comparisons, table or sortition");
  }

  @Command(name = "polis", description = "A Polis export directory (comments.csv, votes.csv, participants-votes.csv).")
  static final class Polis extends JobCommand<PolisIngest.Options, IngestReport> {
    @Option(names = "--input", required = true, paramLabel = "DIR", description = "export directory")
    String input;

    @Option(names = "--conversation", required = true, paramLabel = "ID", description = "conversation id to store it under")
    String conversation;

    @Override
    protected Job<PolisIngest.Options, IngestReport> job() {
      return new PolisIngest();
    }

    @Override
    protected PolisIngest.Options options(ChorusConfig config) {
      return new PolisIngest.Options(input, conversation);
    }
  }

  @Command(name = "comparisons", description = "Preference pairs from JSONL (.gz ok): trl, hidden-context or generic.")
  static final class Comparisons extends JobCommand<ComparisonsIngest.Options, IngestReport> {
    @Option(names = "--input", required = true, paramLabel = "FILE", description = "file, directory or glob")
    String input;

    @Option(names = "--format", required = true, description = "trl | hidden-context | generic")
    String format;

    @Option(names = "--dataset", required = true, paramLabel = "ID")
    String dataset;

    @Option(names = "--original-labels",
        description = "hidden-context: also keep original_label (the HH-RLHF label, given under the data_subset "
            + "objective) as a second comparison, so both objectives label the pair")
    boolean originalLabels;

    @Override
    protected Job<ComparisonsIngest.Options, IngestReport> job() {
      return new ComparisonsIngest();
    }

    @Override
    protected ComparisonsIngest.Options options(ChorusConfig config) {
      return new ComparisonsIngest.Options(input, format, dataset, originalLabels);
    }
  }

  @Command(name = "table", description = "Any input table from JSONL, CSV or Parquet, by its schema.")
  static final class Table extends JobCommand<TableIngest.Options, IngestReport> {
    @Option(names = "--table", required = true, paramLabel = "NAME", description = "e.g. participants, prompts, ratings")
    String table;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "file, directory or glob")
    String input;

    @Option(names = "--format", description = "jsonl | csv | parquet (default: from the file name)")
    String format;

    @Option(names = {"--dataset", "--scope"}, paramLabel = "ID",
        description = "the id (dataset, conversation or pool) the rows belong to; replaces that id's rows")
    String dataset;

    @Override
    protected Job<TableIngest.Options, IngestReport> job() {
      return new TableIngest();
    }

    @Override
    protected TableIngest.Options options(ChorusConfig config) {
      return TableIngest.Options.of(table, input).withFormat(format).withScope(dataset);
    }
  }

  @Command(name = "sortition", description = "A volunteer pool and its quotas (both layouts of the sortition tools).")
  static final class Sortition extends JobCommand<SortitionIngest.Options, IngestReport> {
    @Option(names = "--respondents", required = true, paramLabel = "CSV")
    String respondents;

    @Option(names = "--categories", required = true, paramLabel = "CSV",
        description = "quotas: category,feature,min,max or feature,value,min,max,min_flex,max_flex")
    String categories;

    @Option(names = "--pool", required = true, paramLabel = "ID")
    String pool;

    @Option(names = "--id-column", paramLabel = "NAME",
        description = "person id column (default: a column named id or ending in _id, else the 0-based row number)")
    String idColumn;

    @Option(names = "--keep-columns", split = ",", paramLabel = "COL",
        description = "extra respondent columns to keep as attributes (default: quota categories only)")
    List<String> keepColumns = new ArrayList<>();

    @Override
    protected Job<SortitionIngest.Options, IngestReport> job() {
      return new SortitionIngest();
    }

    @Override
    protected SortitionIngest.Options options(ChorusConfig config) {
      return SortitionIngest.Options.of(respondents, categories, pool).withIdColumn(idColumn)
          .withKeepColumns(keepColumns);
    }
  }
}
