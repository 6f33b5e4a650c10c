package org.chorus.reward;

import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus score}: every response of a dataset scored by a reward model, on the executors. */
@Command(name = "score", description = "Score every (prompt, response) of a dataset with a reward model "
    + "(derived.rm_scores).")
public final class ScoreCommand extends JobCommand<ScoreJob.Options, ScoreJob.Result> {
  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "a directory from chorus reward train, or your own model.pt (TorchScript: input_ids, "
          + "attention_mask -> one score per row) or model.onnx (ONNX, inputs by name: input_ids, attention_mask, "
          + "token_type_ids) + tokenizer.json (Hugging Face); a path every executor can read")
  String model;

  @Option(names = "--dataset", required = true, paramLabel = "ID")
  String dataset;

  @Option(names = "--device", defaultValue = "auto",
      description = "auto (the GPU Spark assigned the task, else CPU), cpu or gpu (default: ${DEFAULT-VALUE})")
  String device;

  @Option(names = "--batch-size", defaultValue = "256", paramLabel = "N") int batchSize;

  @Option(names = "--max-length", defaultValue = "512", paramLabel = "N",
      description = "TorchScript models: tokens per (prompt, response), truncated (default: ${DEFAULT-VALUE})")
  int maxLength;

  @Override
  protected Job<ScoreJob.Options, ScoreJob.Result> job() {
    return new ScoreJob();
  }

  @Override
  protected ScoreJob.Options options(ChorusConfig config) {
    return ScoreJob.Options.of(model, dataset).withDevice(device).withBatchSize(batchSize).withMaxLength(maxLength);
  }
}
