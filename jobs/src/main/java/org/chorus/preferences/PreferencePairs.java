package org.chorus.preferences;

import static org.apache.spark.sql.functions.array_sort;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.first;
import static org.apache.spark.sql.functions.flatten;
import static org.apache.spark.sql.functions.greatest;
import static org.apache.spark.sql.functions.least;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map_from_entries;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.chorus.core.ChorusException;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;

/**
 * Labelled preference pairs of a dataset, one row per compared pair of responses to a prompt:
 * {@code prompt_id, prompt, chosen_id, chosen, rejected_id, rejected, margin, weight, group_shares, rater_ids,
 * comparison_ids}. The label is the comparisons' weighted majority (ties dropped; margin = the winner's share minus
 * the loser's), an aggregation method's winner from derived.pair_labels (margin: the method's), or for
 * {@code maxmin} the majority only where every group's majority agrees (the worst group's margin is positive).
 * {@code group_shares}: per group (rater_group, else objective) the weighted share of its votes for the chosen one.
 */
public final class PreferencePairs {
  private PreferencePairs() {}

  public static final String RAW = "majority";

  public static Dataset<Row> build(ChorusTables tables, RunContext run, String dataset, String method, String group) {
    Dataset<Row> cmp = tables.read(run, "input.comparisons").filter(col("dataset_id").equalTo(dataset)
        .and(col("choice").isin("a", "b")));
    Column grp = coalesce(col("rater_group"), col("objective"));
    if (group != null) {
      cmp = cmp.filter(grp.equalTo(group));
    }
    Dataset<Row> votes = cmp
        .withColumn("lo", least(col("response_a_id"), col("response_b_id")))
        .withColumn("hi", greatest(col("response_a_id"), col("response_b_id")))
        .withColumn("w", coalesce(col("weight"), lit(1.0)))
        .withColumn("lo_wins", col("lo").equalTo(when(col("choice").equalTo("a"), col("response_a_id"))
            .otherwise(col("response_b_id"))))
        .withColumn("lo_text", when(col("lo").equalTo(col("response_a_id")), col("response_a"))
            .otherwise(col("response_b")))
        .withColumn("hi_text", when(col("hi").equalTo(col("response_a_id")), col("response_a"))
            .otherwise(col("response_b")))
        .withColumn("grp", coalesce(grp, lit("")));
    // per pair and group, then per pair
    Dataset<Row> perGroup = votes.groupBy("prompt_id", "lo", "hi", "grp")
        .agg(first("prompt").as("prompt"), first("lo_text").as("lo_text"), first("hi_text").as("hi_text"),
            sum(when(col("lo_wins"), col("w")).otherwise(0.0)).as("lo_w"),
            sum(when(col("lo_wins"), 0.0).otherwise(col("w"))).as("hi_w"),
            collect_list(coalesce(col("rater_id"), lit(""))).as("raters"),
            collect_list(col("comparison_id")).as("ids"));
    Dataset<Row> pairs = perGroup.groupBy("prompt_id", "lo", "hi")
        .agg(first("prompt").as("prompt"), first("lo_text").as("lo_text"), first("hi_text").as("hi_text"),
            sum("lo_w").as("lo_w"), sum("hi_w").as("hi_w"),
            map_from_entries(array_sort(collect_list(when(col("grp").notEqual(""), struct(col("grp"),
                col("lo_w").divide(col("lo_w").plus(col("hi_w")))))))).as("lo_shares"),
            array_sort(org.apache.spark.sql.functions.filter(org.apache.spark.sql.functions.array_distinct(
                flatten(collect_list("raters"))), x -> x.notEqual(""))).as("rater_ids"),
            array_sort(flatten(collect_list("ids"))).as("comparison_ids"));
    Column loChosen;
    Column margin;
    String m = method == null ? RAW : method;
    switch (m) {
      case RAW, "maxmin" -> {
        pairs = pairs.filter(col("lo_w").notEqual(col("hi_w")));
        loChosen = col("lo_w").gt(col("hi_w"));
        margin = org.apache.spark.sql.functions.abs(col("lo_w").minus(col("hi_w")))
            .divide(col("lo_w").plus(col("hi_w")));
        if (m.equals("maxmin")) {
          // every group's majority agrees with the overall one: the worst group's margin is positive
          pairs = pairs.filter(org.apache.spark.sql.functions.forall(
              org.apache.spark.sql.functions.map_values(col("lo_shares")),
              s -> when(col("lo_w").gt(col("hi_w")), s.gt(0.5)).otherwise(s.lt(0.5))));
        }
      }
      default -> {
        Dataset<Row> labels = tables.read(run, "derived.pair_labels").filter(col("dataset_id").equalTo(dataset)
            .and(col("method").equalTo(method)));
        if (labels.limit(1).isEmpty()) {
          throw ChorusException.badInput("derived.pair_labels has no '%s' labels for dataset '%s': run chorus "
              + "aggregate --dataset %s --methods %s first", method, dataset, dataset, method);
        }
        Column winner = group == null ? col("winner") : col("group_labels").getItem(group);
        labels = labels.select(col("prompt_id").as("l_prompt"), least(col("item_a"), col("item_b")).as("l_lo"),
            greatest(col("item_a"), col("item_b")).as("l_hi"), winner.as("l_winner"), col("margin").as("l_margin"))
            .filter(col("l_winner").isNotNull().and(col("l_winner").notEqual("tie")));
        pairs = pairs.join(labels, col("prompt_id").equalTo(col("l_prompt")).and(col("lo").equalTo(col("l_lo")))
            .and(col("hi").equalTo(col("l_hi"))));
        loChosen = col("l_winner").equalTo(col("lo"));
        margin = coalesce(col("l_margin"), lit(0.0));
      }
    }
    Column shares = org.apache.spark.sql.functions.transform_values(col("lo_shares"),
        (k, v) -> when(loChosen, v).otherwise(lit(1.0).minus(v)));
    return pairs.select(col("prompt_id"), col("prompt"),
        when(loChosen, col("lo")).otherwise(col("hi")).as("chosen_id"),
        when(loChosen, col("lo_text")).otherwise(col("hi_text")).as("chosen"),
        when(loChosen, col("hi")).otherwise(col("lo")).as("rejected_id"),
        when(loChosen, col("hi_text")).otherwise(col("lo_text")).as("rejected"),
        margin.as("margin"), col("lo_w").plus(col("hi_w")).as("weight"), lit(m).as("method"),
        shares.as("group_shares"), col("rater_ids"), col("comparison_ids"));
  }
}
