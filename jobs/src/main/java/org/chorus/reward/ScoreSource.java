package org.chorus.reward;

import java.io.Serializable;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.chorus.core.ChorusException;
import org.chorus.core.io.SourceFiles;

/**
 * Where scores come from, shipped to the executors: a Chorus reward model (broadcast once) or a user's TorchScript or
 * ONNX model with a Hugging Face tokenizer.json (loaded once per executor JVM from a path every executor can read).
 */
public interface ScoreSource extends Serializable {
  String modelId();

  /** A scorer for one task (closed by the task-completion listener). */
  TaskScorer open(String device);

  /** Releases what the driver shipped (a broadcast) once the job is done. */
  default void release() {}

  /** Scores a batch of (prompt, response) texts. */
  interface TaskScorer extends AutoCloseable {
    float[] score(List<String> prompts, List<String> responses);

    @Override
    void close();
  }

  /**
   * The source in a model directory: config.json of {@code chorus reward train}, or a user's model.pt (TorchScript)
   * or model.onnx (ONNX) with a tokenizer.json.
   */
  static ScoreSource of(String dir, JavaSparkContext jsc, int maxLength) {
    Configuration hadoop = jsc.hadoopConfiguration();
    if (SourceFiles.exists(dir + "/config.json", hadoop)) {
      RewardModel model = RewardModel.load(dir, hadoop);
      return new ChorusSource(model.modelId(), model.features(), jsc.broadcast(Scoring.serialize(model)));
    }
    List<UserModelSource.Format> found = new java.util.ArrayList<>();
    for (UserModelSource.Format f : UserModelSource.Format.values()) {
      if (SourceFiles.exists(dir + "/" + f.file, hadoop)) {
        found.add(f);
      }
    }
    if (found.size() > 1) {
      throw ChorusException.badInput("%s has both model.pt and model.onnx; keep the one to score with", dir);
    }
    if (found.size() == 1) {
      if (!SourceFiles.exists(dir + "/tokenizer.json", hadoop)) {
        throw ChorusException.badInput("%s has %s but no tokenizer.json (a Hugging Face tokenizer)", dir,
            found.get(0).file);
      }
      return UserModelSource.of(dir, found.get(0), maxLength);
    }
    throw ChorusException.badInput("%s is neither a Chorus reward model (config.json) nor a user's model (model.pt "
        + "or model.onnx, with tokenizer.json)", dir);
  }

  /** A model from {@code chorus reward train}: scores the response alone. */
  record ChorusSource(String modelId, HashedFeatures features,
      org.apache.spark.broadcast.Broadcast<byte[]> model) implements ScoreSource {
    @Override
    public void release() {
      model.destroy();
    }

    @Override
    public TaskScorer open(String device) {
      RewardNet net = Scoring.net(modelId, model, Scoring.device(device));
      ai.djl.ndarray.NDManager taskManager = net.newTaskManager();
      return new TaskScorer() {
        @Override
        public float[] score(List<String> prompts, List<String> responses) {
          return net.score(taskManager, responses.stream().map(features::indices).toList());
        }

        @Override
        public void close() {
          taskManager.close();
        }
      };
    }
  }
}
