package org.chorus.core.io;

import java.io.IOException;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A directory published whole: everything is written to a hidden staging directory beside the target
 * ({@code .NAME.staging-UUID}), and {@link #publish()} swaps it in by two renames (target to
 * {@code .NAME.previous-UUID}, staging to target) before the previous version is deleted. A reader sees the old
 * directory, then (for the instant between the renames) none, then the new one, never a mix of two; a run that fails
 * or is killed before {@code publish} leaves the target untouched, and {@link #close()} removes its staging files.
 * A crash between the two renames leaves only {@code .NAME.previous-*}, which the next {@link #beside} puts back.
 *
 * <p>On HDFS and local disks a rename is atomic. On an object store (S3A) a directory rename is a copy, so a reader
 * during the swap may see part of it; there, publish each run to a new directory (see docs/cluster.md).
 */
public final class StagedDirectory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(StagedDirectory.class);
  /** Staging directories of killed runs older than this are removed by the next run. */
  private static final long STALE_MILLIS = 6 * 3600_000L;

  private final FileSystem fs;
  private final Path target;
  private final Path staging;
  private boolean published;

  private StagedDirectory(FileSystem fs, Path target, Path staging) {
    this.fs = fs;
    this.target = target;
    this.staging = staging;
  }

  /** A fresh staging directory beside {@code target}, after restoring a target lost between two renames. */
  public static StagedDirectory beside(String target, Configuration conf) throws IOException {
    Path t = new Path(target);
    FileSystem fs = t.getFileSystem(conf);
    t = fs.makeQualified(t);
    Path parent = t.getParent();
    if (parent == null) {
      throw new IOException("cannot publish to the root of a file system: " + target);
    }
    fs.mkdirs(parent);
    recover(fs, t);
    Path staging = new Path(parent, "." + t.getName() + ".staging-" + UUID.randomUUID());
    if (!fs.mkdirs(staging)) {
      throw new IOException("cannot create " + staging);
    }
    return new StagedDirectory(fs, t, staging);
  }

  /** Where to write: the staging directory. */
  public Path path() {
    return staging;
  }

  /** Swaps the staging directory in as the target; the previous target is deleted after. */
  public void publish() throws IOException {
    Path previous = new Path(target.getParent(), "." + target.getName() + ".previous-" + staging.getName()
        .substring(staging.getName().lastIndexOf('-') + 1));
    boolean hadTarget = fs.exists(target);
    if (hadTarget && !fs.rename(target, previous)) {
      throw new IOException("cannot move " + target + " aside to " + previous);
    }
    if (!fs.rename(staging, target)) {
      if (hadTarget) {
        fs.rename(previous, target);
      }
      throw new IOException("cannot move " + staging + " to " + target);
    }
    published = true;
    if (hadTarget) {
      fs.delete(previous, true);
    }
  }

  /** Removes the staging directory unless it was published. */
  @Override
  public void close() throws IOException {
    if (!published) {
      fs.delete(staging, true);
    }
  }

  private static void recover(FileSystem fs, Path target) throws IOException {
    FileStatus[] previous = fs.globStatus(new Path(target.getParent(), "." + target.getName() + ".previous-*"));
    if (previous != null && previous.length > 0 && !fs.exists(target)) {
      LOG.warn("restoring {} from {}: a run stopped between its two renames", target, previous[0].getPath());
      fs.rename(previous[0].getPath(), target);
    }
    FileStatus[] staged = fs.globStatus(new Path(target.getParent(), "." + target.getName() + ".staging-*"));
    long now = System.currentTimeMillis();
    for (FileStatus s : staged == null ? new FileStatus[0] : staged) {
      if (now - s.getModificationTime() > STALE_MILLIS) {
        fs.delete(s.getPath(), true);
      }
    }
  }
}
