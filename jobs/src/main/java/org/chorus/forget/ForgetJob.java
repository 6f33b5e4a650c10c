package org.chorus.forget;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.CommitMetadata;
import org.apache.iceberg.spark.actions.SparkActions;
import org.apache.spark.sql.SparkSession;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.WriteResult;

/**
 * {@code chorus forget}: consent withdrawal. Deletes the participant's rows from every table that holds a participant
 * column (row-level Iceberg DELETE), and removes their authorship from statements others voted on. With
 * {@code --expire}, old snapshots are expired so the deleted rows are gone from the files too. The options name a
 * person, so the run log keeps no copy of them.
 */
public final class ForgetJob implements Job<ForgetJob.Options, ForgetJob.Result> {
  static final List<String> PERSON_COLUMNS = ChorusTables.PERSON_COLUMNS;

  /** @param scope null: every conversation, dataset and pool */
  public record Options(String participant, String scope, boolean expire) implements JobOptions {
    @Override
    public List<String> problems() {
      return new Checks().id(participant, "--participant")
          .require(scope == null || !scope.isBlank(), "--scope must not be empty").problems();
    }

    @Override
    public boolean personal() {
      return true;
    }

    @Override
    public String describe() {
      return "Options[participant=(withheld), scope=" + scope + ", expire=" + expire + "]";
    }
  }

  /** Rows deleted (or, for statements, authorship removed) per table, and the commits that did it. */
  public record Result(Map<String, Long> deleted, Map<String, Long> authorshipRemoved, boolean expired,
      List<WriteResult> writes) implements JobResult {
    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("rows_deleted", deleted.values().stream().mapToLong(Long::longValue).sum());
      f.put("deleted", deleted);
      f.put("authorship_removed", authorshipRemoved);
      f.put("snapshots_expired", expired);
      return f;
    }

    @Override
    public void print(PrintStream out) {
      deleted.forEach((t, n) -> out.printf("  %-32s %,d rows deleted%n", t, n));
      authorshipRemoved.forEach((t, n) -> out.printf("  %-32s %,d statements kept, author removed%n", t, n));
      long total = deleted.values().stream().mapToLong(Long::longValue).sum();
      long touched = writes.stream().map(WriteResult::table).distinct().count();
      out.printf("forget: %,d rows deleted in %d tables%s%n", total, touched, expired
          ? "; older snapshots expired" : " (older snapshots still hold them: use --expire to remove)");
    }
  }

  @Override
  public String name() {
    return "forget";
  }

  @Override
  public Result run(JobContext job, Options o) {
    ChorusTables tables = job.tables();
    SparkSession spark = tables.spark();
    String id = sqlString(o.participant());
    Map<String, Long> deleted = new LinkedHashMap<>();
    Map<String, Long> authorship = new LinkedHashMap<>();
    List<WriteResult> writes = new ArrayList<>();
    for (String table : tables.list()) {
      List<String> columns = List.of(spark.table(table).columns());
      String scopeFilter = scopeFilter(columns, o.scope());
      for (String c : PERSON_COLUMNS) {
        if (columns.contains(c)) {
          long n = change(job, table, "DELETE FROM " + table, "`" + c + "` = " + id + scopeFilter, writes);
          deleted.merge(table, n, Long::sum);
        }
      }
      if (columns.contains("raw")) {
        // quarantined records keep the raw text of a row that failed to parse: any that names the person as a
        // whole field goes (it may be another person's bad row mentioning the same number: consent wins)
        long n = change(job, table, "DELETE FROM " + table, "raw RLIKE " + sqlString(wholeField(o.participant()))
            + scopeFilter, writes);
        deleted.merge(table, n, Long::sum);
      }
      if (columns.contains("author_id")) {
        long n = change(job, table, "UPDATE " + table + " SET author_id = NULL", "author_id = " + id + scopeFilter,
            writes);
        authorship.merge(table, n, Long::sum);
      }
    }
    deleted.values().removeIf(n -> n == 0);
    authorship.values().removeIf(n -> n == 0);
    if (o.expire()) {
      long now = System.currentTimeMillis();
      for (String table : tables.list()) {
        // every table, not only those with deletions now: an earlier forget without --expire, or a run killed
        // while writing, may have left the person in an older snapshot's or an orphan file. Expiring and rewriting
        // manifests are Iceberg's core operations, on the driver: a few metadata files per table, no Spark job.
        Table t = tables.load(table); // each operation commits through it, so it stays current between them
        if (t.currentSnapshot() == null) {
          continue;
        }
        t.expireSnapshots().expireOlderThan(now).retainLast(1).commit();
        // manifests keep entries (and bounds) of deleted files until rewritten
        t.rewriteManifests().clusterBy(f -> "all").commit();
        t.expireSnapshots().expireOlderThan(System.currentTimeMillis()).retainLast(1).commit();
        SparkActions.get(spark).deleteOrphanFiles(t).olderThan(now).execute();
      }
    }
    return new Result(deleted, authorship, o.expire(), writes);
  }

  /** Runs {@code statement WHERE where} when it matches rows, with the run's lineage in the commit. */
  private static long change(JobContext job, String table, String statement, String where, List<WriteResult> writes) {
    SparkSession spark = job.spark();
    long n = spark.sql("SELECT count(*) FROM " + table + " WHERE " + where).first().getLong(0);
    if (n > 0) {
      commit(job.run(), () -> spark.sql(statement + " WHERE " + where));
      writes.add(job.tables().lastCommit(table));
    }
    return n;
  }

  private static void commit(RunContext run, Runnable statement) {
    try {
      CommitMetadata.withCommitProperties(run.commitProperties(), () -> {
        statement.run();
        return null;
      }, RuntimeException.class);
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String scopeFilter(List<String> columns, String scope) {
    if (scope == null) {
      return "";
    }
    for (String c : List.of("conversation_id", "dataset_id", "pool_id", "population_id", "scope")) {
      if (columns.contains(c)) {
        return " AND `" + c + "` = " + sqlString(scope);
      }
    }
    return " AND false";
  }

  /** A regular expression matching {@code id} as a whole field of a raw CSV or JSON line. */
  static String wholeField(String id) {
    StringBuilder lit = new StringBuilder();
    for (char c : id.toCharArray()) {
      lit.append(Character.isLetterOrDigit(c) ? "" : "\\").append(c);
    }
    return "(^|[^0-9A-Za-z_.@-])" + lit + "([^0-9A-Za-z_.@-]|$)";
  }

  static String sqlString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
