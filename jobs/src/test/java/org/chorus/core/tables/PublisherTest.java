package org.chorus.core.tables;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.iceberg.Snapshot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.SparkTestBase;
import org.chorus.core.ChorusException;
import org.junit.jupiter.api.Test;

/**
 * A run's tables change together: staged writes are invisible until published, a run killed between its first and
 * last publishing commit is finished before anyone reads it, and two runs writing the same rows end with one
 * complete version.
 */
class PublisherTest extends SparkTestBase {
  private static final TableSpec PROMPTS = TableSchemas.input("prompts");
  private static final TableSpec RESPONSES = TableSchemas.input("responses");

  private static Dataset<Row> prompts(String dataset, int n, String tag) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(dataset, "p" + i, tag + " " + i, "test"));
    }
    return spark.createDataFrame(rows, PROMPTS.schema());
  }

  private static Dataset<Row> responses(String dataset, int n, String tag) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(dataset, "p" + i, "r" + i, tag + " answer " + i, null));
    }
    return spark.createDataFrame(rows, RESPONSES.schema());
  }

  private static long rows(String table, String dataset, String tag) {
    return count("SELECT count(*) FROM " + table + " WHERE dataset_id = '" + dataset + "' AND text LIKE '" + tag
        + " %'");
  }

  /** A run that staged both tables of {@code dataset} with {@code n} rows tagged {@code tag}. */
  private static RunContext staged(String dataset, int n, String tag) {
    RunContext run = new RunContext("test", dataset).staged();
    tables.replace(run, PROMPTS, prompts(dataset, n, tag), List.of(dataset));
    tables.replace(run, RESPONSES, responses(dataset, n, tag), List.of(dataset));
    return run;
  }

  @Test
  void stagedWritesAreInvisibleUntilTheRunPublishesThemTogether() {
    tables.replace(new RunContext("test", "s"), PROMPTS, prompts("s", 2, "old"), List.of("s"));
    tables.replace(new RunContext("test", "s"), RESPONSES, responses("s", 2, "old"), List.of("s"));
    RunContext run = staged("s", 5, "new");
    assertThat(rows("input.prompts", "s", "old")).isEqualTo(2);
    assertThat(rows("input.responses", "s", "new")).isZero();
    assertThat(tables.readOwn(run, "input.prompts").filter("dataset_id = 's'").count()).isEqualTo(5);

    tables.publisher().publish(run);
    tables.publisher().complete(run);
    assertThat(rows("input.prompts", "s", "new")).isEqualTo(5);
    assertThat(rows("input.responses", "s", "new")).isEqualTo(5);
    assertThat(rows("input.prompts", "s", "old")).isZero();
    // each table's current snapshot is the publishing commit, carrying the run and the staged snapshot
    Snapshot current = tables.load("input.prompts").currentSnapshot();
    assertThat(current.summary()).containsEntry("chorus.run-id", run.runId())
        .containsEntry(Publisher.FROM, String.valueOf(run.stagedWrites().get(0).snapshotId()));
    assertThat(run.stagedWrites().get(0).published().snapshotId()).isEqualTo(current.snapshotId());
    // publishing is idempotent: the same run again changes nothing
    tables.publisher().publishOne(run.runId(), run.stagedWrites().get(0));
    assertThat(tables.load("input.prompts").currentSnapshot().snapshotId()).isEqualTo(current.snapshotId());
  }

  @Test
  void aRunKilledBetweenItsCommitsIsFinishedBeforeAnotherReadsIt() {
    tables.replace(new RunContext("test", "k"), PROMPTS, prompts("k", 2, "old"), List.of("k"));
    tables.replace(new RunContext("test", "k"), RESPONSES, responses("k", 2, "old"), List.of("k"));
    RunContext killed = staged("k", 4, "new");
    Publisher dying = tables.publisher();
    dying.intent(killed);
    dying.publishOne(killed.runId(), killed.stagedWrites().get(0)); // and then the process died
    assertThat(rows("input.prompts", "k", "new")).isEqualTo(4);
    assertThat(rows("input.responses", "k", "old")).isEqualTo(2); // half visible to a plain SQL reader

    // the next job (its lease over: the run is dead) finishes the run before it reads anything
    Publisher next = new Publisher(tables, Duration.ZERO);
    assertThat(next.recover()).containsExactly(killed.runId());
    assertThat(rows("input.responses", "k", "new")).isEqualTo(4);
    assertThat(rows("input.prompts", "k", "new")).isEqualTo(4);
    assertThat(next.recover()).isEmpty();
  }

  @Test
  void aReaderOfAHalfPublishedTableWaitsForTheRunOrFinishesIt() {
    RunContext killed = staged("w", 3, "new");
    tables.publisher().intent(killed);
    tables.publisher().publishOne(killed.runId(), killed.stagedWrites().get(1)); // responses first, then died
    System.setProperty(Publisher.LEASE_PROPERTY, "1");
    try {
      ChorusTables reader = new ChorusTables(spark);
      long t0 = System.nanoTime();
      long n = reader.read(new RunContext("reader", "w"), "input.responses").filter("dataset_id = 'w'").count();
      assertThat(n).isEqualTo(3);
      assertThat((System.nanoTime() - t0) / 1e9).isGreaterThan(0.2); // it waited out the lease first
      assertThat(rows("input.prompts", "w", "new")).isEqualTo(3); // and finished the other table
    } finally {
      System.clearProperty(Publisher.LEASE_PROPERTY);
    }
  }

  @Test
  void twoRunsWritingTheSameRowsEndWithOneCompleteVersion() {
    RunContext a = staged("c", 3, "aaa");
    RunContext b = staged("c", 6, "bbb");
    tables.publisher().publish(a);
    tables.publisher().complete(a);
    assertThatThrownBy(() -> tables.publisher().publish(b)).isInstanceOf(ChorusException.class)
        .hasMessageContaining("nothing of this run was published");
    assertThat(rows("input.prompts", "c", "aaa")).isEqualTo(3);
    assertThat(rows("input.responses", "c", "aaa")).isEqualTo(3);
    assertThat(rows("input.prompts", "c", "bbb") + rows("input.responses", "c", "bbb")).isZero();
  }

  @Test
  void aRunRejectedHalfWayThroughPublishingRollsBackWhatItPublished() {
    tables.replace(new RunContext("test", "m"), PROMPTS, prompts("m", 2, "old"), List.of("m"));
    tables.replace(new RunContext("test", "m"), RESPONSES, responses("m", 2, "old"), List.of("m"));
    RunContext b = staged("m", 5, "bbb");
    RunContext a = staged("m", 3, "aaa");
    // b passed its check; then a's responses land before b publishes its own
    tables.publisher().publishOne(a.runId(), a.stagedWrites().get(1));
    assertThatThrownBy(() -> tables.publisher().publishAll(b)).isInstanceOf(ChorusException.class)
        .hasMessageContaining("rolled back");
    assertThat(rows("input.prompts", "m", "bbb")).isZero(); // b's prompts, published first, are rolled back
    assertThat(rows("input.prompts", "m", "old")).isEqualTo(2);
    assertThat(rows("input.responses", "m", "aaa")).isEqualTo(3);
    assertThat(rows("input.prompts", "m", "bbb") + rows("input.responses", "m", "bbb")).isZero();
    // the rollback is itself a write of those rows: a's prompts, staged before it, now conflict too (a reruns)
    assertThatThrownBy(() -> tables.publisher().publishOne(a.runId(), a.stagedWrites().get(0)))
        .isInstanceOf(ChorusException.class).hasMessageContaining("another run wrote input.prompts");
  }

  @Test
  void runsWritingOtherIdsOfTheSameTablesBothLand() {
    RunContext x = staged("x", 2, "xx");
    RunContext y = staged("y", 3, "yy"); // staged on the same parents as x
    tables.publisher().publish(x);
    tables.publisher().publish(y);
    tables.publisher().complete(x);
    tables.publisher().complete(y);
    assertThat(rows("input.prompts", "x", "xx")).isEqualTo(2);
    assertThat(rows("input.prompts", "y", "yy")).isEqualTo(3);
    assertThat(rows("input.responses", "x", "xx")).isEqualTo(2);
    assertThat(rows("input.responses", "y", "yy")).isEqualTo(3);
  }

  @Test
  void conditionsRoundTripAndOverlapOnlyWhenEveryCommonColumnShares() {
    Where w = Where.of("scope", "a'b\\c").andIn("target_table", List.of("input.votes", "input.statements"));
    assertThat(Where.decode(w.encode())).isEqualTo(w);
    assertThat(Publisher.overlaps(w, Where.of("scope", "a'b\\c"))).isTrue();
    assertThat(Publisher.overlaps(w, Where.of("scope", "other"))).isFalse();
    assertThat(Publisher.overlaps(w, Where.of("scope", "a'b\\c").and("target_table", "input.prompts"))).isFalse();
  }
}
