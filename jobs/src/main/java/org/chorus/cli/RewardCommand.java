package org.chorus.cli;

import java.util.List;
import org.apache.spark.sql.Row;
import org.chorus.reward.HashedFeatures;
import org.chorus.reward.RewardJob;
import org.chorus.reward.RewardNet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus reward train|eval}. */
@Command(name = "reward", description = "Train and evaluate reward models (DJL, PyTorch engine, CPU).",
    subcommands = {RewardCommand.Train.class, RewardCommand.Eval.class})
final class RewardCommand implements Runnable {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this command's options and exit")
  boolean help;

  @Override
  public void run() {
    throw org.chorus.core.ChorusException.usage("chorus reward needs a subcommand: train or eval");
  }

  static void printEval(java.io.PrintStream out, List<Row> rows) {
    out.printf("  %-12s %-10s %9s %17s %9s%n", "split", "group", "accuracy", "95% interval", "length");
    for (Row r : rows) {
      out.printf("  %-12s %-10s %9.4f %8s-%-8s %9.4f  (n = %,d)%n", r.getString(2), r.getString(3), r.getDouble(4),
          r.isNullAt(6) ? "" : String.format("%.4f", r.getDouble(6)),
          r.isNullAt(7) ? "" : String.format("%.4f", r.getDouble(7)), r.getDouble(8), r.getLong(5));
    }
  }

  @Command(name = "train", description = "Train a reward model on a dataset's pair labels; evaluate on held-out "
      + "prompts (derived.rm_eval).")
  static final class Train extends BaseCommand {
    @Option(names = "--dataset", required = true, paramLabel = "ID")
    String dataset;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "model directory to write")
    String out;

    @Option(names = "--method", paramLabel = "M",
        description = "labels from derived.pair_labels of this aggregation method (default: the raw comparisons' "
            + "weighted majority per pair)")
    String method;

    @Option(names = "--group", paramLabel = "G", description = "train on one group's labels only")
    String group;

    @Option(names = "--epochs", defaultValue = "20", paramLabel = "N",
        description = "most epochs (with validation, training stops once the validation loss has not improved for "
            + "3 epochs)") int epochs;
    @Option(names = "--validation-percent", defaultValue = "10", paramLabel = "P",
        description = "share of the training prompts that choose the number of epochs (0: train --epochs epochs)")
    int validationPercent;
    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "N") int batchSize;
    @Option(names = "--learning-rate", defaultValue = "0.01", paramLabel = "LR") float learningRate;
    @Option(names = "--weight-decay", defaultValue = "0.001", paramLabel = "L2") float weightDecay;
    @Option(names = "--dim", defaultValue = "16", paramLabel = "D", description = "embedding size") int dim;
    @Option(names = "--hidden", defaultValue = "16", paramLabel = "H", description = "hidden units") int hidden;
    @Option(names = "--buckets", defaultValue = "65536", paramLabel = "B", description = "hash buckets") int buckets;
    @Option(names = "--ngrams", defaultValue = "1", paramLabel = "N", description = "word n-grams up to N") int ngrams;
    @Option(names = "--test-percent", defaultValue = "20", paramLabel = "P",
        description = "share of prompts held out, by prompt hash") int testPercent;
    @Option(names = "--bootstrap", defaultValue = "200", paramLabel = "B") int bootstrap;
    @Option(names = "--seed", defaultValue = "20261129", paramLabel = "S") long seed;

    @Override
    public Integer call() {
      RewardJob.TrainResult r = RewardJob.train(tables(), dataset, out, new RewardJob.TrainOptions(method, group,
          new HashedFeatures(buckets, ngrams, HashedFeatures.DEFAULT.maxFeatures(), (int) seed), dim, hidden,
          new RewardNet.Training(epochs, batchSize, learningRate, weightDecay, seed),
          new RewardJob.Split(testPercent, RewardJob.Split.DEFAULT.seed()), validationPercent, bootstrap),
          m -> out().println("  " + m));
      out().printf("reward model %s: %,d training pairs, %,d held-out pairs; written to %s%n", r.model().modelId(),
          r.trainPairs(), r.testPairs(), out);
      printEval(out(), r.eval());
      out().println("  " + r.write());
      return 0;
    }
  }

  @Command(name = "eval", description = "A reward model's accuracy on a dataset's comparisons (derived.rm_eval).")
  static final class Eval extends BaseCommand {
    @Option(names = "--model", required = true, paramLabel = "DIR",
        description = "a directory from chorus reward train, or your own model.pt (TorchScript) or model.onnx (ONNX) "
            + "+ tokenizer.json")
    String model;
    @Option(names = "--dataset", required = true, paramLabel = "ID") String dataset;
    @Option(names = "--split", defaultValue = "test", description = "test, train or all (the model's prompt split)")
    String split;
    @Option(names = "--bootstrap", defaultValue = "200", paramLabel = "B") int bootstrap;
    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu or gpu") String device;
    @Option(names = "--max-length", defaultValue = "512", paramLabel = "N",
        description = "TorchScript models: tokens per (prompt, response)") int maxLength;

    @Override
    public Integer call() {
      List<Row> rows = RewardJob.eval(tables(), model, dataset, split, bootstrap, device, maxLength);
      out().printf("reward model %s on %s:%n", rows.get(0).getString(1), dataset);
      printEval(out(), rows);
      return 0;
    }
  }
}
