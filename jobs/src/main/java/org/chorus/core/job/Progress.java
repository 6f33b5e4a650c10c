package org.chorus.core.job;

import java.io.PrintStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a long job reports how far it has got: one line per step. Every step goes to the log file; the CLI also
 * shows it (on stdout for the human summary, on stderr when stdout carries the JSON result).
 */
@FunctionalInterface
public interface Progress {
  void step(String message);

  /** Formats and reports one step. */
  default void step(String format, Object... args) {
    step(String.format(format, args));
  }

  /** Steps to the log file only. */
  static Progress log() {
    Logger log = LoggerFactory.getLogger(Progress.class);
    return message -> log.info("{}", message);
  }

  /** Steps to the log file and, indented, to {@code out}. */
  static Progress to(PrintStream out) {
    Progress log = log();
    return message -> {
      log.step(message);
      out.println("  " + message);
    };
  }
}
