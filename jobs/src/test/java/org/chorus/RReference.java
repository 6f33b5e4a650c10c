package org.chorus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * R as an independent reference in tests. Where R or the package is missing the test is skipped, except under CI
 * (CI=true), where .ci/run installs them and their absence is a failure.
 */
public final class RReference {
  private RReference() {}

  /** Skips the calling test (or fails it under CI) unless Rscript can load {@code rPackage}. */
  public static void require(String rPackage, String debianPackage) throws Exception {
    boolean haveR;
    try {
      haveR = new ProcessBuilder("Rscript", "-e", "library(" + rPackage + ")").redirectErrorStream(true).start()
          .waitFor() == 0;
    } catch (java.io.IOException e) {
      haveR = false;
    }
    if (!haveR) {
      assertThat("true".equals(System.getenv("CI"))).as("CI must have Rscript with " + debianPackage).isFalse();
      Assumptions.abort("Rscript with the " + rPackage + " package is not installed (" + debianPackage + ")");
    }
  }

  /** Writes {@code lines} as an R script under {@code dir}, runs it with the arguments, and fails on a non-zero exit. */
  public static void run(Path dir, List<String> lines, String... args) throws Exception {
    Path script = Files.createTempFile(dir, "reference", ".R");
    Files.writeString(script, String.join("\n", lines) + "\n");
    List<String> command = new ArrayList<>(List.of("Rscript", script.toString()));
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as(log).isZero();
  }
}
