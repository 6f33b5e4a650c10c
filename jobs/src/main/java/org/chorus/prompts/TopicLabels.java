package org.chorus.prompts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.udf;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF4;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * What each topic is about: its top terms by class-based TF-IDF (BERTopic's c-TF-IDF: the term's share of the
 * topic's words times ln(1 + A / f), A the mean number of words per topic and f the term's count in all topics),
 * counted on a seeded sample, and its representative prompts, the ones closest to the topic's centre.
 */
public final class TopicLabels {
  private TopicLabels() {}

  public record Label(List<String> terms, List<String> representatives) {}

  /** c-TF-IDF weight of a term: (count in topic / words in topic) * ln(1 + mean words per topic / count overall). */
  public static Double weight(Long termInTopic, Long topicWords, Double meanTopicWords, Long termOverall) {
    return (double) termInTopic / topicWords * Math.log1p(meanTopicWords / termOverall);
  }

  /**
   * @param assigned columns key, norm, topic, similarity (topic -1 is left out)
   * @return topic -> its label
   */
  public static Map<Integer, Label> of(Dataset<Row> assigned, int terms, int representatives, int sample,
      long seed) {
    Dataset<Row> topical = assigned.filter(col("topic").geq(0));
    long n = topical.count();
    Dataset<Row> sampled = n <= sample ? topical : topical.sample(false, Math.min(1.0, 1.1 * sample / n), seed);
    UDF1<String, List<String>> tokenise = Vectoriser::tokens;
    Dataset<Row> counts = sampled
        .select(col("topic"), explode(udf(tokenise, DataTypes.createArrayType(DataTypes.StringType))
            .apply(col("norm"))).as("term"))
        .groupBy("topic", "term").agg(count(lit(1)).as("tf"));
    Dataset<Row> topicWords = counts.groupBy("topic").agg(sum("tf").as("topic_words"));
    Dataset<Row> termOverall = counts.groupBy("term").agg(sum("tf").as("overall"));
    Row totals = topicWords.selectExpr("sum(topic_words)", "count(*)").first();
    double meanTopicWords = totals.isNullAt(0) ? 0 : (double) totals.getLong(0) / totals.getLong(1);
    List<Row> top = counts.join(topicWords, "topic").join(termOverall, "term")
        .withColumn("w", udf((UDF4<Long, Long, Double, Long, Double>) TopicLabels::weight, DataTypes.DoubleType)
            .apply(col("tf"), col("topic_words"), lit(meanTopicWords), col("overall")))
        .withColumn("r", row_number().over(Window.partitionBy("topic").orderBy(col("w").desc(), col("term"))))
        .filter(col("r").leq(terms)).select("topic", "term").orderBy("topic", "r").collectAsList();
    List<Row> reps = topical
        .withColumn("r", row_number().over(Window.partitionBy("topic").orderBy(col("similarity").desc(), col("key"))))
        .filter(col("r").leq(representatives)).select("topic", "key").orderBy("topic", "r").collectAsList();
    Map<Integer, Label> out = new TreeMap<>();
    for (Row r : top) {
      out.computeIfAbsent(r.getInt(0), t -> new Label(new ArrayList<>(), new ArrayList<>())).terms().add(r.getString(1));
    }
    for (Row r : reps) {
      out.computeIfAbsent(r.getInt(0), t -> new Label(new ArrayList<>(), new ArrayList<>())).representatives()
          .add(NaturalKey.id(r.getString(1)));
    }
    return out;
  }
}
