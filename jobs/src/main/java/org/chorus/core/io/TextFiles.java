package org.chorus.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Small text files (policy documents, manifests) read and written through Hadoop's FileSystem. */
public final class TextFiles {
  private TextFiles() {}

  public static String read(String file, Configuration conf) throws IOException {
    try (InputStream in = SourceFiles.open(file, conf)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Writes {@code text} to {@code file}, replacing it, creating parent directories. */
  public static void write(String file, String text, Configuration conf) throws IOException {
    Path p = new Path(file);
    FileSystem fs = p.getFileSystem(conf);
    try (OutputStream out = fs.create(p, true)) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    fs.delete(new Path(p.getParent(), "." + p.getName() + ".crc"), false); // local checksum file
  }

  /** Names of the directories directly under {@code dir} (empty when it does not exist). */
  public static java.util.List<String> subdirectories(String dir, Configuration conf) throws IOException {
    Path p = new Path(dir);
    FileSystem fs = p.getFileSystem(conf);
    java.util.List<String> out = new java.util.ArrayList<>();
    if (!fs.exists(p)) {
      return out;
    }
    for (FileStatus s : fs.listStatus(p)) {
      if (s.isDirectory()) {
        out.add(s.getPath().getName());
      }
    }
    return out;
  }
}
