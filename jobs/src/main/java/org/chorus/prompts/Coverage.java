package org.chorus.prompts;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.mllib.linalg.SparseVector;
import org.chorus.text.MinHash;
import scala.Tuple2;
import scala.Tuple3;

/**
 * Which topics exercise which policy rules: a prompt exercises a rule when the cosine similarity of their TF-IDF
 * vectors (the corpus's vocabulary and weights; words the prompts never use do not count) reaches the threshold.
 */
public final class Coverage {
  private Coverage() {}

  /** One (rule, topic) pair with the distinct prompts of the topic that exercise the rule, and their mean cosine. */
  public record RuleTopic(int rule, int topic, long prompts, double meanSimilarity) {
    public String describe() {
      return String.format("topic %d: %,d prompts (mean cosine %.2f)", topic, prompts, meanSimilarity);
    }
  }

  /** @param ruleTexts the policy's rules in order; {@link RuleTopic#rule()} is an index into them */
  public static List<RuleTopic> rules(List<String> ruleTexts, Topics.Result topics, double threshold) {
    Vectoriser v = topics.vectoriser();
    List<SparseVector> rules = new ArrayList<>();
    for (String text : ruleTexts) {
      rules.add(v.tfidf(MinHash.normalise(text)));
    }
    JavaPairRDD<String, Tuple3<Integer, Double, SparseVector>> vectors = topics.vectors();
    Map<Tuple2<Integer, Integer>, Tuple2<Long, Double>> matches = vectors.values()
        .flatMapToPair(t -> {
          List<Tuple2<Tuple2<Integer, Integer>, Tuple2<Long, Double>>> out = new ArrayList<>();
          for (int r = 0; r < rules.size(); r++) {
            double s = t._3().dot(rules.get(r));
            if (s >= threshold && s > 0) {
              out.add(new Tuple2<>(new Tuple2<>(r, t._1()), new Tuple2<>(1L, s)));
            }
          }
          return out.iterator();
        })
        .reduceByKey((a, b) -> new Tuple2<>(a._1() + b._1(), a._2() + b._2()))
        .collectAsMap();
    List<RuleTopic> out = new ArrayList<>();
    matches.forEach((k, m) -> out.add(new RuleTopic(k._1(), k._2(), m._1(), m._2() / m._1())));
    out.sort((a, b) -> a.rule() != b.rule() ? Integer.compare(a.rule(), b.rule())
        : Long.compare(b.prompts(), a.prompts()));
    return out;
  }
}
