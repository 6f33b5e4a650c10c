package org.chorus.reward;

import java.util.List;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;

/** {@code chorus reward eval}: a model's accuracy on a dataset's comparisons, into derived.rm_eval. */
public final class RewardEvalJob implements Job<RewardEvalJob.Options, RewardJob.EvalResult> {
  /**
   * @param split test, train or all: the model's own prompt split (a user's model: the default rule)
   * @param maxLength TorchScript models: tokens per (prompt, response)
   */
  public record Options(String model, String dataset, String split, int bootstrap, String device, int maxLength)
      implements JobOptions {
    /** The test split, 200 bootstrap replicates, device auto, 512 tokens. */
    public static Options of(String model, String dataset) {
      return new Options(model, dataset, "test", 200, "auto", 512);
    }

    public Options withSplit(String s) {
      return new Options(model, dataset, s, bootstrap, device, maxLength);
    }

    public Options withBootstrap(int b) {
      return new Options(model, dataset, split, b, device, maxLength);
    }

    public Options withDevice(String d) {
      return new Options(model, dataset, split, bootstrap, d, maxLength);
    }

    public Options withMaxLength(int n) {
      return new Options(model, dataset, split, bootstrap, device, n);
    }

    @Override
    public String scope() {
      return dataset;
    }

    @Override
    public List<String> problems() {
      return new Checks().path(model, "--model").id(dataset, "--dataset")
          .oneOf(split, List.of("test", "train", "all"), "--split").atLeast(bootstrap, 0, "--bootstrap")
          .oneOf(device, List.of("auto", "cpu", "gpu"), "--device").atLeast(maxLength, 1, "--max-length")
          .problems();
    }
  }

  @Override
  public String name() {
    return "reward eval";
  }

  @Override
  public RewardJob.EvalResult run(JobContext job, Options o) {
    return RewardJob.eval(job, o.model(), o.dataset(), o.split(), o.bootstrap(), o.device(), o.maxLength());
  }
}
