package org.chorus.ingest;

import java.io.Serializable;
import org.apache.spark.sql.Row;

/**
 * What parsing made of one source record (or one cell): a row of some kind, or a quarantine row. The Beam
 * FailsafeElement pattern: bad input travels with its reason instead of being dropped. (A plain class rather than a
 * record, so Kryo can serialize it when parsed records are cached.)
 */
public final class Outcome implements Serializable {
  private static final long serialVersionUID = 1L;
  public static final String QUARANTINE = "quarantine";

  private String kind;
  private Row row;

  public Outcome(String kind, Row row) {
    this.kind = kind;
    this.row = row;
  }

  public String kind() {
    return kind;
  }

  public Row row() {
    return row;
  }

  public boolean isQuarantine() {
    return QUARANTINE.equals(kind);
  }
}
