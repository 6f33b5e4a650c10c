package org.chorus.core.tables;

/**
 * What one atomic replace committed: the snapshot and the record counts from its summary. A staged write (a run
 * under {@code JobRunner}) reports the snapshot it was published as once {@link Publisher} has published it.
 */
public record WriteResult(String table, long snapshotId, long addedRecords, long deletedRecords, long totalRecords,
    StagedWrite staged) {
  public WriteResult(String table, long snapshotId, long addedRecords, long deletedRecords, long totalRecords) {
    this(table, snapshotId, addedRecords, deletedRecords, totalRecords, null);
  }

  /** The snapshot that holds the write: the published one once published. */
  @Override
  public long snapshotId() {
    return staged != null && staged.published() != null ? staged.published().snapshotId() : snapshotId;
  }

  /** Rows in the table after the write (after the publishing commit, which may follow other runs' commits). */
  @Override
  public long totalRecords() {
    return staged != null && staged.published() != null ? staged.published().totalRecords() : totalRecords;
  }

  @Override
  public String toString() {
    return String.format("%s: %,d rows written (snapshot %d, %,d replaced, %,d in table)", table, addedRecords,
        snapshotId(), deletedRecords, totalRecords());
  }
}
