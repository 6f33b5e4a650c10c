package org.chorus.core.spark;

import java.util.LinkedHashMap;
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
    SparkSession.Builder builder = SparkSession.builder();
    String master = launched.contains("spark.master") && !masterFromCommandLine
        ? launched.get("spark.master")
        : config.spark.master;
    builder.master(master);
    settings(config, master, launched).forEach(builder::config);
    return builder.getOrCreate();
  }

  /**
   * What Chorus sets on the session: its settings less those the launch already made. A setting given to
   * spark-submit ({@code --conf}, {@code --name}, spark-defaults.conf) or as {@code -Dspark.x} wins over Chorus's.
   */
  public static Map<String, String> settings(ChorusConfig config, String master, SparkConf launched) {
    Map<String, String> s = new LinkedHashMap<>(settings(config, master));
    s.keySet().removeIf(launched::contains);
    return s;
  }

  /** Whether this JVM was started by spark-submit (or a cluster manager's driver launcher). */
  public static boolean underSparkSubmit() {
    return System.getProperty("spark.submit.deployMode") != null;
  }

  /** Everything Chorus sets on the session, in order: its defaults, the catalog, then chorus.spark.conf. */
  static Map<String, String> settings(ChorusConfig config, String master) {
    Map<String, String> s = new LinkedHashMap<>();
    s.put("spark.app.name", config.spark.appName);
    if (master.startsWith("local")) {
      // One machine: bind to loopback rather than whatever interface the host name resolves to.
      s.put("spark.driver.host", "127.0.0.1");
      s.put("spark.driver.bindAddress", "127.0.0.1");
    }
    String clusterJar = System.getProperty("chorus.cluster.jar");
    if (!master.startsWith("local") && !underSparkSubmit() && clusterJar != null) {
      // ./chorus --master spark://...: the executors need Chorus, Iceberg and the rest, which the cluster jar holds
      s.put("spark.jars", clusterJar);
    }
    s.putAll(catalogSettings(config));
    s.put("spark.sql.extensions", "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions");
    s.put("spark.sql.shuffle.partitions", Integer.toString(config.spark.shufflePartitions));
    s.put("spark.ui.enabled", Boolean.toString(config.spark.ui));
    s.put("spark.ui.showConsoleProgress", "false");
    s.put("spark.sql.session.timeZone", "UTC");
    // Required columns are checked at run time (Spark inserts null checks); Iceberg's analysis-time check would
    // reject every expression Spark cannot prove non-null.
    s.put("spark.sql.iceberg.check-nullability", "false");
    s.put("spark.sql.sources.partitionOverwriteMode", "dynamic");
    s.put("spark.sql.jsonGenerator.ignoreNullFields", "false");
    s.put("spark.serializer", "org.apache.spark.serializer.KryoSerializer");
    String wh = config.warehouseLocation();
    s.put("spark.sql.warehouse.dir", wh + (wh.endsWith("/") ? "" : "/") + "_spark");
    s.putAll(config.spark.conf);
    return s;
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
