package org.chorus.core.tables;

/** What one atomic replace committed: the new snapshot and the record counts from its summary. */
public record WriteResult(String table, long snapshotId, long addedRecords, long deletedRecords, long totalRecords) {
  @Override
  public String toString() {
    return String.format("%s: %,d rows written (snapshot %d, %,d replaced, %,d in table)", table, addedRecords,
        snapshotId, deletedRecords, totalRecords);
  }
}
