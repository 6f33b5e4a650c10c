package org.chorus.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher as a scheduler runs it: never building under CHORUS_NO_BUILD=1, and a log that rolls over. */
class LauncherIT {
  @TempDir
  Path tmp;

  record Run(int code, String output) {}

  private Run launch(Path launcher, Map<String, String> env, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(launcher.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(tmp.resolve("out.log").toFile());
    b.environment().putAll(env);
    Process p = b.start();
    assertThat(p.waitFor(3, TimeUnit.MINUTES)).isTrue();
    return new Run(p.exitValue(), Files.readString(tmp.resolve("out.log")));
  }

  @Test
  void noBuildNeverBuildsAndSaysWhatToDoWhenNothingIsBuilt() throws Exception {
    Path checkout = tmp.resolve("checkout");
    Files.createDirectories(checkout);
    Files.copy(SparkStandalone.ROOT.resolve("chorus"), checkout.resolve("chorus"));
    checkout.resolve("chorus").toFile().setExecutable(true);
    Run r = launch(checkout.resolve("chorus"), Map.of("CHORUS_NO_BUILD", "1"), "tables");
    assertThat(r.code()).isEqualTo(1);
    assertThat(r.output().strip()).doesNotContain("\n")
        .contains("not built and CHORUS_NO_BUILD=1: build once with 'mvn -B -DskipTests package'");
    assertThat(checkout.resolve("target/build.log")).as("no build was tried").doesNotExist();
  }

  @Test
  void theLogRollsOverAndKeepsFiveOldFiles() throws Exception {
    Path logs = tmp.resolve("logs");
    Map<String, String> env = Map.of("CHORUS_NO_BUILD", "1", "CHORUS_CDS", "0", "CHORUS_HEAP", "1g",
        "CHORUS_LOG_DIR", logs.toString(), "CHORUS_JAVA_OPTS", "-Dchorus.log.max-size=2KB");
    Run r = launch(SparkStandalone.ROOT.resolve("chorus"), env, "--warehouse", tmp.resolve("wh").toString(),
        "synth", "--participants", "100", "--statements", "10", "--comparisons", "100", "--prompts", "20");
    assertThat(r.code()).as(r.output()).isZero();
    List<String> files;
    try (Stream<Path> s = Files.list(logs)) {
      files = s.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(files).contains("chorus.log", "chorus.log.1").hasSizeLessThanOrEqualTo(6)
        .allMatch(f -> f.matches("chorus\\.log(\\.[1-5])?"));
    assertThat(Files.size(logs.resolve("chorus.log.1"))).isLessThan(64 * 1024);
  }
}
