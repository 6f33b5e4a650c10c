package org.chorus.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Keeps the first row per key (by source line) and returns the later duplicates separately. */
public record Dedupe(Dataset<Row> kept, Dataset<Row> duplicates) {
  public static Dedupe firstByLine(Dataset<Row> rows, String lineColumn, String... keys) {
    Column[] keyCols = new Column[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keyCols[i] = col(keys[i]);
    }
    Dataset<Row> ranked = rows.withColumn("_rank",
        row_number().over(Window.partitionBy(keyCols).orderBy(col(lineColumn))));
    return new Dedupe(ranked.filter(col("_rank").equalTo(1)).drop("_rank"),
        ranked.filter(col("_rank").gt(1)).drop("_rank"));
  }
}
