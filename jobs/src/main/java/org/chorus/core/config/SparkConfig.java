package org.chorus.core.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;
import java.util.Map;

/**
 * How Chorus starts Spark ({@code chorus.spark}). {@code master} is used unless Spark was launched by
 * {@code spark-submit} and no master was given on the Chorus command line. Any {@code spark.*} key under
 * {@code chorus.spark.conf} is passed to the session builder.
 */
public final class SparkConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public final String master;
  public final String appName;
  public final int shufflePartitions;
  public final boolean ui;
  public final Map<String, String> conf;

  SparkConfig(Config c, List<String> errors) {
    this.master = Values.string(c, "chorus.spark.master", errors, true);
    this.appName = Values.string(c, "chorus.spark.app-name", errors, true);
    this.shufflePartitions = Values.integer(c, "chorus.spark.shuffle-partitions", 1, 100_000, errors);
    this.ui = Values.bool(c, "chorus.spark.ui", errors);
    this.conf = Values.flatMap(c, "chorus.spark.conf", errors);
    for (String key : conf.keySet()) {
      if (!key.startsWith("spark.")) {
        errors.add("chorus.spark.conf key '" + key + "' must start with spark.");
      }
    }
  }
}
