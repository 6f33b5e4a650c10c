package org.chorus.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.SerializableConfiguration;
import org.chorus.core.io.SourceFiles;

/**
 * Source files parsed in parallel, one task per file, into outcomes that are kept (memory, spilling to disk) until
 * the rows of each kind have been written, so each file is read exactly once.
 */
public final class ParsedFiles implements AutoCloseable {
  private final SparkSession spark;
  private final JavaRDD<Outcome> outcomes;
  private Map<String, Long> counts;

  private ParsedFiles(SparkSession spark, JavaRDD<Outcome> outcomes) {
    this.spark = spark;
    this.outcomes = outcomes;
  }

  public static ParsedFiles parse(SparkSession spark, List<String> files, FileParser parser) {
    return parse(spark, files, parser, 1);
  }

  /**
   * Parses each file in its own task; when there are fewer files than {@code partitions}, the outcomes are spread
   * over that many partitions so that everything downstream of parsing runs in parallel.
   */
  public static ParsedFiles parse(SparkSession spark, List<String> files, FileParser parser, int partitions) {
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    SerializableConfiguration conf = new SerializableConfiguration(hadoop);
    JavaRDD<Outcome> outcomes = jsc.parallelize(new ArrayList<>(files), Math.max(1, files.size()))
        .flatMap(file -> parseOne(parser, file, conf));
    if (files.size() < partitions) {
      outcomes = outcomes.repartition(partitions);
    }
    outcomes.persist(StorageLevel.MEMORY_AND_DISK_SER());
    return new ParsedFiles(spark, outcomes);
  }

  private static Iterator<Outcome> parseOne(FileParser parser, String file, SerializableConfiguration conf)
      throws Exception {
    // Streamed: outcomes are handed on as they are parsed; the file is closed when the iterator is exhausted or
    // when the task ends, whichever comes first.
    InputStream in;
    try {
      in = SourceFiles.open(file, conf.value());
    } catch (java.io.IOException e) {
      throw unreadable(file, 0, e);
    }
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> closeQuietly(in));
    }
    Iterator<Outcome> it = parser.parse(file, in);
    return new Iterator<>() {
      long read;

      @Override
      public boolean hasNext() {
        boolean more;
        try {
          more = it.hasNext();
        } catch (java.io.UncheckedIOException e) {
          throw unreadable(file, read, e.getCause());
        }
        if (!more) {
          closeQuietly(in);
        }
        return more;
      }

      @Override
      public Outcome next() {
        read++;
        return it.next();
      }
    };
  }

  /**
   * A file that cannot be read to its end (a truncated or corrupt gzip, a file that is not what its name says) is
   * the input rejected as a whole (exit 3), named with how far it was read; nothing is committed.
   */
  private static org.chorus.core.ChorusException unreadable(String file, long outcomes, Throwable e) {
    String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return org.chorus.core.ChorusException.badInput("%s cannot be read%s: %s (a truncated or corrupt file, or not "
        + "the format its name says?)", SourceFiles.name(file), outcomes == 0 ? "" : " past its first " + outcomes
        + " records", what.length() > 120 ? what.substring(0, 120) + "…" : what);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException ignored) {
      // already closed or broken: nothing left to release
    }
  }

  /** Outcomes made some other way (e.g. from Parquet rows); kept like parsed files. */
  public static ParsedFiles of(SparkSession spark, JavaRDD<Outcome> outcomes) {
    outcomes.persist(StorageLevel.MEMORY_AND_DISK_SER());
    return new ParsedFiles(spark, outcomes);
  }

  /** How many outcomes of each kind (one pass over the data). */
  public synchronized Map<String, Long> counts() {
    if (counts == null) {
      counts = new HashMap<>(outcomes.map(ParsedFiles::countKey).countByValue());
    }
    return counts;
  }

  private static String countKey(Outcome o) {
    return o.isQuarantine() ? Outcome.QUARANTINE + ":" + o.row().getString(2) : o.kind();
  }

  /** Rows of a kind (not quarantine). */
  public long count(String kind) {
    return counts().getOrDefault(kind, 0L);
  }

  /** Quarantined records meant for one target table. */
  public long quarantined(String targetTable) {
    return counts().getOrDefault(Outcome.QUARANTINE + ":" + targetTable, 0L);
  }

  public long quarantinedTotal() {
    return counts().entrySet().stream().filter(e -> e.getKey().startsWith(Outcome.QUARANTINE + ":"))
        .mapToLong(Map.Entry::getValue).sum();
  }

  /** The rows of one kind as a DataFrame of the given schema. */
  public Dataset<Row> rows(String kind, StructType schema) {
    JavaRDD<Row> rows = outcomes.filter(o -> o.kind().equals(kind)).map(Outcome::row);
    return spark.createDataFrame(rows, schema);
  }

  public Dataset<Row> quarantine() {
    return rows(Outcome.QUARANTINE, Quarantine.SPEC.schema());
  }

  @Override
  public void close() {
    outcomes.unpersist(false);
  }
}
