package org.chorus.core.job;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Collects the problems of a set of options, so a command reports all of them on one line before Spark starts. */
public final class Checks {
  private final List<String> problems = new ArrayList<>();

  /** Records {@code String.format(format, args)} unless {@code condition} holds. */
  public Checks require(boolean condition, String format, Object... args) {
    if (!condition) {
      problems.add(String.format(format, args));
    }
    return this;
  }

  /** The most bytes an id may take once URL-encoded, as it is in a table's partition directory name. */
  public static final int MAX_ID_BYTES = 200;

  /** An id option: present, not blank, and short enough to name a partition directory (at most 255 bytes). */
  public Checks id(String value, String option) {
    require(value != null && !value.isBlank(), "%s must not be empty", option);
    int encoded = value == null ? 0 : java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8)
        .length();
    return require(encoded <= MAX_ID_BYTES, "%s is too long: %d bytes once encoded for a path (at most %d)", option,
        encoded, MAX_ID_BYTES);
  }

  /** A file or directory option: present and not blank (a path, so no id length limit). */
  public Checks path(String value, String option) {
    return require(value != null && !value.isBlank(), "%s must not be empty", option);
  }

  public Checks atLeast(long value, long min, String option) {
    return require(value >= min, "%s must be at least %d, got %d", option, min, value);
  }

  public Checks oneOf(String value, Collection<String> allowed, String option) {
    return require(value != null && allowed.contains(value), "%s must be one of %s, got '%s'", option,
        String.join(", ", allowed), value);
  }

  public List<String> problems() {
    return List.copyOf(problems);
  }
}
