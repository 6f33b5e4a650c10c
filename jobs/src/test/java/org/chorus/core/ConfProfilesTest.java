package org.chorus.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.chorus.core.config.ChorusConfig;
import org.junit.jupiter.api.Test;

/**
 * The profiles in conf/ load as they are, and every class they name (credentials providers, FileIO, serializers)
 * exists in the versions Chorus builds with: a profile naming an AWS SDK v1 class would fail at a user's first
 * S3 read.
 */
class ConfProfilesTest {
  static final Path CONF = Paths.get(System.getProperty("chorus.project.root", "..")).resolve("conf");

  @Test
  void everyProfileLoadsAndNamesOnlyClassesThatExist() throws Exception {
    List<Path> profiles;
    try (Stream<Path> s = Files.list(CONF)) {
      profiles = s.filter(p -> p.toString().endsWith(".conf")).sorted().toList();
    }
    assertThat(profiles).extracting(p -> p.getFileName().toString())
        .contains("chorus.conf", "local.conf", "yarn.conf", "kubernetes.conf", "s3.conf");
    List<String> classes = new ArrayList<>();
    for (Path p : profiles) {
      ChorusConfig c = ChorusConfig.load(List.of(p), List.of(), new ChorusConfig.Overrides(null, null));
      for (Map.Entry<String, ConfigValue> e : c.raw().entrySet()) {
        if (e.getValue().valueType() == ConfigValueType.STRING) {
          for (String v : e.getValue().unwrapped().toString().split(",")) {
            if (v.trim().matches("([a-z][a-z0-9_]*\\.)+[A-Z][A-Za-z0-9_$]*")) {
              classes.add(v.trim());
            }
          }
        }
      }
    }
    assertThat(classes).as("the profiles name classes").contains(
        "org.apache.iceberg.hadoop.HadoopFileIO",
        "software.amazon.awssdk.auth.credentials.WebIdentityTokenFileCredentialsProvider");
    ClassLoader loader = getClass().getClassLoader();
    for (String name : classes) {
      assertThat(Class.forName(name, false, loader)).as(name).isNotNull();
    }
  }

  @Test
  void profilesForClustersTurnOnTheUiAndEventLogs() {
    for (String profile : List.of("yarn.conf", "kubernetes.conf")) {
      ChorusConfig c = ChorusConfig.load(List.of(CONF.resolve(profile)), List.of(),
          new ChorusConfig.Overrides(null, null));
      assertThat(c.spark.ui).as(profile).isTrue();
      assertThat(c.spark.conf).as(profile).containsEntry("spark.eventLog.enabled", "true")
          .containsKey("spark.eventLog.dir");
    }
  }
}
