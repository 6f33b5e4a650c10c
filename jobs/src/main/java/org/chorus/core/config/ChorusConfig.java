package org.chorus.core.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.chorus.core.ChorusException;

/**
 * The whole, validated Chorus configuration.
 *
 * <p>Precedence, highest first: dedicated command-line flags ({@code --warehouse}, {@code --master}), then
 * {@code --set key=value} (in order, last wins), then {@code --conf FILE} files (later files win), then the
 * defaults in {@code conf/chorus.conf} (packaged into the jar as {@code chorus/chorus.conf}).
 *
 * <p>Every key must be one the defaults declare, except under the open maps {@code chorus.spark.conf} and
 * {@code chorus.catalog.properties}, which pass through to Spark and Iceberg. Validation collects every problem
 * and fails with all of them on one line, before Spark starts.
 */
public final class ChorusConfig implements Serializable {
  private static final long serialVersionUID = 1L;
  static final String DEFAULTS_RESOURCE = "chorus/chorus.conf";
  private static final List<String> OPEN_MAPS = List.of("chorus.spark.conf", "chorus.catalog.properties");

  public final String warehouse;
  public final CatalogConfig catalog;
  public final SparkConfig spark;
  public final String logDir;
  private final transient Config raw;

  private ChorusConfig(Config c, List<String> errors) {
    this.raw = c;
    this.warehouse = Values.string(c, "chorus.warehouse", errors, true);
    this.catalog = new CatalogConfig(c, errors);
    this.spark = new SparkConfig(c, errors);
    this.logDir = Values.string(c, "chorus.log.dir", errors, true);
    String scheme = warehouse.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*") ? warehouse.substring(0,
        warehouse.indexOf(':')).toLowerCase(java.util.Locale.ROOT) : "file";
    if (catalog.type.equals("hadoop") && OBJECT_STORES.contains(scheme)) {
      errors.add("chorus.catalog.type = hadoop is unsafe on an object store (" + scheme + "://: no atomic rename, so "
          + "two commits can both win): use catalog.type = jdbc or rest with this warehouse");
    }
  }

  /** Warehouse schemes of object stores, where a Hadoop catalog's commit by rename is not atomic. */
  static final java.util.Set<String> OBJECT_STORES = java.util.Set.of("s3", "s3a", "s3n", "gs", "abfs", "abfss",
      "wasb", "wasbs", "oss", "cos", "cosn", "obs");

  /** The merged, resolved HOCON tree (for keys later issues add before they get a typed class). */
  public Config raw() {
    return raw;
  }

  /**
   * A capability's typed config, built from its section {@code chorus.NAME} by {@code reader} (a config class's
   * constructor); every bad value of the section is reported on one line (exit 2) before Spark starts. Precedence
   * is the whole config's: command-line flags, then {@code --set}, then {@code --conf} files, then
   * {@code conf/chorus.conf}.
   */
  public <T> T section(String name, java.util.function.Function<ConfigSection, T> reader) {
    ConfigSection section = new ConfigSection(raw, name);
    T value = reader.apply(section);
    if (!section.errors().isEmpty()) {
      throw ChorusException.usage("bad config: %s", String.join("; ", section.errors()));
    }
    return value;
  }

  /** Command-line overrides with the highest precedence; null fields are not set. */
  public record Overrides(String warehouse, String master) {
    public static final Overrides NONE = new Overrides(null, null);
  }

  public static ChorusConfig load(List<Path> confFiles, List<String> sets, Overrides overrides) {
    Config defaults = ConfigFactory.parseResources(ChorusConfig.class.getClassLoader(), DEFAULTS_RESOURCE,
        ConfigParseOptions.defaults().setAllowMissing(false));
    Config merged = defaults;
    for (Path file : confFiles) {
      if (!Files.isRegularFile(file)) {
        throw ChorusException.usage("config file not found: %s", file);
      }
      Config layer;
      try {
        layer = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
      } catch (ConfigException e) {
        throw ChorusException.usage("config file %s: %s", file, oneLine(e.getMessage()));
      }
      merged = layer.withFallback(merged);
    }
    for (String set : sets) {
      int eq = set.indexOf('=');
      if (eq <= 0) {
        throw ChorusException.usage("--set expects key=value, got '%s'", set);
      }
      String key = set.substring(0, eq).trim();
      String value = set.substring(eq + 1);
      String path = key.startsWith("chorus.") ? key : "chorus." + key;
      try {
        merged = ConfigFactory.parseMap(Map.of(path, value), "--set " + key).withFallback(merged);
      } catch (ConfigException e) {
        throw ChorusException.usage("--set %s: %s", key, oneLine(e.getMessage()));
      }
    }
    Map<String, Object> flags = new LinkedHashMap<>();
    if (overrides.warehouse() != null) {
      flags.put("chorus.warehouse", overrides.warehouse());
    }
    if (overrides.master() != null) {
      flags.put("chorus.spark.master", overrides.master());
    }
    if (!flags.isEmpty()) {
      merged = ConfigFactory.parseMap(flags, "command line").withFallback(merged);
    }
    try {
      merged = merged.resolve();
    } catch (ConfigException e) {
      throw ChorusException.usage("config: %s", oneLine(e.getMessage()));
    }

    List<String> errors = new ArrayList<>(unknownKeys(defaults, merged));
    ChorusConfig config = new ChorusConfig(merged, errors);
    for (SectionReader reader : java.util.ServiceLoader.load(SectionReader.class, ChorusConfig.class.getClassLoader())) {
      ConfigSection section = new ConfigSection(merged, reader.section());
      reader.read(section);
      errors.addAll(section.errors());
    }
    if (!errors.isEmpty()) {
      throw ChorusException.usage("bad config: %s", String.join("; ", errors));
    }
    return config;
  }

  public static ChorusConfig defaults() {
    return load(List.of(), List.of(), Overrides.NONE);
  }

  private static List<String> unknownKeys(Config defaults, Config merged) {
    Set<String> known = new TreeSet<>();
    for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
      known.add(normal(e.getKey()));
    }
    List<String> unknown = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> e : merged.entrySet()) {
      String key = normal(e.getKey());
      boolean open = OPEN_MAPS.stream().anyMatch(m -> key.startsWith(m + "."));
      if (!known.contains(key) && !open) {
        unknown.add("unknown key '" + key + "'");
      }
    }
    return unknown;
  }

  static String normal(String pathExpression) {
    return String.join(".", ConfigUtil.splitPath(pathExpression));
  }

  static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s+", " ").trim();
  }

  /** The warehouse as a URI-ish location: a scheme-less path is made absolute. */
  public String warehouseLocation() {
    if (warehouse.matches("^[a-zA-Z][a-zA-Z0-9+.-]*://.*")) {
      return warehouse;
    }
    return new File(warehouse).getAbsoluteFile().toPath().normalize().toUri().toString();
  }
}
