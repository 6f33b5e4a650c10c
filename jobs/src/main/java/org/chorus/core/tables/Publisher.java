package org.chorus.core.tables;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.util.SnapshotUtil;
import org.chorus.core.ChorusException;
import org.chorus.core.spark.FaultInjection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes a run's staged writes as one unit, and finishes the publishing of a run that was killed half-way.
 *
 * <p>Iceberg commits one table at a time; a job that writes votes, statements and quarantine must not leave a
 * reader with the new statements beside the old votes. So a run stages every write first ({@link StagedWrite}: data
 * files and a snapshot that is not current), and only when the job is done:
 * <ol>
 *   <li>checks that no other run has written the same rows of any of its tables since it staged them (else it fails
 *       with nothing published);</li>
 *   <li>commits an <em>intent</em> to the run log table ({@code derived.job_runs}): an empty commit whose summary
 *       lists every table and staged snapshot of the run;</li>
 *   <li>publishes each staged write as a commit on the table's main line: the rows of the write's condition are
 *       replaced by the staged files on whatever the table holds by then (so runs writing other ids in between are
 *       kept), validated against conflicting writes to the same rows since staging;</li>
 *   <li>marks the run complete (its run-log row, or an empty marker commit).</li>
 * </ol>
 * Jobs read through this: a table whose current snapshot was published by a run that is not complete is read only
 * after that run completes; a run whose intent is older than the lease and still not complete is taken to be dead,
 * and the reader (or the next job to start) completes its publishing from the intent. Publishing is idempotent:
 * a staged snapshot already published (a commit carrying {@link #FROM}) is not published again.
 */
public final class Publisher {
  private static final Logger LOG = LoggerFactory.getLogger(Publisher.class);
  /** Snapshot summary key of run-log marker commits: {@link #INTENT}, {@link #COMPLETE} or {@link #ABANDONED}. */
  public static final String STATE = "chorus.publish";
  public static final String INTENT = "intent";
  public static final String COMPLETE = "complete";
  public static final String ABANDONED = "abandoned";
  /** In an intent: {@code table@stagedSnapshot;...}. */
  public static final String TABLES = "chorus.publish.tables";
  /** In a publishing commit: the staged snapshot it published. */
  public static final String FROM = "chorus.published-from";
  /** In a staged snapshot: the write's condition ({@link Where#encode}). */
  public static final String WHERE = "chorus.where";
  /** How long a run may take from its intent to its completion before others take it to be dead. */
  public static final String LEASE_PROPERTY = "chorus.publish.lease-seconds";
  private static final String RUN_ID = "chorus.run-id";
  /** The run log ({@code RunLog}), whose history holds the intents and completion marks. */
  public static final String RUN_LOG = "derived.job_runs";

  private final ChorusTables tables;
  private final Duration lease;
  private final Set<String> completed = new HashSet<>();
  private volatile boolean runLogReady;

  Publisher(ChorusTables tables) {
    this(tables, Duration.ofSeconds(Long.getLong(LEASE_PROPERTY, 60L)));
  }

  Publisher(ChorusTables tables, Duration lease) {
    this.tables = tables;
    this.lease = lease;
  }

  /**
   * Publishes every write the run staged, as described above. On return each {@link StagedWrite} knows the snapshot
   * it was published as, and the run's next commit (its run-log row) carries the completion mark.
   */
  public void publish(RunContext run) {
    List<StagedWrite> writes = run.stagedWrites();
    if (writes.isEmpty()) {
      run.markComplete();
      return;
    }
    for (StagedWrite w : writes) {
      String conflict = conflict(tables.load(w.table()), w);
      if (conflict != null) {
        throw new ChorusException(ChorusException.EXIT_FAILURE, String.format("%s run %s: %s; nothing of this run "
            + "was published, the other run's version stands (run again to replace it)", run.job(), run.runId(),
            conflict));
      }
    }
    intent(run);
    publishAll(run);
    run.markComplete();
    synchronized (completed) {
      completed.add(run.runId());
    }
    LOG.info("{} run {}: published {} staged writes", run.job(), run.runId(), writes.size());
  }

  /**
   * Publishes the run's writes in order. If one is rejected (another run wrote the same rows between this run's
   * check and this commit), the writes already published are rolled back and the run is marked abandoned, so the
   * tables never hold part of this run beside part of the other.
   */
  void publishAll(RunContext run) {
    List<StagedWrite> done = new ArrayList<>();
    for (StagedWrite w : run.stagedWrites()) {
      try {
        publishOne(run.runId(), w);
      } catch (ChorusException e) {
        rollBack(run.runId(), done);
        runLog().newFastAppend().set(STATE, ABANDONED).set(RUN_ID, run.runId()).commit();
        throw new ChorusException(ChorusException.EXIT_FAILURE, e.getMessage() + "; this run's other tables were "
            + "rolled back, the other run's version stands", e);
      }
      done.add(w);
      FaultInjection.afterPublish(done.size());
    }
  }

  /** Restores, for each published write (latest first), the rows its publishing commit replaced. */
  private void rollBack(String runId, List<StagedWrite> published) {
    for (int i = published.size() - 1; i >= 0; i--) {
      StagedWrite w = published.get(i);
      Table t = tables.load(w.table());
      Snapshot commit = t.snapshot(w.published().snapshotId());
      OverwriteFiles op = t.newOverwrite().overwriteByRowFilter(w.where().expression())
          .conflictDetectionFilter(w.where().expression()).validateFromSnapshot(commit.snapshotId())
          .validateNoConflictingData().validateNoConflictingDeletes();
      if (commit.parentId() != null) {
        try (org.apache.iceberg.io.CloseableIterable<org.apache.iceberg.FileScanTask> tasks = t.newScan()
            .useSnapshot(commit.parentId()).filter(w.where().expression()).planFiles()) {
          for (org.apache.iceberg.FileScanTask task : tasks) {
            op.addFile(task.file());
          }
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }
      op.set(RUN_ID, runId).set("chorus.job", "rollback").set("chorus.rolled-back", String.valueOf(commit
          .snapshotId()));
      try {
        op.commit();
        LOG.warn("run {}: rolled back its commit {} of {} where {}", runId, commit.snapshotId(), w.table(), w.where());
      } catch (ValidationException e) {
        LOG.warn("run {}: its commit of {} where {} was already replaced by a later run; left as that run wrote it",
            runId, w.table(), w.where());
      }
    }
  }

  /** Commits the run's intent to the run log: from here on, a reader finishes the run if it dies. */
  void intent(RunContext run) {
    runLog().newFastAppend().set(STATE, INTENT).set(RUN_ID, run.runId()).set("chorus.job", run.job())
        .set(TABLES, encode(run.stagedWrites())).commit();
  }

  /** Marks a run complete without a run-log row (a run whose options name a person keeps no row). */
  public void complete(RunContext run) {
    if (!run.stagedWrites().isEmpty()) {
      runLog().newFastAppend().set(STATE, COMPLETE).set(RUN_ID, run.runId()).commit();
    }
  }

  /**
   * Waits for, or completes, runs whose publishing began and has not ended: a run younger than the lease may still
   * be publishing and is waited for; an older one is dead and its remaining writes are published here.
   *
   * @return the runs this call completed
   */
  public List<String> recover() {
    if (!tables.exists(RUN_LOG)) {
      return List.of();
    }
    List<String> recovered = new ArrayList<>();
    for (Map.Entry<String, Snapshot> open : openIntents(runLog()).entrySet()) {
      String runId = open.getKey();
      if (awaitClosed(runId, open.getValue())) {
        continue;
      }
      rollForward(runId, open.getValue());
      recovered.add(runId);
    }
    return recovered;
  }

  /**
   * Before a job reads {@code table}: if its current snapshot was published by a run that has not completed, waits
   * for that run or completes it, so the reader sees all of that run's tables or none of them.
   *
   * @return true when the table may have changed (read it again)
   */
  boolean settle(Snapshot current) {
    String runId = current.summary().get(RUN_ID);
    if (current.summary().get(FROM) == null || runId == null) {
      return false;
    }
    synchronized (completed) {
      if (completed.contains(runId)) {
        return false;
      }
    }
    Map<String, Snapshot> open = openIntents(runLog());
    if (!open.containsKey(runId)) {
      synchronized (completed) {
        completed.add(runId);
      }
      return false;
    }
    if (!awaitClosed(runId, open.get(runId))) {
      rollForward(runId, open.get(runId));
    }
    return true;
  }

  /** Intents in the run log's history with no completion (or abandonment) after them, oldest first. */
  private static Map<String, Snapshot> openIntents(Table log) {
    Map<String, Snapshot> intents = new LinkedHashMap<>();
    Set<String> closed = new HashSet<>();
    List<Snapshot> history = new ArrayList<>();
    log.snapshots().forEach(history::add);
    history.sort((a, b) -> Long.compare(a.sequenceNumber(), b.sequenceNumber()));
    for (Snapshot s : history) {
      String state = s.summary().get(STATE);
      String runId = s.summary().get(RUN_ID);
      if (state == null || runId == null) {
        continue;
      }
      if (INTENT.equals(state)) {
        intents.put(runId, s);
      } else {
        closed.add(runId);
      }
    }
    intents.keySet().removeAll(closed);
    return intents;
  }

  /** Waits while the run's intent is younger than the lease; true when the run closed meanwhile. */
  private boolean awaitClosed(String runId, Snapshot intent) {
    long deadline = intent.timestampMillis() + lease.toMillis();
    boolean logged = false;
    while (System.currentTimeMillis() < deadline) {
      if (!logged) {
        LOG.info("run {} is publishing; waiting up to {} s for it", runId,
            Math.max(0, (deadline - System.currentTimeMillis()) / 1000));
        logged = true;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for run " + runId, e);
      }
      if (!openIntents(runLog()).containsKey(runId)) {
        return true;
      }
    }
    return !openIntents(runLog()).containsKey(runId);
  }

  /** Publishes what a dead run left unpublished, from its intent, then closes it (rolled back on a conflict). */
  private void rollForward(String runId, Snapshot intent) {
    String job = intent.summary().get("chorus.job");
    List<StagedWrite> writes = new ArrayList<>();
    boolean abandoned = false;
    for (String entry : intent.summary().getOrDefault(TABLES, "").split(";")) {
      if (entry.isEmpty()) {
        continue;
      }
      int at = entry.lastIndexOf('@');
      String table = entry.substring(0, at);
      long stagedId = Long.parseLong(entry.substring(at + 1));
      Snapshot staged = tables.load(table).snapshot(stagedId);
      if (staged == null) {
        LOG.warn("run {} ({}): its staged snapshot {} of {} is gone (expired); not published", runId, job, stagedId,
            table);
        abandoned = true;
        continue;
      }
      writes.add(new StagedWrite(table, stagedId, staged.parentId(), Where.decode(staged.summary().get(WHERE))));
    }
    List<StagedWrite> published = new ArrayList<>();
    for (StagedWrite w : writes) {
      if (abandoned) {
        break;
      }
      try {
        publishOne(runId, w);
        published.add(w);
      } catch (ChorusException e) {
        LOG.warn("run {} ({}): {}", runId, job, e.getMessage());
        abandoned = true;
      }
    }
    if (abandoned) {
      for (StagedWrite w : writes) {
        if (w.published() != null && !published.contains(w)) {
          published.add(w);
        }
      }
      rollBack(runId, published);
    }
    runLog().newFastAppend().set(STATE, abandoned ? ABANDONED : COMPLETE).set(RUN_ID, runId)
        .set("chorus.recovered", "true").commit();
    synchronized (completed) {
      completed.add(runId);
    }
    LOG.warn("run {} ({}) had been killed while publishing: {}", runId, job, abandoned
        ? "rolled back (another run has written the same rows since)" : "its remaining writes are now published");
  }

  /** Commits one staged write on the table's main line, unless a commit already published it. */
  void publishOne(String runId, StagedWrite w) {
    Table t = tables.load(w.table());
    if (markIfPublished(t, w)) {
      return;
    }
    Snapshot staged = t.snapshot(w.snapshotId());
    if (staged.addedDeleteFiles(t.io()).iterator().hasNext()) {
      throw new IllegalStateException("staged write " + w + " has delete files; only whole-row overwrites publish");
    }
    OverwriteFiles op = t.newOverwrite().overwriteByRowFilter(w.where().expression())
        .conflictDetectionFilter(w.where().expression()).validateNoConflictingData().validateNoConflictingDeletes();
    if (w.parentId() != null) {
      op.validateFromSnapshot(w.parentId());
    }
    for (DataFile f : staged.addedDataFiles(t.io())) {
      op.addFile(f);
    }
    staged.summary().forEach((k, v) -> {
      if (k.startsWith("chorus.")) {
        op.set(k, v);
      }
    });
    op.set(FROM, String.valueOf(w.snapshotId()));
    try {
      op.commit();
    } catch (ValidationException e) {
      if (markIfPublished(tables.load(w.table()), w)) {
        return; // another process finishing this run published it first
      }
      throw new ChorusException(ChorusException.EXIT_FAILURE, String.format(
          "another run wrote %s where %s while run %s was publishing", w.table(), w.where(), runId), e);
    }
    markIfPublished(tables.load(w.table()), w);
  }

  /** True (and the write told its snapshot) when a commit on the table's main line published it. */
  private static boolean markIfPublished(Table t, StagedWrite w) {
    Snapshot current = t.currentSnapshot();
    if (current == null) {
      return false;
    }
    String from = String.valueOf(w.snapshotId());
    for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), t::snapshot)) {
      if (from.equals(s.summary().get(FROM))) {
        w.published(new StagedWrite.Published(s.snapshotId(), ChorusTables.num(s.summary(), "total-records")));
        return true;
      }
      if (w.parentId() != null && s.snapshotId() == w.parentId()) {
        return false; // nothing after the write's parent published it
      }
    }
    return false;
  }

  /** Why publishing {@code w} now would overwrite another run's write of the same rows, or null. */
  private static String conflict(Table t, StagedWrite w) {
    Snapshot current = t.currentSnapshot();
    if (current == null || (w.parentId() != null && current.snapshotId() == w.parentId())) {
      return null;
    }
    for (Snapshot s : SnapshotUtil.ancestorsOf(current.snapshotId(), t::snapshot)) {
      if (w.parentId() != null && s.snapshotId() == w.parentId()) {
        return null;
      }
      String where = s.summary().get(WHERE);
      String other = s.summary().get(RUN_ID);
      if (s.summary().get(FROM) != null && where != null && overlaps(Where.decode(where), w.where())) {
        return String.format("run %s (%s) published %s where %s after this run read it", other,
            s.summary().get("chorus.job"), w.table(), w.where());
      }
    }
    return null;
  }

  /** Whether two conditions can select a common row: every column both name shares a value. */
  static boolean overlaps(Where a, Where b) {
    for (Map.Entry<String, List<String>> e : a.terms().entrySet()) {
      List<String> other = b.terms().get(e.getKey());
      if (other != null && e.getValue().stream().noneMatch(other::contains)) {
        return false;
      }
    }
    return true;
  }

  /** The run log table, created (or evolved) once per publisher: it is polled while waiting for a live run. */
  private Table runLog() {
    if (!runLogReady) {
      tables.ensure(TableSchemas.spec(RUN_LOG));
      runLogReady = true;
    }
    return tables.load(RUN_LOG);
  }

  private static String encode(List<StagedWrite> writes) {
    StringBuilder sb = new StringBuilder();
    for (StagedWrite w : writes) {
      sb.append(sb.length() == 0 ? "" : ";").append(w.table()).append('@').append(w.snapshotId());
    }
    return sb.toString();
  }
}
