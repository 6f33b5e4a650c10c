package org.chorus.core;

/**
 * An error Chorus reports as one readable line on stderr, with the exit code of the command contract:
 * 2 bad usage or config, 3 bad input rejected as a whole, 1 anything else.
 */
public class ChorusException extends RuntimeException {
  public static final int EXIT_FAILURE = 1;
  public static final int EXIT_USAGE = 2;
  public static final int EXIT_BAD_INPUT = 3;

  private final int exitCode;

  public ChorusException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public ChorusException(int exitCode, String message, Throwable cause) {
    super(message, cause);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }

  /** Misuse of a command or a bad config value: exit 2. */
  public static ChorusException usage(String format, Object... args) {
    return new ChorusException(EXIT_USAGE, String.format(format, args));
  }

  /** Input rejected as a whole (missing file, unreadable format, unknown table): exit 3. */
  public static ChorusException badInput(String format, Object... args) {
    return new ChorusException(EXIT_BAD_INPUT, String.format(format, args));
  }

  /** Fails fast with a formatted message when a precondition does not hold (exit 2). */
  public static void checkUsage(boolean condition, String format, Object... args) {
    if (!condition) {
      throw usage(format, args);
    }
  }

  /** Fails with a formatted message when the input as a whole cannot be used (exit 3). */
  public static void checkInput(boolean condition, String format, Object... args) {
    if (!condition) {
      throw badInput(format, args);
    }
  }
}
