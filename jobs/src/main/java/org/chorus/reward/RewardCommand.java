package org.chorus.reward;

import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import org.chorus.preferences.PromptSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus reward train|eval}. */
@Command(name = "reward", description = "Train and evaluate reward models (DJL, PyTorch engine, CPU).",
    subcommands = {RewardCommand.Train.class, RewardCommand.Eval.class})
public final class RewardCommand implements Runnable {
  @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this command's options and exit")
  boolean help;

  @Override
  public void run() {
    throw org.chorus.core.ChorusException.usage("chorus reward needs a subcommand: train or eval");
  }

  @Command(name = "train", description = "Train a reward model on a dataset's pair labels; evaluate on held-out "
      + "prompts (derived.rm_eval).")
  static final class Train extends JobCommand<RewardTrainJob.Options, RewardJob.TrainResult> {
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
    protected Job<RewardTrainJob.Options, RewardJob.TrainResult> job() {
      return new RewardTrainJob();
    }

    @Override
    protected RewardTrainJob.Options options(ChorusConfig config) {
      return RewardTrainJob.Options.of(dataset, out).with(RewardJob.TrainOptions.DEFAULT.withLabels(method, group)
          .withNetwork(new HashedFeatures(buckets, ngrams, HashedFeatures.DEFAULT.maxFeatures(), (int) seed), dim,
              hidden)
          .withTraining(new RewardNet.Training(epochs, batchSize, learningRate, weightDecay, seed))
          .withSplit(new PromptSplit(testPercent, PromptSplit.DEFAULT.seed())).withValidationPercent(validationPercent)
          .withBootstrap(bootstrap));
    }
  }

  @Command(name = "eval", description = "A reward model's accuracy on a dataset's comparisons (derived.rm_eval).")
  static final class Eval extends JobCommand<RewardEvalJob.Options, RewardJob.EvalResult> {
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
    protected Job<RewardEvalJob.Options, RewardJob.EvalResult> job() {
      return new RewardEvalJob();
    }

    @Override
    protected RewardEvalJob.Options options(ChorusConfig config) {
      return RewardEvalJob.Options.of(model, dataset).withSplit(split).withBootstrap(bootstrap).withDevice(device)
          .withMaxLength(maxLength);
    }
  }
}
