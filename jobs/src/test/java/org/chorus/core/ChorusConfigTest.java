package org.chorus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.spark.SparkSessions;
import org.chorus.ingest.IngestConfig;
import org.chorus.synth.SynthConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChorusConfigTest {
  @TempDir
  Path dir;

  @Test
  void defaultsComeFromConfChorusConf() {
    ChorusConfig c = ChorusConfig.defaults();
    assertThat(c.warehouse).isEqualTo("warehouse");
    assertThat(c.catalog.type).isEqualTo("hadoop");
    assertThat(c.spark.master).isEqualTo("local[*]");
    assertThat(SynthConfig.synth(c).groups).isEqualTo(3);
    assertThat(IngestConfig.from(c).maxRecordLines).isEqualTo(500);
  }

  @Test
  void precedenceIsFlagThenSetThenFileThenDefaults() throws Exception {
    Path file = dir.resolve("a.conf");
    Files.writeString(file, "chorus { warehouse = \"from-file\", spark.shuffle-partitions = 3, synth.groups = 4 }");
    ChorusConfig c = ChorusConfig.load(List.of(file), List.of("spark.shuffle-partitions=5", "chorus.synth.seed=9"),
        new ChorusConfig.Overrides("from-flag", "local[2]"));
    assertThat(c.warehouse).isEqualTo("from-flag");
    assertThat(c.spark.master).isEqualTo("local[2]");
    assertThat(c.spark.shufflePartitions).isEqualTo(5);
    assertThat(SynthConfig.synth(c).groups).isEqualTo(4);
    assertThat(SynthConfig.synth(c).seed).isEqualTo(9L);
  }

  @Test
  void laterConfFilesWin() throws Exception {
    Path a = dir.resolve("a.conf");
    Path b = dir.resolve("b.conf");
    Files.writeString(a, "chorus.spark.shuffle-partitions = 3");
    Files.writeString(b, "chorus.spark.shuffle-partitions = 7");
    assertThat(ChorusConfig.load(List.of(a, b), List.of(), ChorusConfig.Overrides.NONE).spark.shufflePartitions)
        .isEqualTo(7);
  }

  @Test
  void unknownKeyIsNamed() {
    assertThatThrownBy(() -> ChorusConfig.load(List.of(), List.of("spark.shufle-partitions=4"),
        ChorusConfig.Overrides.NONE))
        .isInstanceOf(ChorusException.class)
        .hasMessageContaining("unknown key 'chorus.spark.shufle-partitions'")
        .satisfies(e -> assertThat(((ChorusException) e).exitCode()).isEqualTo(2));
  }

  @Test
  void badValuesAreAllReportedOnOneLine() {
    assertThatThrownBy(() -> ChorusConfig.load(List.of(),
        List.of("spark.shuffle-partitions=many", "synth.groups=0", "catalog.type=hive"), ChorusConfig.Overrides.NONE))
        .isInstanceOf(ChorusException.class)
        .hasMessageContaining("chorus.spark.shuffle-partitions must be an integer")
        .hasMessageContaining("chorus.synth.groups = 0 is out of range [1, 50]")
        .hasMessageContaining("chorus.catalog.type = 'hive' is not one of [hadoop, jdbc, rest]")
        .hasMessageNotContaining("\n");
  }

  @Test
  void jdbcCatalogNeedsJdbcUrl() {
    assertThatThrownBy(() -> ChorusConfig.load(List.of(), List.of("catalog.type=jdbc"), ChorusConfig.Overrides.NONE))
        .hasMessageContaining("chorus.catalog.uri must be a jdbc: URL");
  }

  @Test
  void openMapsPassThroughToSparkAndIceberg() throws Exception {
    Path file = dir.resolve("c.conf");
    Files.writeString(file, """
        chorus.spark.conf { "spark.executor.memory" = "8g" }
        chorus.catalog { type = jdbc, uri = "jdbc:postgresql://db/x", user = u, password = secret,
          properties { "jdbc.useSSL" = "true" } }
        """);
    ChorusConfig c = ChorusConfig.load(List.of(file), List.of(), ChorusConfig.Overrides.NONE);
    assertThat(c.spark.conf).containsEntry("spark.executor.memory", "8g");
    assertThat(SparkSessions.catalogSettings(c))
        .containsEntry("spark.sql.catalog.chorus.type", "jdbc")
        .containsEntry("spark.sql.catalog.chorus.uri", "jdbc:postgresql://db/x")
        .containsEntry("spark.sql.catalog.chorus.jdbc.user", "u")
        .containsEntry("spark.sql.catalog.chorus.jdbc.useSSL", "true")
        .containsEntry("spark.sql.defaultCatalog", "chorus");
    assertThat(c.catalog.toString()).doesNotContain("secret");
  }

  @Test
  void sparkConfKeysMustBeSparkKeys() {
    assertThatThrownBy(() -> ChorusConfig.load(List.of(), List.of("spark.conf.executor.memory=8g"),
        ChorusConfig.Overrides.NONE))
        .hasMessageContaining("chorus.spark.conf key 'executor.memory' must start with spark.");
  }

  @Test
  void missingConfFileIsAUsageError() {
    assertThatThrownBy(() -> ChorusConfig.load(List.of(dir.resolve("nope.conf")), List.of(),
        ChorusConfig.Overrides.NONE))
        .hasMessageStartingWith("config file not found");
  }

  @Test
  void relativeWarehouseBecomesAnAbsoluteUri() {
    ChorusConfig c = ChorusConfig.load(List.of(), List.of(), new ChorusConfig.Overrides("wh", null));
    assertThat(c.warehouseLocation()).matches("file:/.*/wh/?");
    ChorusConfig s3 = ChorusConfig.load(List.of(), List.of("catalog.type=jdbc", "catalog.uri=jdbc:postgresql://h/db"),
        new ChorusConfig.Overrides("s3a://b/w", null));
    assertThat(s3.warehouseLocation()).isEqualTo("s3a://b/w");
  }

  @Test
  void aHadoopCatalogOnAnObjectStoreIsRefusedNamingTheSafeCatalogs() {
    for (String wh : List.of("s3a://bucket/wh", "s3://bucket/wh", "gs://bucket/wh", "abfss://c@acct.dfs/wh")) {
      assertThatThrownBy(() -> ChorusConfig.load(List.of(), List.of(), new ChorusConfig.Overrides(wh, null)))
          .isInstanceOf(ChorusException.class).hasMessageNotContaining("\n")
          .hasMessageContaining("chorus.catalog.type = hadoop is unsafe on an object store")
          .hasMessageContaining("use catalog.type = jdbc or rest");
    }
    assertThat(ChorusConfig.load(List.of(), List.of(), new ChorusConfig.Overrides("hdfs://nn:8020/wh", null))
        .warehouseLocation()).as("HDFS renames atomically").isEqualTo("hdfs://nn:8020/wh");
  }

  @Test
  void settingsGivenToSparkSubmitWinOverChorusDefaults() {
    ChorusConfig c = ChorusConfig.load(List.of(), List.of("spark.conf.\"spark.executor.memory\"=4g"),
        new ChorusConfig.Overrides("wh", null));
    org.apache.spark.SparkConf submitted = new org.apache.spark.SparkConf(false)
        .set("spark.sql.shuffle.partitions", "640").set("spark.ui.enabled", "true").set("spark.executor.memory", "16g");
    java.util.Map<String, String> chorus = SparkSessions.settings(c, "yarn", submitted);
    assertThat(chorus).doesNotContainKeys("spark.sql.shuffle.partitions", "spark.ui.enabled", "spark.executor.memory")
        .containsEntry("spark.sql.defaultCatalog", "chorus").containsEntry("spark.sql.session.timeZone", "UTC")
        .doesNotContainKey("spark.driver.host");
    assertThat(SparkSessions.settings(c, "local[2]", new org.apache.spark.SparkConf(false)))
        .containsEntry("spark.sql.shuffle.partitions", "8").containsEntry("spark.ui.enabled", "false")
        .containsEntry("spark.executor.memory", "4g").containsEntry("spark.driver.host", "127.0.0.1");
  }
}
