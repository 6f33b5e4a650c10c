package org.chorus.records;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every Chorus table is made with, whoever creates it (Spark's jobs or the live landing): its Avro schema
 * ({@code chorus/schemas/<namespace>/<name>.avsc}) and these Iceberg properties.
 */
public final class TableContract {
  private TableContract() {}

  /** Iceberg's property that lets a write be staged (write-audit-publish). */
  public static final String WAP_ENABLED = "write.wap.enabled";
  /** Per-column metrics mode: {@code write.metadata.metrics.column.<column>}. */
  public static final String METRICS_PREFIX = "write.metadata.metrics.column.";

  /**
   * Columns whose values must not survive in table metadata: Iceberg keeps each data file's lower and upper bound
   * per column in its manifests, which outlive the rows. These columns keep no bounds, so forgetting a person leaves
   * no id and no text of theirs in a manifest.
   */
  public static final List<String> UNBOUNDED_COLUMNS = List.of("participant_id", "rater_id", "person_id",
      "author_id", "raw");

  /** The properties a table is created with: format v2, zstd Parquet, write-audit-publish, no bounds on persons. */
  public static Map<String, String> properties(List<String> columns) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("format-version", "2");
    p.put("write.parquet.compression-codec", "zstd");
    // Each write replaces one id (one partition), so rows need no shuffle by partition before writing; fanout lets
    // a task write several partitions (quarantine) without sorting.
    p.put("write.distribution-mode", "none");
    p.put("write.spark.fanout.enabled", "true");
    p.put(WAP_ENABLED, "true");
    for (String c : columns) {
      if (UNBOUNDED_COLUMNS.contains(c)) {
        p.put(METRICS_PREFIX + c, "none");
      }
    }
    return p;
  }

  /** The Avro schema text of a table, e.g. {@code input.votes}. */
  public static String avsc(String table) {
    String resource = "chorus/schemas/" + table.replace('.', '/') + ".avsc";
    try (InputStream in = TableContract.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no schema for table " + table + " (" + resource + ")");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
