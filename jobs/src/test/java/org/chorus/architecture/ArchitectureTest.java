package org.chorus.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code, read from {@code jobs/src/main}: capabilities talk through tables and never import each
 * other; shared packages import no capability; every job's {@code run} (and every {@code call}) fits on a screen.
 */
class ArchitectureTest {
  static final Path MAIN = Path.of("src/main/java/org/chorus");
  /** Packages every capability may use: plumbing, shared math and text, shared preference-pair logic. */
  static final Set<String> SHARED = Set.of("core", "math", "text", "preferences");
  /** The wiring: the command line (demo, sql, tables) and the benchmarks know every capability. */
  static final Set<String> WIRING = Set.of("cli", "bench");
  static final Pattern IMPORT = Pattern.compile("^import (?:static )?org\\.chorus\\.([a-z]+)\\.", Pattern.MULTILINE);
  static final Pattern RUN_OR_CALL = Pattern.compile(
      "^\\s*(?:@\\w+\\s+)?(?:(?:public|protected|private|static|final|synchronized)\\s+)*[\\w<>\\[\\],.? ]+\\s+"
          + "(run|call)\\s*\\([^;]*$");

  static List<String> packages() throws IOException {
    try (Stream<Path> dirs = Files.list(MAIN)) {
      return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  static List<Path> sources(String pkg) throws IOException {
    try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
      return files.filter(f -> f.toString().endsWith(".java")).sorted().toList();
    }
  }

  @Test
  void capabilitiesNeverImportEachOther() throws IOException {
    List<String> capabilities = packages().stream().filter(p -> !SHARED.contains(p) && !WIRING.contains(p)).toList();
    assertThat(capabilities).contains("opinions", "weights", "panel", "aggregate", "policy", "reward", "shards",
        "prompts", "report", "synth", "ingest", "forget");
    List<String> violations = new ArrayList<>();
    for (String pkg : packages()) {
      if (WIRING.contains(pkg)) {
        continue;
      }
      for (Path f : sources(pkg)) {
        Matcher m = IMPORT.matcher(Files.readString(f));
        while (m.find()) {
          String imported = m.group(1);
          boolean capability = capabilities.contains(imported);
          if (!imported.equals(pkg) && (capability || WIRING.contains(imported))) {
            violations.add(MAIN.relativize(f) + " imports org.chorus." + imported);
          }
        }
      }
    }
    assertThat(violations).as("capabilities talk through tables; shared packages import no capability").isEmpty();
  }

  @Test
  void runAndCallMethodsAreAtMostSixtyLines() throws IOException {
    Set<String> tooLong = new TreeSet<>();
    for (String pkg : packages()) {
      for (Path f : sources(pkg)) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          Matcher m = RUN_OR_CALL.matcher(lines.get(i));
          if (!m.find() || lines.get(i).trim().startsWith("return ")) {
            continue;
          }
          int length = methodLength(lines, i);
          if (length > 60) {
            tooLong.add(MAIN.relativize(f) + ":" + (i + 1) + " " + m.group(1) + " has " + length + " lines");
          }
        }
      }
    }
    assertThat(tooLong).isEmpty();
  }

  /** Lines from the declaration to its closing brace (braces in strings and chars ignored). */
  static int methodLength(List<String> lines, int start) {
    int depth = 0;
    boolean opened = false;
    for (int j = start; j < lines.size(); j++) {
      String code = lines.get(j).replaceAll("\"(?:\\\\.|[^\"\\\\])*\"|'(?:\\\\.|[^'\\\\])*'", "")
          .replaceAll("//.*$", "");
      for (char c : code.toCharArray()) {
        if (c == '{') {
          depth++;
          opened = true;
        } else if (c == '}') {
          depth--;
        }
      }
      if (opened && depth == 0) {
        return j - start + 1;
      }
    }
    return 0;
  }

  @Test
  void theLengthCheckSeesALongMethod() {
    List<String> method = new ArrayList<>(List.of("  public Result run(JobContext job, Options o) {"));
    for (int i = 0; i < 60; i++) {
      method.add("    step(\"{\");");
    }
    method.add("  }");
    assertThat(RUN_OR_CALL.matcher(method.get(0)).find()).isTrue();
    assertThat(methodLength(method, 0)).isEqualTo(62);
  }
}
