package org.chorus.aggregate;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.FlatMapGroupsFunction;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.chorus.core.ChorusException;
import org.chorus.core.job.Cached;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.spark.ScalaMaps;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.Tables;
import org.chorus.core.tables.WriteResult;

/**
 * {@code chorus aggregate}: every aggregation method side by side on a dataset's comparisons. Each prompt is an
 * election among its responses; the prompts are grouped in Spark and each group runs {@link Election} (plain Java),
 * so a dataset of many prompts spreads over the cluster. Comparisons are weighted by their own weight, times the
 * rater's weight in {@code derived.participant_weights} when a population is given; a rater's group is the
 * comparison's {@code rater_group}, else its {@code objective}.
 */
public final class AggregateJob implements Job<AggregateJob.Options, AggregateJob.Result> {
  private static final StructType SCORE = new StructType().add("method", DataTypes.StringType)
      .add("group_id", DataTypes.StringType).add("item_id", DataTypes.StringType).add("score", DataTypes.DoubleType)
      .add("rank", DataTypes.IntegerType).add("ci_low", DataTypes.DoubleType).add("ci_high", DataTypes.DoubleType)
      .add("note", DataTypes.StringType);
  private static final StructType STAT = new StructType().add("method", DataTypes.StringType)
      .add("condorcet_exists", DataTypes.BooleanType).add("picks_condorcet", DataTypes.BooleanType)
      .add("majority_violations", DataTypes.IntegerType).add("pareto_violations", DataTypes.IntegerType)
      .add("honoured", DataTypes.createMapType(DataTypes.StringType,
          DataTypes.createArrayType(DataTypes.DoubleType)));
  private static final StructType PAIR = new StructType().add("method_a", DataTypes.StringType)
      .add("method_b", DataTypes.StringType).add("kendall_tau", DataTypes.DoubleType)
      .add("flips", DataTypes.IntegerType).add("compared_pairs", DataTypes.IntegerType);
  /** Pair labels per election row after the election's head row. */
  static final int LABEL_CHUNK = 20_000;
  private static final StructType ELECTION = new StructType().add("prompt_id", DataTypes.StringType)
      .add("head", DataTypes.BooleanType).add("comparisons", DataTypes.LongType).add("unweighted", DataTypes.LongType)
      .add("scores", DataTypes.createArrayType(SCORE)).add("labels", DataTypes.BinaryType)
      .add("stats", DataTypes.createArrayType(STAT)).add("pairs", DataTypes.createArrayType(PAIR));


  /**
   * @param groupsFrom when set, a rater's group is their opinion group in derived.participant_groups of this
   *     conversation ("g0", "g1", ...) instead of the comparison's rater_group / objective
   */
  public record Options(String dataset, List<String> methods, String population, String groupsFrom, int bootstrap,
      double btPrior, long seed) implements JobOptions {
    /** Every method, unweighted, groups from the comparisons, no bootstrap, no prior, seed 1. */
    public static Options of(String dataset) {
      return new Options(dataset, List.copyOf(Election.METHODS), null, null, 0, 0, 1);
    }

    public Options withMethods(List<String> m) {
      return new Options(dataset, List.copyOf(m), population, groupsFrom, bootstrap, btPrior, seed);
    }

    /** Weights each comparison by its rater's weight in derived.participant_weights of {@code id}. */
    public Options withPopulation(String id) {
      return new Options(dataset, methods, id, groupsFrom, bootstrap, btPrior, seed);
    }

    public Options withGroupsFrom(String conversation) {
      return new Options(dataset, methods, population, conversation, bootstrap, btPrior, seed);
    }

    public Options withBootstrap(int b) {
      return new Options(dataset, methods, population, groupsFrom, b, btPrior, seed);
    }

    public Options withBtPrior(double lambda) {
      return new Options(dataset, methods, population, groupsFrom, bootstrap, lambda, seed);
    }

    public Options withSeed(long s) {
      return new Options(dataset, methods, population, groupsFrom, bootstrap, btPrior, s);
    }

    @Override
    public String scope() {
      return dataset;
    }

    @Override
    public List<String> problems() {
      Checks c = new Checks().id(dataset, "--dataset")
          .require(!methods.isEmpty(), "--methods must name at least one method");
      for (String m : methods) {
        c.require(Election.METHODS.contains(m), "unknown method '%s'; known: %s", m,
            String.join(", ", Election.METHODS));
      }
      return c.atLeast(bootstrap, 0, "--bootstrap")
          .require(btPrior >= 0, "--bt-prior must be >= 0, got %s", btPrior).problems();
    }
  }

