package org.chorus.ingest;

import java.io.Serializable;
import org.apache.spark.sql.Row;

/**
 * What parsing made of one source record (or one cell): a row of some kind, or a quarantine row. The Beam
 * FailsafeElement pattern: bad input travels with its reason instead of being dropped.
 */
public record Outcome(String kind, Row row) implements Serializable {
  public static final String QUARANTINE = "quarantine";

  public boolean isQuarantine() {
    return QUARANTINE.equals(kind);
  }
}
