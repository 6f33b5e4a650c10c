package org.chorus.cli;

import java.nio.file.Path;
import java.nio.file.Paths;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;

/** The log file: {@code <chorus.log.dir>/chorus.log}; stack traces and Spark's own logging go there. */
final class Logs {
  private Logs() {}

  static void useDirectory(String dir) {
    String current = System.getProperty("chorus.log.dir");
    if (dir != null && !dir.equals(current) && System.getProperty("chorus.log.dir.fixed") == null) {
      System.setProperty("chorus.log.dir", dir);
      if (LogManager.getContext(false) instanceof LoggerContext ctx) {
        ctx.reconfigure();
      }
    }
  }

  static Path file() {
    return Paths.get(System.getProperty("chorus.log.dir", "logs"), "chorus.log");
  }
}
