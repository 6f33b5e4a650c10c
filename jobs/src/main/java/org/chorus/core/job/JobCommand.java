package org.chorus.core.job;

import java.util.concurrent.Callable;
import org.chorus.core.config.ChorusConfig;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The command of one job: its flags become the job's {@link JobOptions} (defaults from the capability's config
 * section), which are validated before Spark starts; then {@link JobRunner} runs the job and the result is printed
 * as the human summary or, with {@code --output json}, as one JSON object.
 */
public abstract class JobCommand<O extends JobOptions, R extends JobResult> implements Callable<Integer> {
  @Spec
  protected CommandSpec spec;

  /** `chorus COMMAND --help` prints the command's options (picocli answers it before call() runs). */
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this command's options and exit")
  boolean help;

  protected abstract Job<O, R> job();

  /** The options from this command's flags, over the defaults of {@code config}. Needs no Spark. */
  protected abstract O options(ChorusConfig config);

  protected CommandEnvironment environment() {
    return (CommandEnvironment) spec.root().userObject();
  }

  @Override
  public Integer call() {
    CommandEnvironment env = environment();
    ChorusConfig config = env.config();
    O options = options(config);
    options.validate();
    Progress progress = Progress.to(env.json() ? env.err() : env.out());
    JobRun<R> run = JobRunner.run(job(), options, env.tables(), config, env.runId(), progress);
    if (env.json()) {
      env.out().println(run.json().toString());
    } else {
      run.print(env.out());
    }
    return 0;
  }
}