  /**
   * Per method: the winner of each prompt (of the first prompts), the method comparison rows, and per method the
   * weighted share of each group's preferences it honours ("all" for every rater).
   */
  public record Result(Options options, long comparisons, long prompts, long unweightedRaters,
      List<Row> comparison, Map<String, Map<String, Double>> honoured, Map<String, List<String>> winners,
      List<String> notes, List<WriteResult> writes) implements JobResult {
    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("comparisons", comparisons);
      f.put("prompts", prompts);
      f.put("methods", options.methods());
      f.put("unweighted_raters", unweightedRaters);
      f.put("winners", winners);
      f.put("honoured", honoured);
      f.put("notes", notes);
      return f;
    }

    @Override
    public void print(PrintStream out) {
      out.printf("aggregate %s: %,d comparisons over %,d prompts, %d methods%n", options.dataset(), comparisons,
          prompts, options.methods().size());
      if (options.population() != null) {
        out.printf("  weighted by population %s (%,d comparisons without a rater weight count as 1)%n",
            options.population(), unweightedRaters);
      }
      out.println("  winners (rank 1) per method" + (prompts > 3 ? ", first 3 prompts:" : ":"));
      for (Map.Entry<String, List<String>> w : winners.entrySet()) {
        List<String> shown = w.getValue().subList(0, Math.min(3, w.getValue().size()));
        out.printf("    %-16s %s%n", w.getKey(), String.join("  ", shown));
      }
      for (String note : notes) {
        out.println("  note: " + note);
      }
      out.printf("  %-16s %-16s %7s %7s  %s%n", "method a", "method b", "tau", "flips",
          "share of Condorcet winners picked (a, b)");
      for (Row c : comparison) {
        out.printf("  %-16s %-16s %7s %6s%% %4s %4s%n", c.getString(1), c.getString(2), fmt(c.get(3), "%.3f"),
            c.isNullAt(4) ? "-" : String.format("%.1f", 100 * c.getDouble(4)), fmt(c.get(7), "%.2f"),
            fmt(c.get(8), "%.2f"));
      }
      out.println("  who loses most (share of each method's worst group's preferences it honours):");
      for (Map.Entry<String, Map<String, Double>> h : honoured.entrySet()) {
        String group = worst(h.getValue());
        if (group != null) {
          out.printf("    %-16s %s (%.1f%%; all raters %.1f%%)%n", h.getKey(), group, 100 * h.getValue().get(group),
              100 * h.getValue().get("all"));
        }
      }
      JobResult.printWrites(writes, out);
    }

