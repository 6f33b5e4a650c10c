package org.chorus.prompts;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.min;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Connected components of an undirected graph in Spark, by min-label propagation with pointer jumping: every node
 * starts labelled by itself; each round a node takes the smallest label among itself and its neighbours, then the
 * label of its label. At the fixed point neighbours share a label, so each component is labelled by its smallest node
 * (string order). Rounds grow with the log of the component diameter; each is one join of the edges and one of the
 * labels, cut from the lineage by a local checkpoint.
 */
public final class ConnectedComponents {
  static final int MAX_ROUNDS = 200;

  private ConnectedComponents() {}

  /** @param edges columns a, b (strings); returns (node, component) for every node on an edge */
  public static Dataset<Row> of(Dataset<Row> edges) {
    Dataset<Row> directed = edges.select(col("a").as("src"), col("b").as("dst"))
        .union(edges.select(col("b").as("src"), col("a").as("dst"))).localCheckpoint();
    Dataset<Row> labels = directed.select(col("src").as("node")).distinct().withColumn("label", col("node"))
        .localCheckpoint();
    for (int round = 0; round < MAX_ROUNDS; round++) {
      Dataset<Row> neighbourMin = directed.join(labels, directed.col("dst").equalTo(labels.col("node")))
          .groupBy(col("src")).agg(min("label").as("m"));
      Dataset<Row> propagated = labels.join(neighbourMin, labels.col("node").equalTo(neighbourMin.col("src")))
          .select(col("node"), col("label").as("old"), least(col("label"), col("m")).as("label"));
      Dataset<Row> jumped = propagated.as("x").join(propagated.as("y"), col("x.label").equalTo(col("y.node")), "left")
          .select(col("x.node").as("node"), col("x.old").as("old"),
              least(col("x.label"), coalesce(col("y.label"), col("x.label"))).as("label"))
          .localCheckpoint();
      boolean changed = !jumped.filter(col("label").notEqual(col("old"))).limit(1).isEmpty();
      labels = jumped.select("node", "label");
      if (!changed) {
        return labels.withColumnRenamed("label", "component");
      }
    }
    throw new IllegalStateException("connected components did not converge in " + MAX_ROUNDS + " rounds");
  }
}
