package org.chorus.reward;

import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.core.ChorusException;
import org.chorus.core.job.Checks;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobResult;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.Tables;
import org.chorus.core.tables.Where;
import org.chorus.core.tables.WriteResult;
import org.chorus.math.PoissonBootstrap;
import org.chorus.preferences.PreferencePairs;
import org.chorus.preferences.PromptSplit;
import scala.Tuple2;

/**
 * {@code chorus reward train} and {@code chorus reward eval}: a reward model trained from a dataset's pair labels
 * (the raw comparisons' majority, or an aggregation method's labels from derived.pair_labels), split by prompt hash,
 * and its accuracy on the held-out prompts' comparisons, overall and per group, beside a length baseline.
 */
public final class RewardJob {
  private RewardJob() {}

  /**
   * How to train. {@code validationPercent} of the training prompts (by a second prompt hash) choose the number of
   * epochs: a first run stops once their loss has not improved for {@link #PATIENCE} epochs, and the model is then
   * trained afresh on every training pair for the best run's epochs. 0 trains {@code training.epochs()} epochs.
   */
  public record TrainOptions(String method, String group, HashedFeatures features, int dim, int hidden,
      RewardNet.Training training, PromptSplit split, int validationPercent, int bootstrap) {
    /** The raw comparisons' majority, 16-dimensional embeddings and 16 hidden units, 10% validation, 200 replicates. */
    public static final TrainOptions DEFAULT = new TrainOptions(null, null, HashedFeatures.DEFAULT, 16, 16,
        RewardNet.Training.DEFAULT, PromptSplit.DEFAULT, 10, 200);

    /** Labels of an aggregation method (null: the raw majority), for one group (null: every group). */
    public TrainOptions withLabels(String m, String g) {
      return new TrainOptions(m, g, features, dim, hidden, training, split, validationPercent, bootstrap);
    }

    public TrainOptions withNetwork(HashedFeatures f, int d, int h) {
      return new TrainOptions(method, group, f, d, h, training, split, validationPercent, bootstrap);
    }

    public TrainOptions withTraining(RewardNet.Training t) {
      return new TrainOptions(method, group, features, dim, hidden, t, split, validationPercent, bootstrap);
    }

    public TrainOptions withSplit(PromptSplit s) {
      return new TrainOptions(method, group, features, dim, hidden, training, s, validationPercent, bootstrap);
    }

    public TrainOptions withValidationPercent(int p) {
      return new TrainOptions(method, group, features, dim, hidden, training, split, p, bootstrap);
    }

    public TrainOptions withBootstrap(int b) {
      return new TrainOptions(method, group, features, dim, hidden, training, split, validationPercent, b);
    }

    List<String> problems() {
      return new Checks().require(training.epochs() > 0 && training.batchSize() > 0,
              "--epochs and --batch-size must be positive, got %d and %d", training.epochs(), training.batchSize())
          .require(validationPercent >= 0 && validationPercent < 100, "--validation-percent must be in [0, 100), got %d",
              validationPercent)
          .require(split.testPercent() > 0 && split.testPercent() < 100, "--test-percent must be in (0, 100), got %d",
              split.testPercent())
          .atLeast(dim, 1, "--dim").atLeast(hidden, 1, "--hidden").atLeast(bootstrap, 0, "--bootstrap")
          .require(features.buckets() > 0 && features.maxNgram() >= 1, "--buckets and --ngrams must be positive")
          .problems();
    }
  }

  /** Epochs without a better validation loss before the first run stops. */
  static final int PATIENCE = 3;

  public record TrainResult(String dataset, String outDir, RewardModel model, long trainPairs, long testPairs,
      List<Double> losses, List<Row> eval, WriteResult write) implements JobResult {
    @Override
    public List<WriteResult> writes() {
      return List.of(write);
    }

    @Override
    public List<String> files() {
      return List.of(outDir);
    }

    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("model_id", model.modelId());
      f.put("train_pairs", trainPairs);
      f.put("test_pairs", testPairs);
      f.put("losses", losses);
      f.put("accuracy", accuracyFigures(eval));
      return f;
    }

