package org.chorus.deploy;

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
 * CMD... [;; CMD...]...}; exits with the first non-zero exit code.
 */
public final class CommandChain {
  private CommandChain() {}

  public static void main(String[] args) {
    ChorusConfig config = ChorusConfig.load(List.of(), List.of("spark.shuffle-partitions=2", "ingest.partitions=2"),
        new ChorusConfig.Overrides(args[0], "local[2]"));
    SparkSession spark = SparkSessions.create(config, true);
    List<List<String>> commands = new ArrayList<>();
    commands.add(new ArrayList<>());
    for (String a : Arrays.asList(args).subList(1, args.length)) {
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
