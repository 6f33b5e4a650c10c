package org.chorus.cli;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.chorus.core.ChorusException;
import org.apache.iceberg.spark.CommitMetadata;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chorus forget}: consent withdrawal. Deletes the participant's rows from every table that holds a participant
 * column (row-level Iceberg DELETE), and removes their authorship from statements others voted on. With
 * {@code --expire}, old snapshots are expired so the deleted rows are gone from the files too.
 */
@Command(name = "forget", description = "Withdraw a participant's consent: delete their rows from every table.")
final class ForgetCommand extends BaseCommand {
  static final List<String> PERSON_COLUMNS = List.of("participant_id", "rater_id", "person_id");

  @Option(names = "--participant", required = true, paramLabel = "ID")
  String participant;

  @Option(names = "--scope", paramLabel = "ID", description = "only this conversation, dataset or pool")
  String scope;

  @Option(names = "--expire", description = "expire older snapshots so deleted rows leave the data files")
  boolean expire;

  @Override
  public Integer call() {
    ChorusException.checkUsage(!participant.isBlank(), "--participant must not be empty");
    ChorusTables tables = tables();
    SparkSession spark = tables.spark();
    String id = sqlString(participant);
    RunContext run = new RunContext("forget", scope);
    long total = 0;
    List<String> touched = new ArrayList<>();
    for (String table : tables.list()) {
      List<String> columns = List.of(spark.table(table).columns());
      String scopeFilter = scopeFilter(columns);
      for (String c : PERSON_COLUMNS) {
        if (!columns.contains(c)) {
          continue;
        }
        String where = "`" + c + "` = " + id + scopeFilter;
        long n = spark.sql("SELECT count(*) FROM " + table + " WHERE " + where).first().getLong(0);
        if (n > 0) {
          commit(run, () -> spark.sql("DELETE FROM " + table + " WHERE " + where));
          out().printf("  %-32s %,d rows deleted%n", table, n);
          total += n;
          touched.add(table);
        }
      }
      if (columns.contains("author_id")) {
        String where = "author_id = " + id + scopeFilter;
        long n = spark.sql("SELECT count(*) FROM " + table + " WHERE " + where).first().getLong(0);
        if (n > 0) {
          commit(run, () -> spark.sql("UPDATE " + table + " SET author_id = NULL WHERE " + where));
          out().printf("  %-32s %,d statements kept, author removed%n", table, n);
          touched.add(table);
        }
      }
    }
    if (expire) {
      for (String table : touched.stream().distinct().toList()) {
        spark.sql("CALL " + spark.conf().get("spark.sql.defaultCatalog") + ".system.expire_snapshots(table => '"
            + table + "', older_than => current_timestamp(), retain_last => 1)");
      }
    }
    out().printf("forget %s: %,d rows deleted in %d tables%s%n", participant, total, touched.stream().distinct().count(),
        expire ? "; older snapshots expired" : " (older snapshots still hold them: use --expire to remove)");
    return 0;
  }

  /** Runs a row-level SQL statement with the run's lineage in the commit's snapshot summary. */
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

  private String scopeFilter(List<String> columns) {
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

  static String sqlString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
