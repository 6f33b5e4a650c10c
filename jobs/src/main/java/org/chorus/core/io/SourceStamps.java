package org.chorus.core.io;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * A cheap fingerprint of a source file or directory: total bytes, number of files and the latest modification
 * time, read through Hadoop's FileSystem so local paths, hdfs:// and s3a:// all work. A rerun under the same run id
 * compares stamps to decide whether its source files changed.
 */
public final class SourceStamps {
  /** The stamp of a path that does not exist (any more). */
  public static final String MISSING = "missing";

  private SourceStamps() {}

  /** {@code bytes:files:last-modified-ms} of each path, in order. */
  public static Map<String, String> of(List<String> paths, Configuration hadoop) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String p : paths) {
      out.put(p, of(p, hadoop));
    }
    return out;
  }

  public static String of(String path, Configuration hadoop) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(hadoop);
      if (!fs.exists(p)) {
        return MISSING;
      }
      FileStatus status = fs.getFileStatus(p);
      if (status.isFile()) {
        return status.getLen() + ":1:" + status.getModificationTime();
      }
      long bytes = 0;
      long files = 0;
      long modified = status.getModificationTime();
      RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
      while (it.hasNext()) {
        LocatedFileStatus f = it.next();
        bytes += f.getLen();
        files++;
        modified = Math.max(modified, f.getModificationTime());
      }
      return bytes + ":" + files + ":" + modified;
    } catch (IOException | IllegalArgumentException e) {
      return MISSING;
    }
  }
}
