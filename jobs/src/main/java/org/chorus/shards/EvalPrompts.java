package org.chorus.shards;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.chorus.core.ChorusException;
import org.chorus.core.io.SourceFiles;

/**
 * The prompts of evaluation sets to keep out of training data: JSONL (.gz ok) or Parquet files with a {@code prompt}
 * column (text, or a list of {role, content} messages), else TRL's implicit prompt (the {@code chosen} text up to
 * and including its last "Assistant:" turn), else {@code question} or {@code text}.
 */
final class EvalPrompts {
  private EvalPrompts() {}

  static List<String> read(SparkSession spark, List<String> paths) {
    List<String> out = new ArrayList<>();
    for (String path : paths) {
      List<String> files = SourceFiles.expand(path, spark.sparkContext().hadoopConfiguration());
      String lower = path.toLowerCase(Locale.ROOT);
      Dataset<Row> df = lower.endsWith(".parquet") || lower.endsWith(".parq")
          ? spark.read().parquet(files.toArray(new String[0]))
          : spark.read().option("mode", "FAILFAST").json(files.toArray(new String[0]));
      List<String> cols = List.of(df.columns());
      Dataset<Row> prompts;
      if (cols.contains("prompt")) {
        prompts = typeOf(df, "prompt") instanceof ArrayType
            ? df.select(org.apache.spark.sql.functions.concat_ws("\n\n",
                col("prompt").getField("content")).as("p"))
            : df.select(col("prompt").cast(DataTypes.StringType).as("p"));
      } else if (cols.contains("chosen")) {
        prompts = df.select(org.apache.spark.sql.functions.expr(
            "substring(chosen, 1, length(chosen) - locate(':tnatsissA', reverse(chosen)) + 1)").as("p"));
      } else if (cols.contains("question") || cols.contains("text")) {
        prompts = df.select(col(cols.contains("question") ? "question" : "text").cast(DataTypes.StringType).as("p"));
      } else {
        throw ChorusException.badInput("--exclude %s: no prompt, chosen, question or text column (columns: %s)", path,
            cols);
      }
      for (Row r : prompts.filter(col("p").isNotNull()).distinct().collectAsList()) {
        out.add(r.getString(0));
      }
    }
    out.sort(null);
    return out;
  }

  private static org.apache.spark.sql.types.DataType typeOf(Dataset<Row> df, String column) {
    return df.schema().apply(column).dataType();
  }
}
