package org.chorus.reward;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.resource.ResourceInformation;

/**
 * Scoring inside Spark tasks. One network per executor JVM and device (built once from the broadcast model and
 * shared, read-only, by the task threads); every batch's arrays live in a manager closed after the batch, and a
 * task-completion listener releases what a failed task left. PyTorch's thread pools are capped at spark.task.cpus.
 */
public final class Scoring {
  private static final Map<String, RewardNet> NETS = new ConcurrentHashMap<>();

  private Scoring() {}

  /** The device for this task: {@code auto} takes the GPU Spark assigned the task, if any, else the CPU. */
  static Device device(String requested) {
    return device(requested, RewardNet.ENGINE);
  }

  /** The device for this task on a DJL engine ({@code auto}: the GPU Spark assigned the task if the engine has one). */
  static Device device(String requested, String engine) {
    if (requested.equals("cpu")) {
      return Device.cpu();
    }
    TaskContext task = TaskContext.get();
    if (task != null) {
      scala.Option<ResourceInformation> gpu = task.resources().get("gpu");
      if (gpu.isDefined() && gpu.get().addresses().length > 0 && engineGpus(engine) > 0) {
        return Device.gpu(Integer.parseInt(gpu.get().addresses()[0]));
      }
    }
    if (requested.equals("gpu")) {
      throw new IllegalStateException("--device gpu: no GPU assigned to this task (spark.task.resource.gpu.amount) or "
          + "the " + engine + " engine has no CUDA build on the class path");
    }
    return Device.cpu();
  }

  private static int engineGpus(String engine) {
    if (engine.equals(RewardNet.ENGINE)) {
      return RewardNet.engine().getGpuCount();
    }
    ai.djl.engine.Engine e = ai.djl.engine.Engine.getEngine(engine);
    return e.hasCapability(ai.djl.engine.StandardCapabilities.CUDA) ? e.getGpuCount() : 0;
  }

  /** A model as bytes for a broadcast (Spark's Kryo cannot write records; Java serialization can). */
  public static byte[] serialize(RewardModel model) {
    try (java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(model);
      out.flush();
      return bytes.toByteArray();
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot serialise reward model " + model.modelId(), e);
    }
  }

  static RewardModel deserialize(byte[] bytes) {
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes))) {
      return (RewardModel) in.readObject();
    } catch (java.io.IOException | ClassNotFoundException e) {
      throw new IllegalStateException("cannot read the broadcast reward model", e);
    }
  }

  /** The networks this JVM has built (for checking that tasks free what they allocate). */
  static java.util.Collection<RewardNet> nets() {
    return NETS.values();
  }

  static RewardNet net(String modelId, Broadcast<byte[]> model, Device device) {
    return NETS.computeIfAbsent(modelId + "@" + device, k -> {
      TaskContext task = TaskContext.get();
      String threads = task == null ? String.valueOf(Runtime.getRuntime().availableProcessors())
          : String.valueOf(Math.max(1, task.cpus()));
      System.setProperty("ai.djl.pytorch.num_threads", threads);
      System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
      return deserialize(model.value()).network(device);
    });
  }

  /**
   * Scores the items of a partition in batches of about {@code batchSize} texts: {@code texts} gives each item's
   * (prompt, response) pairs (one response, or a comparison's two), {@code emit} builds the output from an item and
   * their scores. The task's scorer is closed by a task-completion listener (on the driver, at the end).
   */
  public static <T, R> Iterator<R> scorePartition(Iterator<T> items, ScoreSource source, String device,
      int batchSize, Function<T, List<String[]>> texts, java.util.function.BiFunction<T, float[], R> emit) {
    ScoreSource.TaskScorer scorer = source.open(device);
    TaskContext task = TaskContext.get();
    if (task != null) {
      task.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> scorer.close());
    }
    return new Iterator<>() {
      private final List<R> ready = new ArrayList<>();
      private int next;

      @Override
      public boolean hasNext() {
        if (next < ready.size()) {
          return true;
        }
        ready.clear();
        next = 0;
        List<T> batch = new ArrayList<>();
        List<String> prompts = new ArrayList<>(batchSize);
        List<String> responses = new ArrayList<>(batchSize);
        while (items.hasNext() && responses.size() < batchSize) {
          T item = items.next();
          batch.add(item);
          for (String[] pr : texts.apply(item)) {
            prompts.add(pr[0] == null ? "" : pr[0]);
            responses.add(pr[1] == null ? "" : pr[1]);
          }
        }
        float[] s = scorer.score(prompts, responses);
        int k = 0;
        for (T item : batch) {
          int n = texts.apply(item).size();
          ready.add(emit.apply(item, java.util.Arrays.copyOfRange(s, k, k + n)));
          k += n;
        }
        if (ready.isEmpty() && task == null) {
          scorer.close();
        }
        return !ready.isEmpty();
      }

      @Override
      public R next() {
        if (!hasNext()) {
          throw new java.util.NoSuchElementException();
        }
        return ready.get(next++);
      }
    };
  }
}
