package org.chorus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad option of any job is a one-line error with exit 2, reported before Spark starts: in-process, without a
 * SparkSession, no session exists afterwards, and each answer takes well under 3 seconds.
 */
class OptionsBeforeSparkTest {
  @TempDir
  Path tmp;

  record Case(String[] args, String mustMention) {}

  static Case bad(String mention, String... args) {
    return new Case(args, mention);
  }

  @Test
  void everyJobRejectsABadOptionWithoutStartingSpark() {
    List<Case> cases = List.of(
        bad("--max-groups must be in [2, 50], got 0", "opinions", "--conversation", "x", "--max-groups", "0"),
        bad("--cap must be greater than 1, got 0.5", "weights", "--margins", "m.csv", "--population", "p", "--cap",
            "0.5"),
        bad("--size must be at least 1, got 0", "panel", "--pool", "p", "--size", "0"),
        bad("--method must be leximin, maximin, nash or legacy, got 'best'", "panel", "--pool", "p", "--size", "3",
            "--method", "best"),
        bad("unknown method 'nonsense'", "aggregate", "--dataset", "d", "--methods", "bt,nonsense"),
        bad("--threshold must be within [0, 1], got 2.0", "policy", "--conversation", "c", "--rule", "gic",
            "--threshold", "2"),
        bad("--format must be one of trl, hidden-context, generic, got 'xml'", "ingest", "comparisons", "--input",
            "f.jsonl", "--format", "xml", "--dataset", "d"),
        bad("--input must not be empty", "ingest", "polis", "--input", " ", "--conversation", "c"),
        bad("--format must be one of jsonl, csv, parquet, got 'xls'", "ingest", "table", "--table", "votes",
            "--input", "f", "--format", "xls"),
        bad("--pool must not be empty", "ingest", "sortition", "--respondents", "r.csv", "--categories", "c.csv",
            "--pool", ""),
        bad("--participants must be at least 1, got 0", "synth", "--participants", "0"),
        bad("--device must be one of auto, cpu, gpu, got 'tpu'", "score", "--model", "m", "--dataset", "d",
            "--device", "tpu"),
        bad("--epochs and --batch-size must be positive, got 0 and 64", "reward", "train", "--dataset", "d", "--out",
            "m", "--epochs", "0"),
        bad("--split must be one of test, train, all, got 'dev'", "reward", "eval", "--model", "m", "--dataset", "d",
            "--split", "dev"),
        bad("--shard-rows must be at least 1, got 0", "shards", "--dataset", "d", "--out", "o", "--shard-rows", "0"),
        bad("--clusters must be at least 2, got 1", "prompts", "--dataset", "d", "--clusters", "1"),
        bad("--out must not be empty", "report", "--out", " "),
        bad("--participant must not be empty", "forget", "--participant", ""),
        bad("--output must be text or json, got 'xml'", "--output", "xml", "opinions", "--conversation", "x"),
        bad("--run-id must be", "--run-id", "two words", "opinions", "--conversation", "x"),
        bad("chorus.opinions.max-groups = 1 is out of range", "--set", "opinions.max-groups=1", "opinions",
            "--conversation", "x"));
    for (Case c : cases) {
      List<String> args = new ArrayList<>(List.of("--warehouse", tmp.resolve("warehouse").toString()));
      args.addAll(List.of(c.args()));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      long t0 = System.nanoTime();
      int code = Chorus.execute(args.toArray(new String[0]), null, new PrintStream(out, true, StandardCharsets.UTF_8),
          new PrintStream(err, true, StandardCharsets.UTF_8));
      double seconds = (System.nanoTime() - t0) / 1e9;
      String message = err.toString(StandardCharsets.UTF_8);
      assertThat(code).as(String.join(" ", c.args()) + ": " + message).isEqualTo(2);
      assertThat(message.trim().split("\n")).as(message).hasSize(1);
      assertThat(message).startsWith("chorus: ").contains(c.mustMention());
      assertThat(seconds).as(String.join(" ", c.args())).isLessThan(3.0);
      assertThat(SparkSession.getActiveSession().isEmpty() && SparkSession.getDefaultSession().isEmpty())
          .as("no SparkSession after " + String.join(" ", c.args())).isTrue();
    }
  }
}
