package org.chorus.reward;

import java.util.ArrayList;
import java.util.List;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;

/** {@code chorus reward train}: a reward model from a dataset's pair labels, evaluated on held-out prompts. */
public final class RewardTrainJob implements Job<RewardTrainJob.Options, RewardJob.TrainResult> {
  /** The dataset, the model directory to write, and how to train. */
  public record Options(String dataset, String out, RewardJob.TrainOptions train) implements JobOptions {
    public static Options of(String dataset, String out) {
      return new Options(dataset, out, RewardJob.TrainOptions.DEFAULT);
    }

    public Options with(RewardJob.TrainOptions t) {
      return new Options(dataset, out, t);
    }

    @Override
    public String scope() {
      return dataset;
    }

    @Override
    public List<String> problems() {
      List<String> p = new ArrayList<>(new Checks().id(dataset, "--dataset").path(out, "--out").problems());
      p.addAll(train.problems());
      return p;
    }
  }

  @Override
  public String name() {
    return "reward train";
  }

  @Override
  public RewardJob.TrainResult run(JobContext job, Options o) {
    return RewardJob.train(job, o.dataset(), o.out(), o.train());
  }
}
