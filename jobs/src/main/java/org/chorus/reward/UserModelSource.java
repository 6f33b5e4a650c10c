package org.chorus.reward;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.chorus.core.io.ModelIds;

/**
 * A user's reward model with a Hugging Face {@code tokenizer.json}: {@code model.pt} (TorchScript, run by DJL's PyTorch
 * engine) or {@code model.onnx} (ONNX, run by DJL's ONNX Runtime engine). The model takes {@code input_ids} and
 * {@code attention_mask} (int64, [batch, length]; an ONNX model may also take {@code token_type_ids}; ONNX inputs are
 * matched by name, TorchScript ones by position) and returns one float per row ([batch] or [batch, 1]) as its first
 * output. The tokenizer encodes (prompt, response) as a pair, truncated to {@code maxLength} tokens and padded with 0
 * (mask 0). Model and tokenizer are loaded once per executor JVM and device; each task gets its own predictor. The
 * model id is the first 16 hex digits of SHA-256 over the model file and tokenizer.json.
 */
record UserModelSource(String dir, Format format, String modelId, int maxLength) implements ScoreSource {
  private static final Map<String, ZooModel<NDList, NDList>> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, HuggingFaceTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

  /** The model file's format: its name, the DJL engine that runs it, and how it is named in messages. */
  enum Format {
    TORCHSCRIPT("model.pt", RewardNet.ENGINE, "TorchScript"),
    ONNX("model.onnx", "OnnxRuntime", "ONNX");

    final String file;
    final String engine;
    final String label;

    Format(String file, String engine, String label) {
      this.file = file;
      this.engine = engine;
      this.label = label;
    }
  }

  static UserModelSource of(String dir, Format format, int maxLength) {
    Path local = Paths.get(dir.startsWith("file:") ? java.net.URI.create(dir).getPath() : dir).toAbsolutePath();
    String id = ModelIds.contentHash(local.toString(), List.of(format.file, "tokenizer.json"),
        new org.apache.hadoop.conf.Configuration());
    return new UserModelSource(local.toString(), format, id, maxLength);
  }


  @Override
  public TaskScorer open(String device) {
    Device d = Scoring.device(device, format.engine);
    ZooModel<NDList, NDList> model = MODELS.computeIfAbsent(dir + "@" + d, k -> load(d));
    HuggingFaceTokenizer tokenizer = TOKENIZERS.computeIfAbsent(dir, k -> tokenizer());
    List<String> inputs = inputNames(model);
    Predictor<NDList, NDList> predictor = model.newPredictor();
    NDManager taskManager = model.getNDManager().newSubManager();
    return new TaskScorer() {
      @Override
      public float[] score(List<String> prompts, List<String> responses) {
        int n = responses.size();
        if (n == 0) {
          return new float[0];
        }
        Encoding[] enc = new Encoding[n];
        int len = 1;
        for (int i = 0; i < n; i++) {
          enc[i] = tokenizer.encode(prompts.get(i), responses.get(i));
          len = Math.max(len, enc[i].getIds().length);
        }
        try (NDManager batch = taskManager.newSubManager()) {
          NDList in = new NDList();
          for (String name : inputs) {
            long[] column = new long[n * len];
            for (int i = 0; i < n; i++) {
              long[] values = switch (name) {
                case "input_ids" -> enc[i].getIds();
                case "attention_mask" -> enc[i].getAttentionMask();
                default -> enc[i].getTypeIds();
              };
              System.arraycopy(values, 0, column, i * len, values.length);
            }
            NDArray a = batch.create(column, new Shape(n, len));
            if (format == Format.ONNX) {
              a.setName(name);
            }
            in.add(a);
          }
          try (NDList out = predictor.predict(in)) {
            float[] scores = floats(out.get(0));
            if (scores.length != n) {
              throw new IllegalStateException(format.label + " model " + dir + " returned shape "
                  + out.get(0).getShape() + " for a batch of " + n + " (expected [" + n + "] or [" + n + ", 1])");
            }
            return scores;
          }
        } catch (TranslateException e) {
          throw new IllegalStateException(format.label + " model " + dir + " failed: " + e.getMessage(), e);
        }
      }

      @Override
      public void close() {
        predictor.close();
        taskManager.close();
      }
    };
  }

  /**
   * The inputs to feed, in order: TorchScript files do not name theirs, so input_ids and attention_mask by position;
   * an ONNX model's own input names, each of which must be one the tokenizer gives.
   */
  private List<String> inputNames(ZooModel<NDList, NDList> model) {
    if (format == Format.TORCHSCRIPT) {
      return List.of("input_ids", "attention_mask");
    }
    List<String> names = model.describeInput().keys();
    for (String name : names) {
      if (!List.of("input_ids", "attention_mask", "token_type_ids").contains(name)) {
        throw new IllegalStateException("ONNX model " + dir + " takes an input '" + name + "'; Chorus feeds "
            + "input_ids, attention_mask and token_type_ids");
      }
    }
    return names;
  }

  /** The scores as floats, whether the model returns float32 or float64. */
  private float[] floats(NDArray scores) {
    if (scores.getDataType() == DataType.FLOAT32) {
      return scores.toFloatArray();
    }
    if (scores.getDataType() == DataType.FLOAT64) {
      double[] d = scores.toDoubleArray();
      float[] f = new float[d.length];
      for (int i = 0; i < d.length; i++) {
        f[i] = (float) d[i];
      }
      return f;
    }
    throw new IllegalStateException(format.label + " model " + dir + " returned " + scores.getDataType()
        + " scores; expected float32 or float64");
  }

  private ZooModel<NDList, NDList> load(Device device) {
    System.setProperty("ai.djl.offline", "true");
    try {
      return Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(Paths.get(dir, format.file))
          .optEngine(format.engine).optDevice(device).optTranslator(new NoopTranslator()).build().loadModel();
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new IllegalStateException("cannot load " + format.label + " model " + dir + "/" + format.file + ": "
          + e.getMessage(), e);
    }
  }

  private HuggingFaceTokenizer tokenizer() {
    System.setProperty("ai.djl.offline", "true");
    try {
      return HuggingFaceTokenizer.newInstance(Paths.get(dir, "tokenizer.json"), Map.of("truncation", "true",
          "maxLength", String.valueOf(maxLength), "padding", "false"));
    } catch (IOException e) {
      throw new IllegalStateException("cannot load " + dir + "/tokenizer.json: " + e.getMessage(), e);
    }
  }
}
