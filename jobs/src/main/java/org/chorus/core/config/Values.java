package org.chorus.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed getters that record a readable problem instead of throwing, so all problems are reported at once. */
final class Values {
  private Values() {}

  static String string(Config c, String path, List<String> errors, boolean nonEmpty) {
    try {
      String v = c.getString(path);
      if (nonEmpty && v.isBlank()) {
        errors.add(path + " must not be empty");
      }
      return v;
    } catch (ConfigException e) {
      errors.add(problem(path, "a string", e));
      return "";
    }
  }

  static int integer(Config c, String path, long min, long max, List<String> errors) {
    long v = longValue(c, path, min, max, errors);
    return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, v));
  }

  static long longValue(Config c, String path, long min, long max, List<String> errors) {
    try {
      long v = c.getLong(path);
      if (v < min || v > max) {
        errors.add(path + " = " + v + " is out of range [" + min + ", " + max + "]");
      }
      return v;
    } catch (ConfigException e) {
      errors.add(problem(path, "an integer", e));
      return 0;
    }
  }

  static double number(Config c, String path, double min, double max, List<String> errors) {
    try {
      double v = c.getDouble(path);
      if (!(v >= min && v <= max)) {
        errors.add(path + " = " + v + " is out of range [" + min + ", " + max + "]");
      }
      return v;
    } catch (ConfigException e) {
      errors.add(problem(path, "a number", e));
      return 0;
    }
  }

  static boolean bool(Config c, String path, List<String> errors) {
    try {
      return c.getBoolean(path);
    } catch (ConfigException e) {
      errors.add(problem(path, "true or false", e));
      return false;
    }
  }

  static String oneOf(Config c, String path, List<String> allowed, List<String> errors) {
    String v = string(c, path, errors, false);
    if (!allowed.contains(v)) {
      errors.add(path + " = '" + v + "' is not one of " + allowed);
    }
    return v;
  }

  /** An open map of string values; nested HOCON objects and quoted dotted keys both flatten to dotted keys. */
  static Map<String, String> flatMap(Config c, String path, List<String> errors) {
    Map<String, String> out = new LinkedHashMap<>();
    try {
      Config sub = c.getConfig(path);
      for (Map.Entry<String, ConfigValue> e : sub.entrySet()) {
        String key = String.join(".", ConfigUtil.splitPath(e.getKey()));
        Object value = e.getValue().unwrapped();
        out.put(key, String.valueOf(value));
      }
    } catch (ConfigException e) {
      errors.add(problem(path, "an object of key = value", e));
    }
    return out;
  }

  private static String problem(String path, String expected, ConfigException e) {
    if (e instanceof ConfigException.Missing) {
      return path + " is missing";
    }
    String origin = e.origin() == null ? "" : " (" + e.origin().description() + ")";
    return path + " must be " + expected + origin;
  }
}