    @Override
    public void print(PrintStream out) {
      out.printf("reward model %s: %,d training pairs, %,d held-out pairs; written to %s%n", model.modelId(),
          trainPairs, testPairs, outDir);
      printEval(out, eval);
      out.println("  " + write);
    }
  }

  /** A model's accuracy rows (derived.rm_eval) on one dataset and split. */
  public record EvalResult(String dataset, String modelId, List<Row> rows, WriteResult write) implements JobResult {
    @Override
    public List<WriteResult> writes() {
      return List.of(write);
    }

    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("model_id", modelId);
      f.put("accuracy", accuracyFigures(rows));
      return f;
    }

    @Override
    public void print(PrintStream out) {
      out.printf("reward model %s on %s:%n", modelId, dataset);
      printEval(out, rows);
    }
  }

  /** Per split and group: accuracy, n, interval and the length baseline of derived.rm_eval rows. */
  static List<Map<String, Object>> accuracyFigures(List<Row> rows) {
    List<Map<String, Object>> out = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("split", r.getString(2));
      m.put("group", r.getString(3));
      m.put("accuracy", r.isNullAt(4) ? null : r.getDouble(4));
      m.put("n", r.getLong(5));
      m.put("ci_low", r.isNullAt(6) ? null : r.getDouble(6));
      m.put("ci_high", r.isNullAt(7) ? null : r.getDouble(7));
      m.put("length_baseline", r.isNullAt(8) ? null : r.getDouble(8));
      out.add(m);
    }
    return out;
  }

  static void printEval(PrintStream out, List<Row> rows) {
    out.printf("  %-12s %-10s %9s %17s %9s%n", "split", "group", "accuracy", "95% interval", "length");
    for (Row r : rows) {
      out.printf("  %-12s %-10s %9.4f %8s-%-8s %9.4f  (n = %,d)%n", r.getString(2), r.getString(3), r.getDouble(4),
          r.isNullAt(6) ? "" : String.format("%.4f", r.getDouble(6)),
          r.isNullAt(7) ? "" : String.format("%.4f", r.getDouble(7)), r.getDouble(8), r.getLong(5));
    }
  }

  /** Labelled pairs (prompt_id, chosen, rejected) of the dataset: by method's labels, for one group or all. */
  static Dataset<Row> labels(ChorusTables tables, RunContext run, String dataset, String method, String group) {
    return PreferencePairs.build(tables, run, dataset, method, group).select("prompt_id", "chosen", "rejected");
  }

  /** The number of epochs to train for, and the validation loss after each epoch of the run that chose it. */
  record EpochChoice(int epochs, List<Double> validationLoss) {}

  /**
   * Trains a first network on {@code fit}, measuring the loss on {@code validation} after each epoch, until it has
   * not improved for {@link #PATIENCE} epochs (or {@code o.training().epochs()} are done): the epochs of the lowest.
   */
  static EpochChoice chooseEpochs(List<RewardNet.Pair> fit, List<RewardNet.Pair> validation, TrainOptions o,
      Consumer<String> progress) {
    progress.accept(String.format("choosing the epochs: %,d pairs fit, %,d validate", fit.size(), validation.size()));
    List<Double> loss = new ArrayList<>();
    int[] best = {0};
    try (RewardNet probe = RewardNet.initialise(o.features().buckets(), o.dim(), o.hidden(), o.training().seed(),
        Device.cpu())) {
      probe.train(fit, o.training(), null, epoch -> {
        loss.add(probe.meanLoss(validation, o.training().batchSize()));
        if (best[0] == 0 || loss.get(epoch - 1) < loss.get(best[0] - 1)) {
          best[0] = epoch;
        }
        return epoch - best[0] < PATIENCE;
      });
    }
    progress.accept(String.format("validation loss by epoch %s: best after %d",
        loss.stream().map(v -> String.format("%.4f", v)).toList(), best[0]));
    return new EpochChoice(best[0], loss);
  }

  /** The training prompts' pairs (bucket ids), split into fit and validation, and the held-out pairs' count. */
  record TrainingPairs(List<RewardNet.Pair> train, List<RewardNet.Pair> fit, List<RewardNet.Pair> validation,
      long testPairs) {}

  static TrainResult train(JobContext job, String dataset, String outDir, TrainOptions o) {
    ChorusTables tables = job.tables();
    Consumer<String> progress = job.progress()::step;
    RunContext run = job.run();
    HashedFeatures f = o.features();
    TrainingPairs pairs = trainingPairs(tables, run, dataset, o);
    if (pairs.train().isEmpty()) {
      throw ChorusException.badInput("dataset '%s' has no labelled pair outside the test split%s", dataset,
          o.group() == null ? "" : " for group " + o.group());
    }
    progress.accept(String.format("%,d training pairs, %,d held out (prompts disjoint)", pairs.train().size(),
        pairs.testPairs()));
    RewardNet.Training training = o.training();
    List<Double> validationLosses = List.of();
    if (!pairs.validation().isEmpty() && !pairs.fit().isEmpty()) {
      EpochChoice choice = chooseEpochs(pairs.fit(), pairs.validation(), o, progress);
      validationLosses = choice.validationLoss();
      training = new RewardNet.Training(choice.epochs(), training.batchSize(), training.learningRate(),
          training.weightDecay(), training.seed());
    }
    RewardModel model;
    List<Double> losses;
    try (RewardNet net = RewardNet.initialise(f.buckets(), o.dim(), o.hidden(), training.seed(), Device.cpu())) {
      losses = net.train(pairs.train(), training, progress);
      model = RewardModel.of(net, f, trainingRecord(dataset, o, training, pairs, validationLosses, run));
    }
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(tables.spark().sparkContext());
    ScoreSource.ChorusSource source = new ScoreSource.ChorusSource(model.modelId(), model.features(),
        jsc.broadcast(Scoring.serialize(model)));
    List<Row> eval = evaluate(tables, run, source, o.split(), dataset, "test", o.bootstrap(), "cpu");
    source.release();
    WriteResult write = writeEval(tables, run, dataset, model.modelId(), "test", eval);
    try {
      model.save(outDir, metrics(losses, eval), tables.spark().sparkContext().hadoopConfiguration());
    } catch (IOException ex) {
      throw ChorusException.badInput("cannot write the model to %s: %s", outDir, ex.getMessage());
    }
    return new TrainResult(dataset, outDir, model, pairs.train().size(), pairs.testPairs(), losses, eval, write);
  }

  /**
   * Features are hashed on the executors; only the training pairs' bucket ids come back to the driver (training runs
   * in one process), the held-out pairs are only counted.
   */
  static TrainingPairs trainingPairs(ChorusTables tables, RunContext run, String dataset, TrainOptions o) {
    HashedFeatures f = o.features();
    PromptSplit split = o.split();
    org.apache.spark.util.LongAccumulator held = tables.spark().sparkContext().longAccumulator("held-out pairs");
    PromptSplit validation = new PromptSplit(o.validationPercent(), split.seed() + 1);
    List<Tuple2<Boolean, Tuple2<long[], long[]>>> train = labels(tables, run, dataset, o.method(), o.group())
        .javaRDD()
        .filter(r -> {
          boolean test = split.isTest(r.getString(0));
          if (test) {
            held.add(1);
          }
          return !test;
        })
        .map(r -> new Tuple2<>(validation.isTest(r.getString(0)),
            new Tuple2<>(f.indices(r.getString(1)), f.indices(r.getString(2)))))
        .collect();
    List<RewardNet.Pair> trainPairs = new ArrayList<>(train.size());
    List<RewardNet.Pair> fitPairs = new ArrayList<>();
    List<RewardNet.Pair> validationPairs = new ArrayList<>();
    for (Tuple2<Boolean, Tuple2<long[], long[]>> p : train) {
      RewardNet.Pair pair = new RewardNet.Pair(p._2()._1(), p._2()._2(), 0f);
      trainPairs.add(pair);
      (p._1() ? validationPairs : fitPairs).add(pair);
    }
    return new TrainingPairs(trainPairs, fitPairs, validationPairs, held.value());
  }

  /** How the model was trained, kept in its config.json: labels, loss, epochs, validation, split, snapshots read. */
  static ObjectNode trainingRecord(String dataset, TrainOptions o, RewardNet.Training training, TrainingPairs pairs,
      List<Double> validationLosses, RunContext run) {
    PromptSplit split = o.split();
    ObjectNode extra = new ObjectMapper().createObjectNode();
    ObjectNode t = extra.putObject("training");
    t.put("dataset_id", dataset);
    t.put("labels", o.method() == null ? "raw comparisons' weighted majority" : "derived.pair_labels " + o.method());
    t.put("group", o.group() == null ? "all" : o.group());
    t.put("loss", "-log sigmoid(r_chosen - r_rejected - margin), margin 0");
    t.put("optimizer", "Adam");
    t.put("epochs", training.epochs());
    t.put("max_epochs", o.training().epochs());
    ObjectNode v = t.putObject("validation");
    v.put("rule", "validation when floorMod(murmur3_x86_32(utf8(prompt_id), seed), 100) < percent, among the "
        + "training prompts; the epochs are those of the lowest validation loss of a first run on the rest, "
        + "stopped after " + PATIENCE + " epochs without improvement; the model is then trained on all of them");
    v.put("percent", o.validationPercent());
    v.put("seed", split.seed() + 1);
    v.put("pairs", pairs.validation().size());
    validationLosses.forEach(v.putArray("loss_by_epoch")::add);
    t.put("batch_size", training.batchSize());
    t.put("learning_rate", training.learningRate());
    t.put("weight_decay", training.weightDecay());
    t.put("seed", training.seed());
    t.put("train_pairs", pairs.train().size());
    t.put("test_pairs", pairs.testPairs());
    ObjectNode sp = t.putObject("split");
    sp.put("rule", "test when floorMod(murmur3_x86_32(utf8(prompt_id), seed), 100) < test_percent");
    sp.put("test_percent", split.testPercent());
    sp.put("seed", split.seed());
    ObjectNode snaps = t.putObject("snapshots");
    new TreeMap<>(run.reads()).forEach(snaps::put);
    return extra;
  }

  /** metrics.json: the loss of each epoch and the held-out accuracy per group. */
  static ObjectNode metrics(List<Double> losses, List<Row> eval) {
    ObjectNode metrics = new ObjectMapper().createObjectNode();
    var l = metrics.putArray("epoch_loss");
    losses.forEach(l::add);
    var e = metrics.putArray("test");
    for (Row r : eval) {
      ObjectNode n = e.addObject();
      n.put("group_id", r.getString(3));
      n.put("accuracy", r.isNullAt(4) ? Double.NaN : r.getDouble(4));
      n.put("n", r.getLong(5));
      n.put("length_baseline", r.isNullAt(8) ? Double.NaN : r.getDouble(8));
    }
    return metrics;
  }


  /**
   * Accuracy of the model on the dataset's comparisons in {@code split} (test, train or all): per comparison 1 when
   * the chosen response scores higher, 0.5 on equal scores; ties in the data are left out. One pass: every
   * comparison adds to its group and to 'all', with its Poisson multiplicities for the bootstrap replicates.
   */
  public static List<Row> evaluate(ChorusTables tables, RunContext run, ScoreSource source, PromptSplit s, String dataset,
      String split, int bootstrap, String device) {
    Dataset<Row> cmp = tables.read(run, "input.comparisons").filter(col("dataset_id").equalTo(dataset)
        .and(col("choice").isin("a", "b")))
        .select(col("comparison_id"), col("prompt_id"), coalesce(col("rater_group"), col("objective")).as("g"),
            col("choice"), col("response_a"), col("response_b"), col("prompt"));
    String modelId = source.modelId();
    int b = bootstrap;
    JavaPairRDD<String, double[]> stats = cmp.javaRDD()
        .filter(r -> split.equals("all") || s.isTest(r.getString(1)) == split.equals("test"))
        .mapPartitions(rows -> {
          // each comparison's two responses are scored in the same batch
          java.util.Iterator<Object[]> scored = Scoring.scorePartition(rows, source, device, 512,
              r -> List.of(new String[] {r.getString(6), r.getString(4)}, new String[] {r.getString(6),
                  r.getString(5)}), (r, sc) -> new Object[] {r, sc});
          Map<String, double[]> acc = new TreeMap<>();
          while (scored.hasNext()) {
            Object[] x = scored.next();
            Row r = (Row) x[0];
            float sa = ((float[]) x[1])[0];
            float sb = ((float[]) x[1])[1];
            boolean aChosen = r.getString(3).equals("a");
            double correct = sa == sb ? 0.5 : (sa > sb) == aChosen ? 1 : 0;
            int la = r.getString(4).length();
            int lb = r.getString(5).length();
            double baseline = la == lb ? 0.5 : (la > lb) == aChosen ? 1 : 0;
            double[] w = new double[b];
            SplittableRandom rnd = PoissonBootstrap.forRecord(17, r.getString(0));
            for (int k = 0; k < b; k++) {
              w[k] = PoissonBootstrap.poisson(rnd);
            }
            for (String g : r.isNullAt(2) ? List.of("all") : List.of("all", r.getString(2))) {
              double[] a = acc.computeIfAbsent(g, k -> new double[3 + 2 * b]);
              a[0] += 1;
              a[1] += correct;
              a[2] += baseline;
              for (int k = 0; k < b; k++) {
                a[3 + k] += w[k] * correct;
                a[3 + b + k] += w[k];
              }
            }
          }
          List<Tuple2<String, double[]>> out = new ArrayList<>();
          acc.forEach((g, a) -> out.add(new Tuple2<>(g, a)));
          return out.iterator();
        })
        .mapToPair(t -> t)
        .reduceByKey((x, y) -> {
          double[] z = x.clone();
          for (int i = 0; i < z.length; i++) {
            z[i] += y[i];
          }
          return z;
        });
    List<Row> rows = new ArrayList<>();
    for (Map.Entry<String, double[]> t : new TreeMap<>(stats.collectAsMap()).entrySet()) {
      double[] a = t.getValue();
      double[] reps = new double[b];
      for (int k = 0; k < b; k++) {
        reps[k] = a[3 + b + k] > 0 ? a[3 + k] / a[3 + b + k] : Double.NaN;
      }
      rows.add(RowFactory.create(dataset, modelId, split, t.getKey(), a[1] / a[0], (long) a[0],
          b > 0 ? PoissonBootstrap.percentile(reps, 2.5) : null, b > 0 ? PoissonBootstrap.percentile(reps, 97.5) : null,
          a[2] / a[0], b));
    }
    return rows;
  }

  static PromptSplit splitOf(RewardModel model) {
    var sp = model.config().path("training").path("split");
    return sp.isMissingNode() ? PromptSplit.DEFAULT : new PromptSplit(sp.path("test_percent").asInt(), sp.path("seed").asInt());
  }

  static WriteResult writeEval(ChorusTables tables, RunContext run, String dataset, String modelId, String split,
      List<Row> rows) {
    return tables.replaceWhere(run, Tables.RM_EVAL, tables.spark().createDataFrame(rows, Tables.RM_EVAL.schema()),
        Where.of("dataset_id", dataset).and("model_id", modelId).and("split", split));
  }

  /**
   * {@code chorus reward eval}: a model's accuracy on a dataset's comparisons, written to derived.rm_eval. The split
   * is the model's own (a user's TorchScript model: the default rule).
   */
  static EvalResult eval(JobContext job, String modelDir, String dataset, String split, int bootstrap,
      String device, int maxLength) {
    ChorusTables tables = job.tables();
    RunContext run = job.run();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(tables.spark().sparkContext());
    ScoreSource source = ScoreSource.of(modelDir, jsc, maxLength);
    PromptSplit s = source instanceof ScoreSource.ChorusSource
        ? splitOf(RewardModel.load(modelDir, jsc.hadoopConfiguration())) : PromptSplit.DEFAULT;
    List<Row> rows = evaluate(tables, run, source, s, dataset, split, bootstrap, device);
    source.release();
    if (rows.isEmpty()) {
      throw ChorusException.badInput("dataset '%s' has no comparison in the %s split", dataset, split);
    }
    WriteResult write = writeEval(tables, run, dataset, source.modelId(), split, rows);
    return new EvalResult(dataset, source.modelId(), rows, write);
  }
}
