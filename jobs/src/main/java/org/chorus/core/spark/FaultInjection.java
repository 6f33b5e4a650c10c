package org.chorus.core.spark;

import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;

/**
 * A test-only switch for task failures: with the system property {@code chorus.fault.partition=K}, the first attempt
 * of partition K of every stage that reads or writes a table through {@code ChorusTables} throws, so Spark must retry
 * it ({@code spark.task.maxFailures}; in local mode {@code local[N,F]}). Off (the property unset), nothing changes,
 * not even the query plan.
 */
public final class FaultInjection {
  public static final String PROPERTY = "chorus.fault.partition";
  /** Test-only: halt the JVM (as SIGKILL would) right after the N-th table of a run is published. */
  public static final String HALT_AFTER_PUBLISH = "chorus.fault.halt-after-publish";
  /** Failures injected in this JVM (local mode: the executors are this JVM). */
  private static final AtomicInteger INJECTED = new AtomicInteger();

  private FaultInjection() {}

  public static int injected() {
    return INJECTED.get();
  }

  /** {@code rows}, whose partition K fails on its first attempt when the switch is on. */
  public static Dataset<Row> wrap(Dataset<Row> rows) {
    String p = System.getProperty(PROPERTY);
    if (p == null) {
      return rows;
    }
    int partition = Integer.parseInt(p);
    MapPartitionsFunction<Row, Row> failFirst = it -> {
      TaskContext t = TaskContext.get();
      if (t != null && t.partitionId() == partition && t.attemptNumber() == 0) {
        INJECTED.incrementAndGet();
        throw new IllegalStateException("injected fault: first attempt of partition " + partition + " of stage "
            + t.stageId());
      }
      return it;
    };
    return rows.mapPartitions(failFirst, Encoders.row(rows.schema()));
  }

  /** Called after each published table of a run; halts the JVM at the configured one, flushing nothing. */
  public static void afterPublish(int published) {
    String n = System.getProperty(HALT_AFTER_PUBLISH);
    if (n != null && Integer.parseInt(n) == published) {
      Runtime.getRuntime().halt(137);
    }
  }
}
