package org.chorus.cli;

import java.io.PrintStream;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.job.JobRunner;
import org.chorus.core.job.Progress;
import org.chorus.core.tables.ChorusTables;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** What every command has: the root's config, session, tables and output streams. */
abstract class BaseCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** `chorus COMMAND --help` prints the command's options (picocli answers it before call() runs). */
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this command's options and exit")
  boolean help;

  Chorus root() {
    return (Chorus) spec.root().userObject();
  }

  ChorusConfig config() {
    return root().config();
  }

  SparkSession spark() {
    config(); // validate before Spark starts
    return root().spark();
  }

  ChorusTables tables() {
    config();
    return root().tables();
  }

  /** Runs a job the one way every caller does (validated options, run log), its progress to the log file. */
  <O extends JobOptions, R extends JobResult> R run(Job<O, R> job, O options) {
    return run(Progress.log(), job, options);
  }

  <O extends JobOptions, R extends JobResult> R run(Progress progress, Job<O, R> job, O options) {
    return JobRunner.run(job, options, tables(), config(), null, progress).result();
  }

  PrintStream out() {
    return root().out;
  }

  PrintStream err() {
    return root().err;
  }
}
