package org.chorus.core.job;

import java.io.PrintStream;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.tables.ChorusTables;

/** What the command line gives a job command: config, tables (the session starts on first use), streams, handles. */
public interface CommandEnvironment {
  /** The validated config; loading it never starts Spark. */
  ChorusConfig config();

  /** The session's tables; the first call starts Spark. */
  ChorusTables tables();

  PrintStream out();

  PrintStream err();

  /** {@code --run-id}, or null. */
  String runId();

  /** True with {@code --output json}: stdout carries one JSON object, progress goes to stderr. */
  boolean json();
}
