package org.chorus.core;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.udf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.apache.iceberg.Snapshot;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.chorus.SparkTestBase;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;
import org.chorus.core.tables.WriteResult;
import org.junit.jupiter.api.Test;

class ChorusTablesTest extends SparkTestBase {
  private static final TableSpec PROMPTS = TableSchemas.input("prompts");

  private static Dataset<Row> prompts(String dataset, int n) {
    List<Row> rows = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      rows.add(RowFactory.create(dataset, "p" + i, "text " + i, "test"));
    }
    return spark.createDataFrame(rows, PROMPTS.schema());
  }

  @Test
  void replaceTouchesOnlyItsOwnId() {
    RunContext run = new RunContext("test", "a");
    tables.replace(run, PROMPTS, prompts("a", 3), List.of("a"));
    tables.replace(run, PROMPTS, prompts("b", 2), List.of("b"));
    WriteResult again = tables.replace(run, PROMPTS, prompts("a", 1), List.of("a"));
    assertThat(again.deletedRecords()).isEqualTo(3);
    assertThat(again.addedRecords()).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM input.prompts WHERE dataset_id = 'a'")).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM input.prompts WHERE dataset_id = 'b'")).isEqualTo(2);
  }

  @Test
  void aFailedWriteLeavesTheTableAsItWas() {
    RunContext run = new RunContext("test", "f");
    tables.replace(run, PROMPTS, prompts("f", 4), List.of("f"));
    long before = tables.load("input.prompts").currentSnapshot().snapshotId();
    UserDefinedFunction explode = udf((UDF1<String, String>) s -> {
      if (s.equals("p7")) {
        throw new IllegalStateException("boom in the middle of the job");
      }
      return s;
    }, DataTypes.StringType);
    Dataset<Row> failing = prompts("f", 10).withColumn("prompt_id", explode.apply(col("prompt_id")));
    assertThatThrownBy(() -> tables.replace(run, PROMPTS, failing, List.of("f")))
        .hasMessageContaining("write to input.prompts failed");
    assertThat(tables.load("input.prompts").currentSnapshot().snapshotId()).isEqualTo(before);
    assertThat(count("SELECT count(*) FROM input.prompts WHERE dataset_id = 'f'")).isEqualTo(4);
  }

  @Test
  void requiredColumnsRejectNulls() {
    RunContext run = new RunContext("test", "n");
    org.apache.spark.sql.types.StructType loose = new org.apache.spark.sql.types.StructType()
        .add("dataset_id", DataTypes.StringType).add("prompt_id", DataTypes.StringType, true)
        .add("text", DataTypes.StringType).add("source", DataTypes.StringType);
    Dataset<Row> withNull = spark.createDataFrame(List.of(RowFactory.create("n", null, "t", "s")), loose);
    assertThatThrownBy(() -> tables.replace(run, PROMPTS, withNull, List.of("n")))
        .hasMessageContaining("prompt_id");
    assertThat(count("SELECT count(*) FROM input.prompts WHERE dataset_id = 'n'")).isZero();
  }

  @Test
  void olderTablesGainTheColumnsANewerSchemaAdds() {
    org.apache.spark.sql.types.StructType v1 = new org.apache.spark.sql.types.StructType()
        .add("conversation_id", DataTypes.StringType, false).add("a", DataTypes.LongType, true);
    tables.ensure("derived.evolving", v1, List.of("conversation_id"), "test");
    TableSpec v2 = new TableSpec("derived.evolving", v1.add("b", DataTypes.DoubleType, true), "conversation_id",
        List.of("conversation_id"), List.of("conversation_id"), Map.of(), "test");
    tables.replace(new RunContext("test", "e"), v2,
        spark.createDataFrame(List.of(RowFactory.create("e", 1L, 2.5)), v2.schema()), List.of("e"));
    assertThat(spark.table("derived.evolving").columns()).containsExactly("conversation_id", "a", "b");
    assertThat(spark.sql("SELECT b FROM derived.evolving").first().getDouble(0)).isEqualTo(2.5);
  }

  @Test
  void commitsRecordJobRunAndTheSnapshotsRead() {
    RunContext first = new RunContext("writer", "l");
    WriteResult source = tables.replace(first, PROMPTS, prompts("l", 2), List.of("l"));
    RunContext second = new RunContext("reader", "l");
    Dataset<Row> read = tables.read(second, "input.prompts").filter(col("dataset_id").equalTo("l"));
    assertThat(second.reads()).containsEntry("input.prompts", source.snapshotId());
    tables.replace(second, TableSchemas.input("responses"),
        read.selectExpr("dataset_id", "prompt_id", "concat(prompt_id, '-r') AS response_id", "text", "'m' AS model"),
        List.of("l"));
    Snapshot s = tables.load("input.responses").currentSnapshot();
    Map<String, String> summary = s.summary();
    assertThat(summary).containsEntry("chorus.job", "reader").containsEntry("chorus.run-id", second.runId())
        .containsEntry("chorus.scope", "l").containsEntry("chorus.reads", "input.prompts@" + source.snapshotId());
    assertThat(summary.get("added-records")).isEqualTo("2");
  }

  @Test
  void rowsThatDoNotFitTheSchemaAreRejectedByName() {
    org.apache.spark.sql.types.StructType schema = new org.apache.spark.sql.types.StructType()
        .add("a", org.apache.spark.sql.types.DataTypes.StringType, false)
        .add("b", org.apache.spark.sql.types.DataTypes.StringType, true);
    assertThatThrownBy(() -> ChorusTables.conform(spark.sql("SELECT 'x' AS a, 'y' AS renamed"), schema))
        .hasMessageContaining("columns it lacks [renamed]");
    assertThatThrownBy(() -> ChorusTables.conform(spark.sql("SELECT 'y' AS b"), schema))
        .hasMessageContaining("required columns missing [a]");
    assertThat(ChorusTables.conform(spark.sql("SELECT 'x' AS a"), schema).columns()).containsExactly("a", "b");
  }
}
