package org.chorus.prompts;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.stddev_pop;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.when;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.chorus.core.ChorusException;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;

/**
 * Prompts at the boundary of what people (or models of them) prefer, from whatever signals the warehouse holds for
 * the dataset. Each reason's score:
 * <ul>
 *   <li>{@code group_models_disagree}: per-group reward models prefer different responses; the score is the largest
 *       share, over pairs of models, of response pairs the two order oppositely.</li>
 *   <li>{@code small_reward_margin}: a reward model's two best responses are within {@code marginSd} standard
 *       deviations of its scores on the dataset; the score is that margin in standard deviations.</li>
 *   <li>{@code methods_disagree}: aggregation methods (derived.item_scores, overall) pick different winners; the score
 *       is 1 - (methods agreeing on the most-picked winner) / methods.</li>
 *   <li>{@code groups_disagree}: groups' own labels (derived.pair_labels) prefer opposite responses of a pair; the
 *       score is the share of the prompt's compared pairs that are contested.</li>
 * </ul>
 */
public final class BoundaryCases {
  private BoundaryCases() {}

  public static final StructType ROW = new StructType().add("prompt_id", DataTypes.StringType, false)
      .add("reason", DataTypes.StringType, false).add("score", DataTypes.DoubleType, false)
      .add("detail", DataTypes.StringType, true);

  /** The boundary rows and, per signal, whether it was available and what it used. */
  public record Result(Dataset<Row> rows, Map<String, String> signals) {}

  public static Result find(ChorusTables tables, RunContext run, String dataset, List<String> groupModels,
      String marginModel, double marginSd) {
    Map<String, String> signals = new TreeMap<>();
    List<Dataset<Row>> parts = new ArrayList<>();
    Dataset<Row> scores = tables.exists("derived.rm_scores")
        ? tables.read(run, "derived.rm_scores").filter(col("dataset_id").equalTo(dataset)) : null;
    List<String> scored = scores == null ? List.of()
        : scores.select("model_id").distinct().orderBy("model_id").as(Encoders.STRING()).collectAsList();

    if (groupModels.size() >= 2) {
      for (String m : groupModels) {
        if (!scored.contains(m)) {
          throw ChorusException.badInput("model %s has no scores for dataset '%s' in derived.rm_scores: run chorus "
              + "score --model DIR --dataset %s first", m, dataset, dataset);
        }
      }
      parts.add(groupModelsDisagree(scores.filter(col("model_id").isin(groupModels.toArray()))));
      signals.put("group_models_disagree", "models " + String.join(", ", groupModels));
    } else {
      signals.put("group_models_disagree", "not available: give two or more per-group models (--group-models)");
    }

    String margin = marginModel != null ? marginModel : scored.size() == 1 ? scored.get(0) : null;
    if (margin != null) {
      ChorusException.checkUsage(scored.contains(margin), "model %s has no scores for dataset '%s'", margin, dataset);
      parts.add(smallMargins(scores.filter(col("model_id").equalTo(margin)), margin, marginSd));
      signals.put("small_reward_margin", "model " + margin + ", margin <= " + marginSd + " sd");
    } else {
      signals.put("small_reward_margin", scored.isEmpty() ? "not available: no reward model scored this dataset"
          : "not available: " + scored.size() + " models scored this dataset; choose one with --margin-model");
    }

    Dataset<Row> items = tables.exists("derived.item_scores")
        ? tables.read(run, "derived.item_scores").filter(col("dataset_id").equalTo(dataset)
            .and(col("group_id").equalTo("all"))) : null;
    if (items != null && !items.limit(1).isEmpty()) {
      parts.add(methodsDisagree(items));
      signals.put("methods_disagree", "derived.item_scores (chorus aggregate)");
    } else {
      signals.put("methods_disagree", "not available: run chorus aggregate --dataset " + dataset);
    }

    Dataset<Row> labels = tables.exists("derived.pair_labels")
        ? tables.read(run, "derived.pair_labels").filter(col("dataset_id").equalTo(dataset)) : null;
    List<String> methods = labels == null ? List.of()
        : labels.select("method").distinct().orderBy("method").as(Encoders.STRING()).collectAsList();
    boolean grouped = labels != null && !labels.filter("size(group_labels) >= 2").limit(1).isEmpty();
    if (grouped) {
      String method = methods.contains("winrate") ? "winrate" : methods.get(0);
      parts.add(groupsDisagree(labels.filter(col("method").equalTo(method))));
      signals.put("groups_disagree", "derived.pair_labels, method " + method);
    } else {
      signals.put("groups_disagree", labels == null || methods.isEmpty()
          ? "not available: run chorus aggregate --dataset " + dataset
          : "not available: the comparisons have fewer than two groups");
    }
    Dataset<Row> rows = parts.stream().reduce(Dataset::unionByName)
        .orElseGet(() -> tables.spark().createDataFrame(List.of(), ROW));
    return new Result(rows, signals);
  }

  // ---- the measures (pure) ----

