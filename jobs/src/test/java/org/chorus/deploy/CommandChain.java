package org.chorus.deploy;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.chorus.cli.Chorus;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.spark.SparkSessions;

/**
 * A process the kill test starts and kills: several chorus command lines, one after another, in one JVM and one
 * Spark session (as a scheduler's chain of jobs, without a JVM start per job). Usage: {@code CommandChain WAREHOUSE
 * [--set=KEY=VALUE]... CMD... [;; CMD...]...}; exits with the first non-zero exit code.
 */
public final class CommandChain {
  private CommandChain() {}

  /**
   * Starts a chain in a JVM of its own (the test's class path and JVM options), its output appended to {@code log}.
   *
   * @param settings config KEY=VALUE pairs
   */
  static Process start(Path log, String warehouse, List<String> settings, List<List<String>> commands,
      String... jvmOptions) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("--add-exports") || a.startsWith("-Dchorus.log")) {
        cmd.add(a);
      }
    }
    cmd.add("-Xmx2g");
    cmd.addAll(List.of(jvmOptions));
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), CommandChain.class.getName(), warehouse));
    settings.forEach(kv -> cmd.add("--set=" + kv));
    for (int i = 0; i < commands.size(); i++) {
      if (i > 0) {
        cmd.add(";;");
      }
      cmd.addAll(commands.get(i));
    }
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
        log.toFile())).start();
  }

  /** The last lines of a chain log, for a failure message. */
  static String tail(Path log) {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(no log)";
    }
  }

  public static void main(String[] args) {
    List<String> settings = new ArrayList<>(List.of("spark.shuffle-partitions=2", "ingest.partitions=2"));
    int first = 1;
    while (first < args.length && args[first].startsWith("--set=")) {
      settings.add(args[first++].substring("--set=".length()));
    }
    ChorusConfig config = ChorusConfig.load(List.of(), settings, new ChorusConfig.Overrides(args[0], "local[2]"));
    SparkSession spark = SparkSessions.create(config, true);
    List<List<String>> commands = new ArrayList<>();
    commands.add(new ArrayList<>());
    for (String a : Arrays.asList(args).subList(first, args.length)) {
      if (a.equals(";;")) {
        commands.add(new ArrayList<>());
      } else {
        commands.get(commands.size() - 1).add(a);
      }
    }
    for (List<String> c : commands) {
      int code = Chorus.execute(c.toArray(String[]::new), spark, System.out, System.err);
      if (code != 0) {
        Runtime.getRuntime().halt(code);
      }
    }
    spark.stop();
  }
}
