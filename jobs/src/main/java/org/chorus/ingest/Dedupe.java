package org.chorus.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat_ws;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;

import java.sql.Timestamp;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.expressions.Window;

/** Keeps the first row per key (in input order) and returns the later duplicates separately. */
public record Dedupe(Dataset<Row> kept, Dataset<Row> duplicates, String[] keys) {
  public static Dedupe firstByOrder(Dataset<Row> rows, String orderColumn, String... keys) {
    Column[] keyCols = new Column[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keyCols[i] = col(keys[i]);
    }
    Dataset<Row> ranked = rows.withColumn("_rank",
        row_number().over(Window.partitionBy(keyCols).orderBy(col(orderColumn))));
    return new Dedupe(ranked.filter(col("_rank").equalTo(1)).drop("_rank"),
        ranked.filter(col("_rank").gt(1)).drop("_rank"), keys);
  }

  /** The duplicates as input.quarantine rows (they must carry {@code _raw}). */
  public Dataset<Row> quarantineRows(QuarantineContext ctx, String source, String targetTable) {
    Column[] keyCols = new Column[keys.length];
    for (int i = 0; i < keys.length; i++) {
      keyCols[i] = col(keys[i]).cast("string");
    }
    return duplicates.select(lit(ctx.scope()).as("scope"), lit(source).as("source"),
        lit(targetTable).as("target_table"), lit(null).cast("string").as("location"),
        concat_ws("", lit("duplicate key (" + String.join(", ", keys) + ") = ("), concat_ws(", ", keyCols), lit(")"))
            .as("reason"),
        col("_raw").as("raw"), lit(new Timestamp(ctx.ingestedAtMillis())).as("ingested_at"));
  }
}
