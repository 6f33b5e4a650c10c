package org.chorus.core.job;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.chorus.core.ChorusException;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.io.SourceStamps;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a job the one way the CLI, the demo and the benchmarks all do: validate the options, look the run id up in
 * the run log (a retry with unchanged options and inputs is a no-op), run the job with a fresh {@link RunContext},
 * then record the completed run in {@code derived.job_runs}.
 */
public final class JobRunner {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);

  private JobRunner() {}

  /**
   * @param runId the scheduler's run id, or null for a fresh random one (then no earlier run is looked up)
   */
  public static <O extends JobOptions, R extends JobResult> JobRun<R> run(Job<O, R> job, O options,
      ChorusTables tables, ChorusConfig config, String runId, Progress progress) {
    options.validate();
    for (String recovered : tables.publisher().recover()) {
      progress.step("completed the publishing of run %s, which had been killed half-way", recovered);
    }
    RunLog log = new RunLog(tables);
    Configuration hadoop = tables.spark().sparkContext().hadoopConfiguration();
    if (runId != null && !options.personal()) {
      Optional<RunLog.Entry> previous = log.latest(job.name(), runId);
      if (previous.isPresent()) {
        RunLog.Entry p = previous.get();
        ChorusException.checkUsage(p.options().equals(options.describe()),
            "run id '%s' already ran %s with other options (%s); give this run its own --run-id", runId,
            job.name(), p.options());
        Optional<String> changed = log.changedInput(p, hadoop);
        if (changed.isEmpty()) {
          LOG.info("{} run {}: unchanged options and inputs, nothing to do", job.name(), runId);
          return JobRun.noop(p);
        }
        progress.step("run id %s ran before, but %s: running again", runId, changed.get());
      }
    }
    RunContext run = new RunContext(job.name(), options.scope(), runId).staged();
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    LOG.info("{} run {} starting: {}", job.name(), run.runId(), options.personal() ? "(options name a person)"
        : options.describe());
    R result = job.run(new JobContext(tables, run, config, progress), options);
    tables.publisher().publish(run);
    double seconds = (System.nanoTime() - t0) / 1e9;
    JobRun<R> done = JobRun.ran(job.name(), run.runId(), options, seconds, result);
    if (!options.personal()) {
      Map<String, Long> writes = new LinkedHashMap<>();
      for (WriteResult w : result.writes()) {
        writes.put(w.table(), w.snapshotId());
      }
      log.append(run, new RunLog.Entry(job.name(), run.runId(), options.scope(), options.describe(), started,
          seconds, run.reads(), SourceStamps.of(run.sources(), hadoop), writes, done.json().toString()));
    } else {
      tables.publisher().complete(run);
    }
    LOG.info("{} run {} done in {} s", job.name(), run.runId(), String.format("%.1f", seconds));
    return done;
  }
}
