package org.chorus.core.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.chorus.core.ChorusException;

/** Input paths through Hadoop's FileSystem, so local paths, hdfs:// and s3a:// all work; .gz etc. decompress. */
public final class SourceFiles {
  private SourceFiles() {}

  /** The files a path names: the file itself, the visible files of a directory, or the matches of a glob. */
  public static List<String> expand(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      FileStatus[] matches = fs.globStatus(p);
      if (matches == null || matches.length == 0) {
        throw ChorusException.badInput("input not found: %s", path);
      }
      List<String> files = new ArrayList<>();
      for (FileStatus m : matches) {
        if (m.isDirectory()) {
          FileStatus[] children = fs.listStatus(m.getPath());
          Arrays.sort(children);
          for (FileStatus c : children) {
            String name = c.getPath().getName();
            if (c.isFile() && !name.startsWith(".") && !name.startsWith("_")) {
              files.add(c.getPath().toString());
            }
          }
        } else {
          files.add(m.getPath().toString());
        }
      }
      if (files.isEmpty()) {
        throw ChorusException.badInput("no files in %s", path);
      }
      return files;
    } catch (IOException e) {
      throw ChorusException.badInput("cannot read %s: %s", path, e.getMessage());
    }
  }

  /**
   * A label per file, unique among {@code files} (record ids are built from it): the file's name without its
   * extensions when those differ, else its path below the files' common directory without extensions
   * ({@code harmless/test}, {@code helpful/test}).
   */
  public static java.util.Map<String, String> labels(List<String> files) {
    java.util.Map<String, String> stems = new java.util.LinkedHashMap<>();
    for (String f : files) {
      stems.put(f, stripExtensions(name(f)));
    }
    if (new java.util.HashSet<>(stems.values()).size() == files.size()) {
      return stems;
    }
    String common = files.get(0).substring(0, files.get(0).lastIndexOf('/') + 1);
    for (String f : files) {
      while (!f.startsWith(common)) {
        common = common.substring(0, common.lastIndexOf('/', common.length() - 2) + 1);
      }
    }
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String f : files) {
      String rel = f.substring(common.length());
      int slash = rel.lastIndexOf('/');
      out.put(f, rel.substring(0, slash + 1) + stripExtensions(rel.substring(slash + 1)));
    }
    return out;
  }

  private static String stripExtensions(String name) {
    int dot = name.indexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  public static boolean exists(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(conf).exists(p);
    } catch (IOException e) {
      return false;
    }
  }

  public static boolean isDirectory(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      return p.getFileSystem(conf).getFileStatus(p).isDirectory();
    } catch (IOException e) {
      return false;
    }
  }

  /** Opens a file, decompressing by extension (.gz, .bz2, .zst, ...). */
  public static InputStream open(String file, Configuration conf) throws IOException {
    Path p = new Path(file);
    FileSystem fs = p.getFileSystem(conf);
    InputStream raw = fs.open(p);
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
    InputStream in = codec == null ? raw : codec.createInputStream(raw);
    return new BufferedInputStream(in, 1 << 16);
  }

  /** The file name without directories, for messages and the quarantine's source column. */
  public static String name(String file) {
    return new Path(file).getName();
  }
}
