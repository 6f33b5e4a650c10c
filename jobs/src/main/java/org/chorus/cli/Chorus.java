package org.chorus.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.chorus.aggregate.AggregateCommand;
import org.chorus.core.ChorusException;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.CommandEnvironment;
import org.chorus.core.spark.SparkSessions;
import org.chorus.core.tables.ChorusTables;
import org.chorus.forget.ForgetCommand;
import org.chorus.ingest.IngestCommand;
import org.chorus.opinions.OpinionsCommand;
import org.chorus.panel.PanelCommand;
import org.chorus.policy.PolicyCommand;
import org.chorus.prompts.PromptsCommand;
import org.chorus.report.ReportCommand;
import org.chorus.reward.RewardCommand;
import org.chorus.reward.ScoreCommand;
import org.chorus.shards.ShardsCommand;
import org.chorus.synth.SynthCommand;
import org.chorus.weights.WeightsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * The one entry point: maps a command name to a job. Global options are inherited by every subcommand, so they may
 * stand before or after the command name. Config is loaded and validated before Spark starts.
 */
@Command(name = "chorus", mixinStandardHelpOptions = true, version = "chorus 0.1.0",
    description = "Collective alignment data on Spark and Iceberg.",
    subcommands = {DemoCommand.class, SynthCommand.class, IngestCommand.class, OpinionsCommand.class,
        WeightsCommand.class, PanelCommand.class, AggregateCommand.class, PolicyCommand.class, PromptsCommand.class,
        ReportCommand.class, RewardCommand.class, ScoreCommand.class, ShardsCommand.class, SqlCommand.class,
        TablesCommand.class, ForgetCommand.class})
public final class Chorus implements Runnable, CommandEnvironment {
  @Option(names = "--warehouse", scope = ScopeType.INHERIT, paramLabel = "PATH",
      description = "Iceberg warehouse (default ./warehouse, or chorus.warehouse in config)")
  String warehouse;

  @Option(names = "--master", scope = ScopeType.INHERIT, paramLabel = "URL",
      description = "Spark master (default local[*]; under spark-submit, spark-submit's)")
  String master;

  @Option(names = "--conf", scope = ScopeType.INHERIT, paramLabel = "FILE",
      description = "HOCON config file layered over conf/chorus.conf (repeatable)")
  List<Path> confFiles = new ArrayList<>();

  @Option(names = "--set", scope = ScopeType.INHERIT, paramLabel = "KEY=VALUE",
      description = "override one config key, e.g. --set spark.shuffle-partitions=4 (repeatable)")
  List<String> sets = new ArrayList<>();

  @Option(names = "--run-id", scope = ScopeType.INHERIT, paramLabel = "ID",
      description = "the scheduler's id for this run (Airflow's run_id, a cron timestamp): recorded in every commit "
          + "and in derived.job_runs; a rerun with the same id, options and inputs commits nothing")
  String runId;

  @Option(names = "--output", scope = ScopeType.INHERIT, paramLabel = "FORMAT",
      description = "text (default: the human summary) or json (one JSON object on stdout; progress on stderr)")
  String output = "text";

  PrintStream out = System.out;
  PrintStream err = System.err;
  private SparkSession injected;
  private SparkSession spark;
  private ChorusConfig config;

  @Override
  public void run() {
    new CommandLine(this).usage(out);
  }

  public static void main(String[] args) {
    if (System.getProperty("chorus.log.dir") == null) {
      String env = System.getenv("CHORUS_LOG_DIR");
      System.setProperty("chorus.log.dir", env != null ? env : "logs");
    }
    int code = execute(args, null, System.out, System.err);
    if (code != 0 || !SparkSessions.underSparkSubmit()) {
      // Under spark-submit a success returns normally: YARN's ApplicationMaster marks an application that calls
      // System.exit as failed, whatever the code. A failure exits with its code (2 usage, 3 input, 1 other).
      System.exit(code);
    }
  }

  /**
   * Runs one command line. With {@code session} non-null the command uses that SparkSession and leaves it running
   * (tests share one session per class); otherwise it starts one from the config and stops it at the end.
   */
  public static int execute(String[] args, SparkSession session, PrintStream out, PrintStream err) {
    Chorus root = new Chorus();
    root.out = out;
    root.err = err;
    root.injected = session;
    CommandLine cli = new CommandLine(root);
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    cli.setParameterExceptionHandler((ex, a) -> {
      err.println("chorus: " + ex.getMessage().replaceAll("\\s+", " ").trim()
          + " (see: chorus " + commandPath(ex.getCommandLine()) + " --help)");
      return ChorusException.EXIT_USAGE;
    });
    cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> Errors.report(ex, err));
    try {
      return cli.execute(args);
    } finally {
      root.close();
    }
  }

  private static String commandPath(CommandLine c) {
    String q = c.getCommandSpec().qualifiedName(" ");
    return q.startsWith("chorus ") ? q.substring(7) : "";
  }

  /** The validated config (loaded once per command line). */
  @Override
  public ChorusConfig config() {
    if (config == null) {
      config = ChorusConfig.load(confFiles, sets, new ChorusConfig.Overrides(warehouse, master));
      Logs.useDirectory(config.logDir);
    }
    return config;
  }

  SparkSession spark() {
    if (injected != null) {
      return injected;
    }
    if (spark == null) {
      ChorusConfig c = config();
      spark = SparkSessions.create(c, master != null);
    }
    return spark;
  }

  @Override
  public ChorusTables tables() {
    return new ChorusTables(spark());
  }

  @Override
  public PrintStream out() {
    return out;
  }

  @Override
  public PrintStream err() {
    return err;
  }

  @Override
  public String runId() {
    ChorusException.checkUsage(runId == null || runId.matches("[A-Za-z0-9][A-Za-z0-9._:+@=-]{0,199}"),
        "--run-id must be 1-200 letters, digits or ._:+@=- (starting with a letter or digit), got '%s'", runId);
    return runId;
  }

  @Override
  public boolean json() {
    ChorusException.checkUsage(output.equals("text") || output.equals("json"),
        "--output must be text or json, got '%s'", output);
    return output.equals("json");
  }

  private void close() {
    if (spark != null) {
      spark.stop();
      spark = null;
    }
  }
}
