package org.chorus.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StagedDirectoryTest {
  @TempDir Path tmp;
  final Configuration conf = new Configuration();

  private String write(StagedDirectory stage, String name, String text) throws Exception {
    TextFiles.write(stage.path() + "/" + name, text, conf);
    return text;
  }

  private String[] siblings() throws Exception {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().toArray(String[]::new);
    }
  }

  @Test
  void publishSwapsTheWholeDirectoryAndLeavesNothingBeside() throws Exception {
    Path out = tmp.resolve("shards");
    try (StagedDirectory stage = StagedDirectory.beside(out.toString(), conf)) {
      write(stage, "data/a.txt", "one");
      write(stage, "manifest.json", "v1");
      assertThat(out).doesNotExist();
      stage.publish();
    }
    try (StagedDirectory stage = StagedDirectory.beside(out.toString(), conf)) {
      write(stage, "data/b.txt", "two");
      write(stage, "manifest.json", "v2");
      assertThat(Files.readString(out.resolve("manifest.json"))).as("untouched until publish").isEqualTo("v1");
      stage.publish();
    }
    assertThat(Files.readString(out.resolve("manifest.json"))).isEqualTo("v2");
    assertThat(out.resolve("data/a.txt")).as("no file of the previous version is left").doesNotExist();
    assertThat(siblings()).containsExactly("shards");
  }

  @Test
  void aRunThatFailsBeforePublishLeavesThePreviousVersionAndNoStagingFiles() throws Exception {
    Path out = tmp.resolve("shards");
    try (StagedDirectory stage = StagedDirectory.beside(out.toString(), conf)) {
      write(stage, "manifest.json", "v1");
      stage.publish();
    }
    assertThatThrownBy(() -> {
      try (StagedDirectory stage = StagedDirectory.beside(out.toString(), conf)) {
        write(stage, "manifest.json", "half");
        throw new IllegalStateException("killed");
      }
    }).hasMessage("killed");
    assertThat(Files.readString(out.resolve("manifest.json"))).isEqualTo("v1");
    assertThat(siblings()).containsExactly("shards");
  }

  @Test
  void aTargetLostBetweenTheTwoRenamesIsRestoredByTheNextRun() throws Exception {
    Path out = tmp.resolve("shards");
    Path previous = tmp.resolve(".shards.previous-0000");
    Files.createDirectories(previous);
    Files.writeString(previous.resolve("manifest.json"), "v1");
    try (StagedDirectory stage = StagedDirectory.beside(out.toString(), conf)) {
      assertThat(Files.readString(out.resolve("manifest.json"))).isEqualTo("v1");
    }
    assertThat(siblings()).containsExactly("shards");
  }
}
