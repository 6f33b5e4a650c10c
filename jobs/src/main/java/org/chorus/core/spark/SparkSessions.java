package org.chorus.core.spark;

import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.chorus.core.config.CatalogConfig;
import org.chorus.core.config.ChorusConfig;

/** Builds the one SparkSession a Chorus command runs in, with the Iceberg catalog as the default catalog. */
public final class SparkSessions {
  private SparkSessions() {}

  /**
   * @param masterFromCommandLine true when {@code --master} was given to chorus; otherwise a master already set by
   *     spark-submit wins over the config default.
   */
  public static SparkSession create(ChorusConfig config, boolean masterFromCommandLine) {
    SparkConf launched = new SparkConf(true); // picks up spark.* system properties set by spark-submit
    SparkSession.Builder builder = SparkSession.builder().appName(config.spark.appName);
    String master = launched.contains("spark.master") && !masterFromCommandLine
        ? launched.get("spark.master")
        : config.spark.master;
    builder.master(master);
    if (master.startsWith("local")) {
      // One machine: bind to loopback rather than whatever interface the host name resolves to.
      builder.config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1");
    }
    for (Map.Entry<String, String> e : catalogSettings(config).entrySet()) {
      builder.config(e.getKey(), e.getValue());
    }
    builder
        .config("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
        .config("spark.sql.shuffle.partitions", config.spark.shufflePartitions)
        .config("spark.ui.enabled", config.spark.ui)
        .config("spark.ui.showConsoleProgress", false)
        .config("spark.sql.session.timeZone", "UTC")
        // Required columns are checked at run time (Spark inserts null checks); Iceberg's analysis-time
        // check would reject every expression Spark cannot prove non-null.
        .config("spark.sql.iceberg.check-nullability", false)
        .config("spark.sql.sources.partitionOverwriteMode", "dynamic")
        .config("spark.sql.jsonGenerator.ignoreNullFields", false)
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.sql.warehouse.dir", config.warehouseLocation() + (config.warehouseLocation().endsWith("/") ? "" : "/")
            + "_spark");
    for (Map.Entry<String, String> e : config.spark.conf.entrySet()) {
      builder.config(e.getKey(), e.getValue());
    }
    return builder.getOrCreate();
  }

  /** The spark.sql.catalog.* settings for the configured Iceberg catalog. */
  public static Map<String, String> catalogSettings(ChorusConfig config) {
    CatalogConfig c = config.catalog;
    String prefix = "spark.sql.catalog." + c.name;
    java.util.LinkedHashMap<String, String> s = new java.util.LinkedHashMap<>();
    s.put(prefix, "org.apache.iceberg.spark.SparkCatalog");
    s.put(prefix + ".type", c.type);
    s.put(prefix + ".warehouse", config.warehouseLocation());
    if (!c.uri.isEmpty()) {
      s.put(prefix + ".uri", c.uri);
    }
    if (c.type.equals("jdbc")) {
      if (!c.user.isEmpty()) {
        s.put(prefix + ".jdbc.user", c.user);
      }
      if (!c.password.isEmpty()) {
        s.put(prefix + ".jdbc.password", c.password);
      }
      s.put(prefix + ".jdbc.schema-version", "V1");
    }
    for (Map.Entry<String, String> e : c.properties.entrySet()) {
      s.put(prefix + "." + e.getKey(), e.getValue());
    }
    s.put("spark.sql.defaultCatalog", c.name);
    return s;
  }
}
