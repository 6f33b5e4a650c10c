package org.chorus.reward;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.core.Embedding;
import ai.djl.training.GradientCollector;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.IntPredicate;

/**
 * The reward model, trained from scratch on the PyTorch engine through DJL: an embedding bag over hashed word n-grams
 * (sum of the n-grams' vectors, {@link HashedFeatures}) followed by a scalar head with a linear and a one-hidden-layer
 * path: r(x) = v·e + w2·relu(W1 e + b1) + b. Trained on pairs with TRL's reward loss
 * -log sigmoid(r_chosen - r_rejected - margin), Adam, seeded initialisation and batch order.
 */
public final class RewardNet implements AutoCloseable {
  public static final String ENGINE = "PyTorch";
  static final List<String> PARAMS = List.of("embedding", "linear", "w1", "b1", "w2", "bias");

  private final NDManager manager;
  private final Map<String, NDArray> params = new LinkedHashMap<>();
  final int dim;
  final int hidden;

  private RewardNet(NDManager manager, int dim, int hidden) {
    this.manager = manager;
    this.dim = dim;
    this.hidden = hidden;
  }

  /** Loads the engine without touching the network: the natives come from the pytorch-native-cpu jar. */
  public static Engine engine() {
    System.setProperty("ai.djl.offline", "true");
    return Engine.getEngine(ENGINE);
  }

  static Map<String, Shape> shapes(int buckets, int dim, int hidden) {
    Map<String, Shape> s = new LinkedHashMap<>();
    s.put("embedding", new Shape(buckets, dim));
    s.put("linear", new Shape(dim, 1));
    s.put("w1", new Shape(dim, hidden));
    s.put("b1", new Shape(hidden));
    s.put("w2", new Shape(hidden, 1));
    s.put("bias", new Shape(1));
    return s;
  }

