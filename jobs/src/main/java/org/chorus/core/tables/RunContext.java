package org.chorus.core.tables;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One run of one job: its name, a run id, and what it read (table snapshots and source files). Every commit the
 * run makes records these in the snapshot summary, so any table row traces back to its inputs.
 */
public final class RunContext {
  private final String job;
  private final String runId;
  private final String scope;
  private final Instant startedAt = Instant.now();
  private final Map<String, Long> reads = new LinkedHashMap<>();
  private final List<String> sources = new ArrayList<>();
  private final Map<String, String> parameters = new LinkedHashMap<>();
  private final List<StagedWrite> staged = new ArrayList<>();
  private boolean staging;
  private boolean complete;

  public RunContext(String job, String scope) {
    this(job, scope, null);
  }

  /**
   * @param runId the scheduler's id for this run (Airflow's run_id, a cron timestamp), recorded in every commit; null
   *     for a fresh random id
   */
  public RunContext(String job, String scope, String runId) {
    this.job = job;
    this.scope = scope;
    this.runId = runId != null ? runId : UUID.randomUUID().toString();
  }

  public String job() {
    return job;
  }

  public String runId() {
    return runId;
  }

  public String scope() {
    return scope;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /**
   * From now on this run's table writes are staged (written, committed as snapshots that are not current) instead of
   * committed, and {@link Publisher} makes them current together when the job is done. Jobs run by {@code JobRunner}
   * stage; a bare context (a test's set-up rows) commits each write at once.
   */
  public synchronized RunContext staged() {
    staging = true;
    return this;
  }

  public synchronized boolean staging() {
    return staging;
  }

  synchronized void addStaged(StagedWrite write) {
    for (StagedWrite w : staged) {
      if (w.table().equals(write.table()) && w.where().equals(write.where())) {
        throw new IllegalStateException("run " + runId + " writes " + write.table() + " where " + write.where()
            + " twice");
      }
    }
    staged.add(write);
  }

  /** The writes staged so far, in the order the job made them. */
  public synchronized List<StagedWrite> stagedWrites() {
    return List.copyOf(staged);
  }

  /** Every staged write is published: the run's next commit (its run-log row) marks it complete. */
  synchronized void markComplete() {
    complete = true;
  }

  public synchronized void recordRead(String table, long snapshotId) {
    reads.put(table, snapshotId);
  }

  public synchronized void recordSource(String path) {
    sources.add(path);
  }

  /** A parameter of the run (method, seed, ...), committed as chorus.param.NAME. */
  public synchronized void recordParameter(String name, String value) {
    parameters.put(name, value);
  }

  public synchronized Map<String, Long> reads() {
    return Map.copyOf(reads);
  }

  /** The source files and directories the run read, in the order it read them. */
  public synchronized List<String> sources() {
    return List.copyOf(sources);
  }

  /** Snapshot summary properties ({@code snapshot-property.*} write options carry them into the commit). */
  public synchronized Map<String, String> commitProperties() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("chorus.job", job);
    p.put("chorus.run-id", runId);
    if (scope != null) {
      p.put("chorus.scope", scope);
    }
    if (!reads.isEmpty()) {
      StringBuilder sb = new StringBuilder();
      reads.forEach((t, s) -> sb.append(sb.length() == 0 ? "" : ",").append(t).append('@').append(s));
      p.put("chorus.reads", sb.toString());
    }
    if (!sources.isEmpty()) {
      p.put("chorus.sources", String.join(",", sources));
    }
    parameters.forEach((k, v) -> p.put("chorus.param." + k, v));
    if (complete) {
      p.put(Publisher.STATE, Publisher.COMPLETE);
    }
    return p;
  }
}