  /** Share of the pairs (i < j) that a and b order strictly oppositely. */
  public static double discordance(double[] a, double[] b) {
    int pairs = 0;
    int discordant = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = i + 1; j < a.length; j++) {
        pairs++;
        if ((a[i] - a[j]) * (b[i] - b[j]) < 0) {
          discordant++;
        }
      }
    }
    return pairs == 0 ? 0 : (double) discordant / pairs;
  }

  /**
   * Models' scores of one prompt's responses (model -> response -> score; responses every model scored): NaN when
   * all models prefer the same response, else the largest discordance between two models.
   */
  public static double modelDisagreement(Map<String, Map<String, Double>> scores) {
    Set<String> common = null;
    for (Map<String, Double> s : scores.values()) {
      if (common == null) {
        common = new TreeSet<>(s.keySet());
      } else {
        common.retainAll(s.keySet());
      }
    }
    if (common == null || common.size() < 2) {
      return Double.NaN;
    }
    List<String> responses = new ArrayList<>(common);
    List<double[]> vectors = new ArrayList<>();
    Set<String> best = new TreeSet<>();
    for (Map<String, Double> s : scores.values()) {
      double[] v = new double[responses.size()];
      int arg = 0;
      for (int i = 0; i < v.length; i++) {
        v[i] = s.get(responses.get(i));
        if (v[i] > v[arg]) {
          arg = i;
        }
      }
      vectors.add(v);
      best.add(responses.get(arg));
    }
    if (best.size() < 2) {
      return Double.NaN;
    }
    double worst = 0;
    for (int i = 0; i < vectors.size(); i++) {
      for (int j = i + 1; j < vectors.size(); j++) {
        worst = Math.max(worst, discordance(vectors.get(i), vectors.get(j)));
      }
    }
    return worst;
  }

  /** The best score minus the second best (NaN with fewer than two). */
  public static double topMargin(List<Double> scores) {
    if (scores.size() < 2) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(scores);
    s.sort(Collections.reverseOrder());
    return s.get(0) - s.get(1);
  }

  /** 1 - (methods whose winners include the most-picked item) / methods; 0 when every method shares a winner. */
  public static double methodDisagreement(Map<String, Set<String>> winners) {
    Map<String, Integer> votes = new TreeMap<>();
    winners.values().forEach(w -> w.forEach(item -> votes.merge(item, 1, Integer::sum)));
    int most = votes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
    return winners.isEmpty() ? 0 : 1 - (double) most / winners.size();
  }

  // ---- the Spark parts ----

  static Dataset<Row> groupModelsDisagree(Dataset<Row> scores) {
    return scores.groupBy("prompt_id").agg(collect_list(struct("model_id", "response_id", "score")).as("s"))
        .flatMap((FlatMapFunction<Row, Row>) r -> {
          Map<String, Map<String, Double>> byModel = new TreeMap<>();
          for (Row x : r.<Row>getList(1)) {
            byModel.computeIfAbsent(x.getString(0), k -> new TreeMap<>()).put(x.getString(1), (double) x.getFloat(2));
          }
          double d = modelDisagreement(byModel);
          return Double.isNaN(d) ? Collections.emptyIterator() : List.of(RowFactory.create(r.getString(0),
              "group_models_disagree", d, byModel.size() + " models")).iterator();
        }, Encoders.row(ROW));
  }

  static Dataset<Row> smallMargins(Dataset<Row> scores, String model, double marginSd) {
    Row sd = scores.agg(stddev_pop("score"), count(lit(1))).first();
    double s = sd.isNullAt(0) ? 0 : sd.getDouble(0);
    if (!(s > 0)) {
      return scores.sparkSession().createDataFrame(List.of(), ROW);
    }
    return scores.groupBy("prompt_id").agg(collect_list(col("score").cast("double")).as("s"))
        .flatMap((FlatMapFunction<Row, Row>) r -> {
          double m = topMargin(r.getList(1)) / s;
          return m <= marginSd ? List.of(RowFactory.create(r.getString(0), "small_reward_margin", m,
              "model " + model)).iterator() : Collections.emptyIterator();
        }, Encoders.row(ROW));
  }

  static Dataset<Row> methodsDisagree(Dataset<Row> items) {
    return items.filter(col("rank").equalTo(1))
        .groupBy("prompt_id").agg(collect_list(struct("method", "item_id")).as("w"))
        .flatMap((FlatMapFunction<Row, Row>) r -> {
          Map<String, Set<String>> winners = new TreeMap<>();
          for (Row x : r.<Row>getList(1)) {
            winners.computeIfAbsent(x.getString(0), k -> new TreeSet<>()).add(x.getString(1));
          }
          double d = methodDisagreement(winners);
          if (d <= 0) {
            return Collections.emptyIterator();
          }
          StringBuilder detail = new StringBuilder();
          winners.forEach((m, w) -> detail.append(detail.length() == 0 ? "" : "; ").append(m).append(": ")
              .append(String.join(",", w)));
          return List.of(RowFactory.create(r.getString(0), "methods_disagree", d, detail.toString())).iterator();
        }, Encoders.row(ROW));
  }

  static Dataset<Row> groupsDisagree(Dataset<Row> labels) {
    return labels.groupBy("prompt_id")
        .agg(count(lit(1)).as("pairs"), count(when(col("contested"), lit(1))).as("contested"))
        .filter(col("contested").gt(0))
        .select(col("prompt_id"), lit("groups_disagree").as("reason"),
            col("contested").divide(col("pairs")).as("score"),
            org.apache.spark.sql.functions.concat(col("contested"), lit(" of "), col("pairs"),
                lit(" pairs contested")).as("detail"));
  }
}
