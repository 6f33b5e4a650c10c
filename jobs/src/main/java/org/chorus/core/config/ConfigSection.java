package org.chorus.core.config;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;

/**
 * One capability's section of the config ({@code chorus.opinions}, {@code chorus.panel}, ...), read by that
 * capability's own config class next to its job. Each getter records a readable problem instead of throwing, so a
 * config class reports all of its bad values at once ({@link ChorusConfig#section}).
 */
public final class ConfigSection {
  private final Config config;
  private final String prefix;
  private final List<String> errors = new ArrayList<>();
  private final java.util.Map<String, Object> values = new java.util.LinkedHashMap<>();

  ConfigSection(Config config, String name) {
    this.config = config;
    this.prefix = "chorus." + name;
  }

  public String string(String key) {
    return read(key, Values.string(config, path(key), errors, true));
  }

  public String oneOf(String key, List<String> allowed) {
    return read(key, Values.oneOf(config, path(key), allowed, errors));
  }

  public int integer(String key, long min, long max) {
    return read(key, Values.integer(config, path(key), min, max, errors));
  }

  public long longValue(String key, long min, long max) {
    return read(key, Values.longValue(config, path(key), min, max, errors));
  }

  public double number(String key, double min, double max) {
    return read(key, Values.number(config, path(key), min, max, errors));
  }

  public boolean bool(String key) {
    return read(key, Values.bool(config, path(key), errors));
  }

  /** Records a problem that involves several keys (e.g. k-max below k-min). */
  public void problem(boolean ok, String format, Object... args) {
    if (!ok) {
      errors.add(String.format(format, args));
    }
  }

  /** The section as read, {@code name{key=value, ...}}: what a config class prints as its {@code toString}. */
  public String describe() {
    return prefix.substring("chorus.".length()) + values;
  }

  private <T> T read(String key, T value) {
    values.put(key, value);
    return value;
  }

  private String path(String key) {
    return prefix + "." + key;
  }

  List<String> errors() {
    return errors;
  }
}