  /** A new network with weights drawn from a seeded Java generator (the same on every machine). */
  public static RewardNet initialise(int buckets, int dim, int hidden, long seed, Device device) {
    engine();
    SplittableRandom r = new SplittableRandom(seed);
    Map<String, float[]> values = new LinkedHashMap<>();
    shapes(buckets, dim, hidden).forEach((name, shape) -> {
      float[] v = new float[Math.toIntExact(shape.size())];
      double scale = switch (name) {
        case "embedding" -> 0.01;
        case "w1" -> 1 / Math.sqrt(dim);
        case "w2" -> 1 / Math.sqrt(hidden);
        default -> 0;
      };
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (scale * r.nextGaussian());
      }
      values.put(name, v);
    });
    return of(values, buckets, dim, hidden, device);
  }

  static RewardNet of(Map<String, float[]> values, int buckets, int dim, int hidden, Device device) {
    engine();
    RewardNet net = new RewardNet(NDManager.newBaseManager(device, ENGINE), dim, hidden);
    shapes(buckets, dim, hidden).forEach((name, shape) -> net.params.put(name,
        net.manager.create(values.get(name), shape)));
    return net;
  }

  /** The weights, in {@link #PARAMS} order. */
  Map<String, float[]> values() {
    Map<String, float[]> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, v.toFloatArray()));
    return out;
  }

  /** Scores of a batch of feature lists; arrays live in {@code batch}, closed by the caller. */
  NDArray forward(NDManager batch, List<long[]> features) {
    int n = features.size();
    int len = 1;
    for (long[] f : features) {
      len = Math.max(len, f.length);
    }
    long[] idx = new long[n * len];
    float[] mask = new float[n * len];
    for (int i = 0; i < n; i++) {
      long[] f = features.get(i);
      System.arraycopy(f, 0, idx, i * len, f.length);
      java.util.Arrays.fill(mask, i * len, i * len + f.length, 1f);
    }
    NDArray ids = batch.create(idx, new Shape(n, len));
    NDArray m = batch.create(mask, new Shape(n, len, 1));
    NDArray e = Embedding.embedding(ids, params.get("embedding"), SparseFormat.DENSE).singletonOrThrow()
        .mul(m).sum(new int[] {1});
    NDArray h = e.matMul(params.get("w1")).add(params.get("b1")).getNDArrayInternal().relu();
    return e.matMul(params.get("linear")).add(h.matMul(params.get("w2"))).add(params.get("bias")).reshape(n);
  }

  /** Scores without gradients. */
  public float[] score(List<long[]> features) {
    return score(manager, features);
  }

  /** Scores without gradients; the batch's arrays live in a child of {@code parent}, closed before returning. */
  public float[] score(NDManager parent, List<long[]> features) {
    if (features.isEmpty()) {
      return new float[0];
    }
    try (NDManager batch = parent.newSubManager()) {
      return forward(batch, features).toFloatArray();
    }
  }

  /** Native arrays the network's manager and its children hold now: its weights, plus any a task failed to free. */
  int liveArrays() {
    return manager.getManagedArrays().size();
  }

  /** Number of weight arrays. */
  int weightArrays() {
    return params.size();
  }

  /** A manager for one task's arrays, a child of the network's. */
  NDManager newTaskManager() {
    return manager.newSubManager();
  }

  /** One labelled pair for training: features of the chosen and the rejected response, and the margin. */
  public record Pair(long[] chosen, long[] rejected, float margin) {}

  /** Training settings. */
  public record Training(int epochs, int batchSize, float learningRate, float weightDecay, long seed) {
    public static final Training DEFAULT = new Training(20, 64, 0.01f, 1e-3f, 20261129);
  }

  /**
   * Trains on {@code pairs} in place; reports the mean loss of each epoch. The batch order is a seeded shuffle per
   * epoch; the result depends only on the pairs, the settings and the engine's CPU kernels.
   */
  public List<Double> train(List<Pair> pairs, Training t, Consumer<String> progress) {
    return train(pairs, t, progress, epoch -> true);
  }

  /** The mean TRL loss -log sigmoid(r_chosen - r_rejected - margin) over {@code pairs}, without gradients. */
  public double meanLoss(List<Pair> pairs, int batchSize) {
    double total = 0;
    for (int start = 0; start < pairs.size(); start += batchSize) {
      List<Pair> part = pairs.subList(start, Math.min(pairs.size(), start + batchSize));
      try (NDManager batch = manager.newSubManager()) {
        total += batchLoss(batch, part).getFloat() * part.size();
      }
    }
    return total / Math.max(1, pairs.size());
  }

  /** The mean TRL loss of a batch of pairs, its arrays in {@code batch}. */
  private NDArray batchLoss(NDManager batch, List<Pair> part) {
    int n = part.size();
    List<long[]> both = new ArrayList<>(2 * n);
    float[] margins = new float[n];
    part.forEach(p -> both.add(p.chosen()));
    for (int i = 0; i < n; i++) {
      both.add(part.get(i).rejected());
      margins[i] = part.get(i).margin();
    }
    NDArray s = forward(batch, both);
    NDArray diff = s.get("0:" + n).sub(s.get(n + ":")).sub(batch.create(margins));
    // -log sigmoid(d) = softplus(-d) = relu(-d) + log(1 + exp(-|d|))
    return diff.neg().getNDArrayInternal().relu().add(diff.abs().neg().exp().add(1).log()).mean();
  }

  /**
   * Trains as above, asking {@code keepGoing} after each epoch (numbered from 1) whether to run another; at most
   * {@code t.epochs()}.
   */
  public List<Double> train(List<Pair> pairs, Training t, Consumer<String> progress, IntPredicate keepGoing) {
    Engine engine = engine();
    params.values().forEach(p -> p.setRequiresGradient(true));
    Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(t.learningRate()))
        .optWeightDecays(t.weightDecay()).build();
    int[] order = new int[pairs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    SplittableRandom r = new SplittableRandom(t.seed());
    List<Double> losses = new ArrayList<>();
    for (int epoch = 0; epoch < t.epochs(); epoch++) {
      for (int i = order.length - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int tmp = order[i];
        order[i] = order[j];
        order[j] = tmp;
      }
      double total = 0;
      for (int start = 0; start < order.length; start += t.batchSize()) {
        int end = Math.min(order.length, start + t.batchSize());
        List<Pair> part = new ArrayList<>(end - start);
        for (int k = start; k < end; k++) {
          part.add(pairs.get(order[k]));
        }
        try (NDManager batch = manager.newSubManager(); GradientCollector gc = engine.newGradientCollector()) {
          NDArray loss = batchLoss(batch, part);
          gc.backward(loss);
          total += loss.getFloat() * part.size();
        }
        for (Map.Entry<String, NDArray> p : params.entrySet()) {
          try (NDArray g = p.getValue().getGradient()) {
            adam.update(p.getKey(), p.getValue(), g);
            g.muli(0);
          }
        }
      }
      losses.add(total / Math.max(1, order.length));
      if (progress != null) {
        progress.accept(String.format("epoch %d/%d: mean loss %.4f", epoch + 1, t.epochs(), losses.get(epoch)));
      }
      params.values().forEach(p -> p.setRequiresGradient(false));
      if (!keepGoing.test(epoch + 1)) {
        break;
      }
      params.values().forEach(p -> p.setRequiresGradient(true));
    }
    params.values().forEach(p -> p.setRequiresGradient(false));
    return losses;
  }

  @Override
  public void close() {
    manager.close();
  }
}
