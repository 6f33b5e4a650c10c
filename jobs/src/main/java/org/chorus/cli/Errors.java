package org.chorus.cli;

import java.io.PrintStream;
import org.chorus.core.ChorusException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns any failure into one line on stderr and an exit code; the stack trace goes to the log file. */
final class Errors {
  private Errors() {}

  static int report(Exception ex, PrintStream err) {
    Logger log = LoggerFactory.getLogger(Errors.class);
    ChorusException chorus = find(ex, ChorusException.class);
    if (chorus != null) {
      log.warn("command failed: {}", chorus.getMessage(), ex);
      err.println("chorus: " + oneLine(chorus.getMessage()));
      return chorus.exitCode();
    }
    log.error("command failed", ex);
    Throwable root = ex;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String msg = root.getMessage() == null ? root.getClass().getSimpleName() : firstLine(root.getMessage());
    err.println("chorus: error: " + oneLine(msg) + " (stack trace in " + Logs.file() + ")");
    return ChorusException.EXIT_FAILURE;
  }

  static <T extends Throwable> T find(Throwable t, Class<T> type) {
    for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
      if (type.isInstance(c)) {
        return type.cast(c);
      }
    }
    return null;
  }

  private static String firstLine(String s) {
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  /** At most 400 characters on one line: an error names the problem, it never echoes the input. */
  private static String oneLine(String s) {
    String line = s == null ? "" : s.replaceAll("\\s+", " ").trim();
    return line.length() <= 400 ? line : line.substring(0, 400) + "…";
  }
}
