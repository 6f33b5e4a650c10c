package org.chorus.core.job;

/**
 * One capability's job. Every job has the same shape: validated {@link JobOptions} (no SparkSession needed to
 * validate them) go into {@link #run}, which reads its tables first, then applies named transforms, then writes,
 * and returns a typed {@link JobResult}. The CLI, the demo and the benchmarks all call a job this way, through
 * {@link JobRunner}, which adds the run id, the run log and the no-op rerun.
 *
 * @param <O> the job's options
 * @param <R> the job's result
 */
public interface Job<O extends JobOptions, R extends JobResult> {
  /** The job's name, as the command line spells it ({@code opinions}, {@code ingest polis}); chorus.job in commits. */
  String name();

  /** Runs the job on validated options; reads through {@code context} so lineage is recorded. */
  R run(JobContext context, O options);
}