    private static String fmt(Object v, String format) {
      return v == null ? "-" : String.format(format, v);
    }
  }

  @Override
  public String name() {
    return "aggregate";
  }

  @Override
  public Result run(JobContext job, Options options) {
    String dataset = options.dataset();
    Election.Options eo = new Election.Options(options.methods(), options.bootstrap(), options.btPrior(),
        options.seed());
    try (Cached<Dataset<Row>> cached = Cached.of(electionInput(job, options)
        .groupByKey((MapFunction<Row, String>) r -> r.getString(0), Encoders.STRING())
        .flatMapGroups(new RunElection(eo), Encoders.row(ELECTION)), StorageLevel.MEMORY_AND_DISK())) {
      Dataset<Row> elections = cached.get();
      Dataset<Row> scores = elections.select(col("prompt_id"), explode(col("scores")).as("s"))
          .select(lit(dataset).as("dataset_id"), col("prompt_id"), col("s.*"));
      Dataset<Row> labels = pairLabels(elections, dataset);
      Map<String, Map<String, Double>> honoured = honouredShares(elections);
      List<Row> comparison = methodComparison(elections, dataset, honoured);
      recordParameters(job.run(), options);
      if (job.tables().exists("input.ratings")) {
        scores = scores.unionByName(meanRatings(job.read("input.ratings").filter(col("dataset_id").equalTo(dataset)),
            dataset));
      }
      List<WriteResult> writes = new ArrayList<>();
      writes.add(job.replace(Tables.ITEM_SCORES, scores, List.of(dataset)));
      writes.add(job.replace(Tables.PAIR_LABELS, labels, List.of(dataset)));
      writes.add(job.replace(Tables.METHOD_COMPARISON, job.spark().createDataFrame(comparison, Tables.METHOD_COMPARISON.schema()),
          List.of(dataset)));
      List<String> notes = scores.filter(col("note").isNotNull().and(col("group_id").equalTo("all")))
          .select(col("method"), col("note")).distinct().collectAsList().stream()
          .map(r -> r.getString(0) + ": " + r.getString(1)).toList();
      // the counts come from the cached elections: no second scan of the comparisons
      Row counts = elections.agg(org.apache.spark.sql.functions.count_if(col("head")),
          org.apache.spark.sql.functions.sum(col("comparisons")),
          org.apache.spark.sql.functions.sum(col("unweighted"))).first();
      return new Result(options, counts.getLong(1), counts.getLong(0), counts.getLong(2), comparison, honoured,
          winners(job.spark(), dataset), notes, writes);
    }
  }

  /**
   * One row per comparison: prompt, comparison and response ids, the outcome (1 a, 0 b, 0.5 tie), the weight (the
   * comparison's, times its rater's population weight when asked) and the rater's group.
   */
  static Dataset<Row> electionInput(JobContext job, Options options) {
    Dataset<Row> comparisons = job.read("input.comparisons").filter(col("dataset_id").equalTo(options.dataset()));
    if (comparisons.limit(1).isEmpty()) {
      throw ChorusException.badInput("no comparisons for dataset '%s' in input.comparisons", options.dataset());
    }
    Dataset<Row> weighted = comparisons.withColumn("w", coalesce(col("weight"), lit(1.0)))
        .withColumn("no_rater_weight", lit(false));
    if (options.population() != null) {
      Dataset<Row> pw = job.read("derived.participant_weights")
          .filter(col("population_id").equalTo(options.population()))
          .select(col("participant_id").as("pw_id"), col("weight").as("pw"));
      weighted = weighted.join(pw, weighted.col("rater_id").equalTo(pw.col("pw_id")), "left")
          .withColumn("no_rater_weight", col("pw").isNull())
          .withColumn("w", col("w").multiply(coalesce(col("pw"), lit(1.0))));
    }
    org.apache.spark.sql.Column group = coalesce(col("rater_group"), col("objective"));
    if (options.groupsFrom() != null) {
      Dataset<Row> groups = job.read("derived.participant_groups")
          .filter(col("conversation_id").equalTo(options.groupsFrom()).and(col("group_id").isNotNull()))
          .select(col("participant_id").as("pg_id"), org.apache.spark.sql.functions.concat(lit("g"),
              col("group_id").cast("string")).as("pg"));
      weighted = weighted.join(groups, weighted.col("rater_id").equalTo(groups.col("pg_id")), "left");
      group = col("pg");
    }
    return weighted.select(col("prompt_id"), col("comparison_id"), col("response_a_id"),
        col("response_b_id"), when(col("choice").equalTo("a"), 1.0).when(col("choice").equalTo("b"), 0.0)
            .otherwise(0.5).as("outcome"), col("w"), group.as("grp"), col("no_rater_weight"));
  }

  /**
   * The pair labels, decoded from the elections' compact chunks; the chunks are spread over the shuffle partitions
   * (a cheap shuffle of bytes), so one large election's labels are decoded and written in parallel.
   */
  static Dataset<Row> pairLabels(Dataset<Row> elections, String dataset) {
    return elections.filter(not(col("head"))).select("prompt_id", "labels")
        .repartition(elections.sparkSession().sessionState().conf().numShufflePartitions())
        .flatMap((FlatMapFunction<Row, Row>) r -> LabelChunk.decode(r.getAs(1)).stream()
            .map(l -> RowFactory.create(dataset, r.getString(0), l.method(), l.itemA(), l.itemB(), l.winner(),
                RunElection.nan(l.margin()), RunElection.nan(l.agreement()), ScalaMaps.of(l.groupLabels()),
                l.contested())).iterator(), Encoders.row(Tables.PAIR_LABELS.schema()));
  }

  static void recordParameters(RunContext run, Options options) {
    run.recordParameter("methods", String.join(",", options.methods()));
    run.recordParameter("bootstrap", String.valueOf(options.bootstrap()));
    run.recordParameter("bt_prior", String.valueOf(options.btPrior()));
    run.recordParameter("seed", String.valueOf(options.seed()));
    if (options.population() != null) {
      run.recordParameter("population", options.population());
    }
    if (options.groupsFrom() != null) {
      run.recordParameter("groups_from", options.groupsFrom());
    }
  }

  /** Each method's overall winners (rank 1), prompt by prompt, from the item scores just written. */
  static Map<String, List<String>> winners(SparkSession spark, String dataset) {
    Map<String, List<String>> winners = new LinkedHashMap<>();
    for (Row r : spark.sql("SELECT method, item_id FROM derived.item_scores WHERE dataset_id = ? AND group_id = 'all' "
        + "AND rank = 1 ORDER BY prompt_id, method", (Object) new Object[] {dataset}).limit(10_000).collectAsList()) {
      winners.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getString(1));
    }
    return winners;
  }

  /**
   * Method mean_rating: each response's mean absolute rating in input.ratings (for the responses rated), overall
   * and per rater group (rater_group, else objective), ranked within its prompt.
   */
  static Dataset<Row> meanRatings(Dataset<Row> ratings, String dataset) {
    Dataset<Row> grouped = ratings.select(col("prompt_id"), col("response_id"), col("rating"), lit("all").as("g"))
        .unionByName(ratings.filter(coalesce(col("rater_group"), col("objective")).isNotNull()).select(
            col("prompt_id"), col("response_id"), col("rating"),
            coalesce(col("rater_group"), col("objective")).as("g")));
    org.apache.spark.sql.expressions.WindowSpec byPrompt = org.apache.spark.sql.expressions.Window
        .partitionBy("prompt_id", "g").orderBy(col("score").desc());
    return grouped.groupBy("prompt_id", "g", "response_id")
        .agg(org.apache.spark.sql.functions.avg("rating").as("score"),
            org.apache.spark.sql.functions.count("rating").as("n"))
        .withColumn("rank", org.apache.spark.sql.functions.rank().over(byPrompt))
        .select(lit(dataset).as("dataset_id"), col("prompt_id"), lit("mean_rating").as("method"),
            col("g").as("group_id"), col("response_id").as("item_id"), col("score"), col("rank"),
            lit(null).cast("double").as("ci_low"), lit(null).cast("double").as("ci_high"),
            org.apache.spark.sql.functions.concat(lit("mean of "), col("n").cast("string"), lit(" ratings"))
                .as("note"));
  }

  /** Dataset-level method comparison from the per-prompt statistics (aggregated in Spark, combined on the driver). */
  private static List<Row> methodComparison(Dataset<Row> elections, String dataset,
      Map<String, Map<String, Double>> honoured) {
    Map<String, long[]> perMethod = new TreeMap<>();
    for (Row r : elections.select(explode(col("stats")).as("s")).groupBy(col("s.method")).agg(
        org.apache.spark.sql.functions.sum(when(col("s.condorcet_exists"), 1).otherwise(0)).as("cw"),
        org.apache.spark.sql.functions.sum(when(col("s.picks_condorcet"), 1).otherwise(0)).as("picks"),
        org.apache.spark.sql.functions.sum(col("s.majority_violations")).as("maj"),
        org.apache.spark.sql.functions.sum(col("s.pareto_violations")).as("par")).collectAsList()) {
      perMethod.put(r.getString(0), new long[] {r.getLong(1), r.getLong(2), r.getLong(3), r.getLong(4)});
    }
    List<Row> out = new ArrayList<>();
    for (Row r : elections.select(explode(col("pairs")).as("p")).groupBy(col("p.method_a"), col("p.method_b")).agg(
        org.apache.spark.sql.functions.sum(when(col("p.kendall_tau").isNaN(), 0)
            .otherwise(col("p.kendall_tau").multiply(col("p.compared_pairs")))).as("tau_sum"),
        org.apache.spark.sql.functions.sum(when(col("p.kendall_tau").isNaN(), 0)
            .otherwise(col("p.compared_pairs"))).as("tau_weight"),
        org.apache.spark.sql.functions.sum(col("p.flips")).as("flips"),
        org.apache.spark.sql.functions.sum(col("p.compared_pairs")).as("pairs")).orderBy("method_a", "method_b")
        .collectAsList()) {
      String a = r.getString(0);
      String b = r.getString(1);
      long[] sa = perMethod.get(a);
      long[] sb = perMethod.get(b);
      long pairs = r.getLong(5);
      out.add(RowFactory.create(dataset, a, b, r.getLong(3) > 0 ? r.getDouble(2) / r.getLong(3) : null,
          pairs > 0 ? r.getLong(4) / (double) pairs : null, pairs, sa[0],
          sa[0] > 0 ? sa[1] / (double) sa[0] : null, sb[0] > 0 ? sb[1] / (double) sb[0] : null, sa[2], sb[2], sa[3],
          sb[3], ScalaMaps.of(honoured.getOrDefault(a, Map.of())), ScalaMaps.of(honoured.getOrDefault(b, Map.of())),
          worst(honoured.get(a)), worst(honoured.get(b))));
    }
    return out;
  }

  /** Per method and group, the weighted share of the group's preferences the method's ranking honours. */
  private static Map<String, Map<String, Double>> honouredShares(Dataset<Row> elections) {
    Map<String, Map<String, Double>> honoured = new TreeMap<>();
    for (Row r : elections.select(explode(col("stats")).as("s"))
        .select(col("s.method").as("method"), explode(col("s.honoured")).as(new String[] {"grp", "h"}))
        .groupBy("method", "grp").agg(org.apache.spark.sql.functions.sum(col("h").getItem(0)).as("yes"),
            org.apache.spark.sql.functions.sum(col("h").getItem(1)).as("all")).collectAsList()) {
      honoured.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getString(1),
          r.getDouble(3) > 0 ? r.getDouble(2) / r.getDouble(3) : Double.NaN);
    }
    return honoured;
  }

  /** The group (other than 'all') whose preferences the method honours least. */
  public static String worst(Map<String, Double> honoured) {
    if (honoured == null) {
      return null;
    }
    return honoured.entrySet().stream().filter(e -> !e.getKey().equals("all") && !e.getValue().isNaN())
        .min(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
  }

  /** Runs {@link Election} on one prompt's comparisons. */
  static final class RunElection implements FlatMapGroupsFunction<String, Row, Row> {
    private final Election.Options options;

    RunElection(Election.Options options) {
      this.options = options;
    }

    @Override
    public Iterator<Row> call(String prompt, Iterator<Row> rows) {
      List<Election.Comparison> comparisons = new ArrayList<>();
      long read = 0;
      long unweighted = 0;
      while (rows.hasNext()) {
        Row r = rows.next();
        read++;
        unweighted += r.getBoolean(7) ? 1 : 0;
        if (r.getString(2).equals(r.getString(3))) {
          continue;
        }
        comparisons.add(new Election.Comparison(r.getString(1), r.getString(2), r.getString(3), r.getDouble(4),
            r.getDouble(5), r.isNullAt(6) ? null : r.getString(6)));
      }
      Election.Result e = Election.compute(comparisons, options);
      List<Row> scores = e.scores().stream().map(s -> RowFactory.create(s.method(), s.group(), s.item(),
          nan(s.score()), s.rank(), nan(s.ciLow()), nan(s.ciHigh()), s.note())).toList();
      List<Row> stats = e.stats().stream().map(s -> {
        Map<String, Object> h = new TreeMap<>();
        s.honoured().forEach((g, v) -> h.put(g, scala.jdk.javaapi.CollectionConverters.asScala(
            List.of(v[0], v[1])).toSeq()));
        return RowFactory.create(s.method(), s.condorcetExists(), s.picksCondorcet(), s.majorityViolations(),
            s.paretoViolations(), ScalaMaps.of(h));
      }).toList();
      List<Row> pairs = e.pairs().stream().map(p -> RowFactory.create(p.methodA(), p.methodB(), p.kendallTau(),
          p.flips(), p.comparedPairs())).toList();
      Row head = RowFactory.create(prompt, true, read, unweighted, seq(scores), null, seq(stats), seq(pairs));
      // the pair labels follow in rows of LABEL_CHUNK, encoded one chunk at a time (LabelChunk): an election of n
      // items has n(n-1)/2 pairs per method, too many for one row and costly as nested rows
      List<Election.PairLabel> all = e.labels();
      return new Iterator<>() {
        int next = -1; // -1: the head row

        @Override
        public boolean hasNext() {
          return next < all.size();
        }

        @Override
        public Row next() {
          if (next < 0) {
            next = 0;
            return head;
          }
          byte[] labels = LabelChunk.encode(all.subList(next, Math.min(all.size(), next + LABEL_CHUNK)));
          next += LABEL_CHUNK;
          return RowFactory.create(prompt, false, 0L, 0L, seq(List.of()), labels, seq(List.of()), seq(List.of()));
        }
      };
    }

    static Double nan(double v) {
      return Double.isNaN(v) ? null : v;
    }

    private static scala.collection.immutable.Seq<Row> seq(List<Row> rows) {
      return scala.jdk.javaapi.CollectionConverters.asScala(rows).toList();
    }
  }
}
