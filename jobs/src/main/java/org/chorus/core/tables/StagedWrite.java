package org.chorus.core.tables;

/**
 * One table write of a run, staged: its rows are in data files and in a snapshot of the table that is not current
 * (Iceberg's write-audit-publish {@code wap.id}), waiting for {@link Publisher} to make the run's writes current
 * together.
 *
 * @param parentId the table's current snapshot when the write was staged (null: the table was empty)
 */
public final class StagedWrite {
  /** The publishing commit: its snapshot and the table's rows after it. */
  public record Published(long snapshotId, long totalRecords) {}

  private final String table;
  private final long snapshotId;
  private final Long parentId;
  private final Where where;
  private volatile Published published;

  public StagedWrite(String table, long snapshotId, Long parentId, Where where) {
    this.table = table;
    this.snapshotId = snapshotId;
    this.parentId = parentId;
    this.where = where;
  }

  public String table() {
    return table;
  }

  public long snapshotId() {
    return snapshotId;
  }

  public Long parentId() {
    return parentId;
  }

  public Where where() {
    return where;
  }

  public Published published() {
    return published;
  }

  void published(Published p) {
    this.published = p;
  }

  @Override
  public String toString() {
    return table + "@" + snapshotId;
  }
}
