package org.chorus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.chorus.SparkTestBase;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.spark.SparkSessions;
import org.chorus.core.tables.ChorusTables;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Concurrent writers, as two processes on one warehouse (a JDBC catalog on PostgreSQL: each commit is a
 * compare-and-swap on the catalog row). Two ingests of different conversations at once both land, whole; two ingests
 * of the same conversation at once end with one complete version, never a mix of the two.
 */
class ConcurrentWritersIT {
  @TempDir
  Path tmp;

  @Test
  void twoProcessesWritingTheSameTablesAtOnce() throws Exception {
    String url = SparkTestBase.testJdbcUrl();
    String catalog = "cw_" + Long.toHexString(System.currentTimeMillis());
    List<String> settings = List.of("catalog.type=jdbc", "catalog.uri=" + url, "catalog.user=postgres",
        "catalog.name=" + catalog);
    String warehouse = tmp.resolve("warehouse").toString();
    Path polis = SparkTestBase.sharedData().resolve("polis");
    Path a = polis.resolve("brexit-consensus");
    Path b = polis.resolve("london.youth.policing");
    Path log = tmp.resolve("chain.log");

    // different conversations at once: both succeed, both whole
    Process p1 = CommandChain.start(log, warehouse, settings, List.of(List.of("ingest", "polis", "--input", a.toString(),
        "--conversation", "one")));
    Process p2 = CommandChain.start(log, warehouse, settings, List.of(List.of("ingest", "polis", "--input", b.toString(),
        "--conversation", "two")));
    assertThat(p1.waitFor(5, TimeUnit.MINUTES) && p2.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(p1.exitValue()).as(CommandChain.tail(log)).isZero();
    assertThat(p2.exitValue()).as(CommandChain.tail(log)).isZero();

    // the same conversation at once, from two exports: one complete version stands
    Process p3 = CommandChain.start(log, warehouse, settings, List.of(List.of("ingest", "polis", "--input", a.toString(),
        "--conversation", "same")));
    Process p4 = CommandChain.start(log, warehouse, settings, List.of(List.of("ingest", "polis", "--input", b.toString(),
        "--conversation", "same")));
    assertThat(p3.waitFor(5, TimeUnit.MINUTES) && p4.waitFor(5, TimeUnit.MINUTES)).isTrue();
    assertThat(List.of(p3.exitValue(), p4.exitValue())).as(Files.readString(log)).contains(0).allMatch(c -> c == 0 || c == 1);

    ChorusConfig config = ChorusConfig.load(List.of(), settings, new ChorusConfig.Overrides(warehouse, "local[2]"));
    SparkSession spark = SparkSessions.create(config, true);
    try {
      ChorusTables tables = new ChorusTables(spark);
      tables.publisher().recover();
      for (String[] c : List.of(new String[] {"one", a.toString()}, new String[] {"two", b.toString()})) {
        long votes = spark.sql("SELECT count(*) FROM input.votes WHERE conversation_id = '" + c[0] + "'").first()
            .getLong(0);
        assertThat(votes).as(c[0]).isPositive();
      }
      long one = spark.sql("SELECT count(*) FROM input.statements WHERE conversation_id = 'one'").first().getLong(0);
      long two = spark.sql("SELECT count(*) FROM input.statements WHERE conversation_id = 'two'").first().getLong(0);
      long sameStatements = spark.sql("SELECT count(*) FROM input.statements WHERE conversation_id = 'same'").first()
          .getLong(0);
      long sameVotes = spark.sql("SELECT count(*) FROM input.votes WHERE conversation_id = 'same'").first().getLong(0);
      long oneVotes = spark.sql("SELECT count(*) FROM input.votes WHERE conversation_id = 'one'").first().getLong(0);
      long twoVotes = spark.sql("SELECT count(*) FROM input.votes WHERE conversation_id = 'two'").first().getLong(0);
      // one export's statements with the same export's votes, never one export's statements with the other's votes
      assertThat(List.of(sameStatements, sameVotes)).isIn(List.of(one, oneVotes), List.of(two, twoVotes));
    } finally {
      spark.stop();
    }
  }
}
