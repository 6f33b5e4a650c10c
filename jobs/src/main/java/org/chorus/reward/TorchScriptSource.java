package org.chorus.reward;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import ai.djl.translate.TranslateException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.chorus.core.ChorusException;

/**
 * A user's reward model: {@code model.pt}, TorchScript taking {@code input_ids} and {@code attention_mask} (int64,
 * [batch, length]) and returning one float per row ([batch] or [batch, 1]), and {@code tokenizer.json}, a Hugging Face
 * tokenizer that encodes (prompt, response) as a pair, truncated to {@code maxLength} tokens and padded with 0 (mask
 * 0). Model and tokenizer are loaded once per executor JVM and device; each task gets its own predictor. The model
 * id is the first 16 hex digits of SHA-256 over model.pt and tokenizer.json.
 */
record TorchScriptSource(String dir, String modelId, int maxLength) implements ScoreSource {
  private static final Map<String, ZooModel<NDList, NDList>> MODELS = new ConcurrentHashMap<>();
  private static final Map<String, HuggingFaceTokenizer> TOKENIZERS = new ConcurrentHashMap<>();

  static TorchScriptSource of(String dir, int maxLength) {
    Path local = Paths.get(dir.startsWith("file:") ? java.net.URI.create(dir).getPath() : dir);
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String f : List.of("model.pt", "tokenizer.json")) {
        try (InputStream in = Files.newInputStream(local.resolve(f))) {
          sha.update(in.readAllBytes());
        }
      }
      return new TorchScriptSource(local.toAbsolutePath().toString(),
          HexFormat.of().formatHex(sha.digest()).substring(0, 16), maxLength);
    } catch (IOException | java.security.NoSuchAlgorithmException e) {
      throw ChorusException.badInput("cannot read TorchScript model %s (a local or shared path): %s", dir,
          e.getMessage());
    }
  }

  @Override
  public TaskScorer open(String device) {
    Device d = Scoring.device(device);
    ZooModel<NDList, NDList> model = MODELS.computeIfAbsent(dir + "@" + d, k -> load(d));
    HuggingFaceTokenizer tokenizer = TOKENIZERS.computeIfAbsent(dir, k -> tokenizer());
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
        long[] ids = new long[n * len];
        long[] mask = new long[n * len];
        for (int i = 0; i < n; i++) {
          System.arraycopy(enc[i].getIds(), 0, ids, i * len, enc[i].getIds().length);
          System.arraycopy(enc[i].getAttentionMask(), 0, mask, i * len, enc[i].getAttentionMask().length);
        }
        try (NDManager batch = taskManager.newSubManager()) {
          NDList out = predictor.predict(new NDList(batch.create(ids, new Shape(n, len)),
              batch.create(mask, new Shape(n, len))));
          NDArray s = out.get(0).toType(ai.djl.ndarray.types.DataType.FLOAT32, false);
          if (s.size() != n) {
            throw new IllegalStateException("TorchScript model " + dir + " returned shape " + s.getShape()
                + " for a batch of " + n + " (expected [" + n + "] or [" + n + ", 1])");
          }
          float[] scores = s.toFloatArray();
          out.close();
          return scores;
        } catch (TranslateException e) {
          throw new IllegalStateException("TorchScript model " + dir + " failed: " + e.getMessage(), e);
        }
      }

      @Override
      public void close() {
        predictor.close();
        taskManager.close();
      }
    };
  }

  private ZooModel<NDList, NDList> load(Device device) {
    RewardNet.engine();
    try {
      return Criteria.builder().setTypes(NDList.class, NDList.class).optModelPath(Paths.get(dir, "model.pt"))
          .optEngine(RewardNet.ENGINE).optDevice(device).optTranslator(new NoopTranslator()).build().loadModel();
    } catch (IOException | ModelNotFoundException | MalformedModelException e) {
      throw new IllegalStateException("cannot load TorchScript model " + dir + "/model.pt: " + e.getMessage(), e);
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
