package org.chorus.reward;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.chorus.core.ChorusException;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.io.TextFiles;

/**
 * A self-describing reward model directory: {@code config.json} (format, feature hashing spec, sizes, the order and
 * shape of the weights, training settings and data snapshots), {@code weights.bin} (float32 little-endian, the
 * arrays one after another in that order), {@code metrics.json}, and {@code model_id}, the first 16 hex digits of
 * SHA-256 over the weights and the model part of the config: the content hash.
 */
public record RewardModel(String modelId, HashedFeatures features, int dim, int hidden, Map<String, float[]> weights,
    ObjectNode config) implements java.io.Serializable {
  public static final String FORMAT = "chorus-reward-hashed-bag/1";

  /** The content hash of a model: SHA-256 over its feature spec, sizes and weights. */
  static String contentHash(HashedFeatures f, int dim, int hidden, byte[] weights) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((FORMAT + "|" + f + "|" + dim + "|" + hidden + "|").getBytes(java.nio.charset.StandardCharsets.UTF_8));
      sha.update(weights);
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static byte[] encode(Map<String, float[]> weights) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (float[] w : weights.values()) {
      ByteBuffer b = ByteBuffer.allocate(4 * w.length).order(ByteOrder.LITTLE_ENDIAN);
      b.asFloatBuffer().put(w);
      bytes.writeBytes(b.array());
    }
    return bytes.toByteArray();
  }

  /** The model of a trained network, with {@code extra} (training settings, data lineage) in its config. */
  public static RewardModel of(RewardNet net, HashedFeatures f, ObjectNode extra) {
    Map<String, float[]> w = net.values();
    String id = contentHash(f, net.dim, net.hidden, encode(w));
    ObjectMapper mapper = new ObjectMapper();
    ObjectNode c = mapper.createObjectNode();
    c.put("format", FORMAT);
    c.put("model_id", id);
    c.put("engine", "DJL " + ai.djl.engine.Engine.getDjlVersion() + " / " + RewardNet.ENGINE);
    c.put("code_version", "chorus " + org.chorus.core.Version.get());
    c.set("features", f.toJson(mapper));
    ObjectNode model = c.putObject("model");
    model.put("architecture", "r(x) = v.e + w2.relu(W1 e + b1) + b, e = sum of the embeddings of x's hashed n-grams");
    model.put("dim", net.dim);
    model.put("hidden", net.hidden);
    var arrays = model.putArray("weights");
    RewardNet.shapes(f.buckets(), net.dim, net.hidden).forEach((name, shape) -> {
      ObjectNode a = arrays.addObject();
      a.put("name", name);
      var dims = a.putArray("shape");
      for (long d : shape.getShape()) {
        dims.add(d);
      }
    });
    model.put("weights_file", "weights.bin (float32, little-endian, arrays in this order)");
    ObjectNode io = c.putObject("io");
    io.put("input", "one response text (the prompt is not read)");
    io.put("output", "one float: the reward; higher is preferred");
    if (extra != null) {
      c.setAll(extra);
    }
    return new RewardModel(id, f, net.dim, net.hidden, w, c);
  }

  public void save(String dir, ObjectNode metrics, Configuration hadoop) throws IOException {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    Path weightsPath = new Path(dir, "weights.bin");
    FileSystem fs = weightsPath.getFileSystem(hadoop);
    try (OutputStream out = fs.create(weightsPath, true)) {
      out.write(encode(weights));
    }
    fs.delete(new Path(dir, ".weights.bin.crc"), false);
    TextFiles.write(dir + "/config.json", mapper.writeValueAsString(config) + "\n", hadoop);
    TextFiles.write(dir + "/metrics.json", mapper.writeValueAsString(metrics) + "\n", hadoop);
    TextFiles.write(dir + "/model_id", modelId + "\n", hadoop);
  }

  public static RewardModel load(String dir, Configuration hadoop) {
    String config = dir + "/config.json";
    if (!SourceFiles.exists(config, hadoop)) {
      throw ChorusException.badInput("%s is not a reward model directory (no config.json)", dir);
    }
    try {
      ObjectNode c = (ObjectNode) new ObjectMapper().readTree(TextFiles.read(config, hadoop));
      if (!FORMAT.equals(c.path("format").asText())) {
        throw ChorusException.badInput("%s: unknown model format '%s' (expected %s)", config, c.path("format").asText(),
            FORMAT);
      }
      HashedFeatures f = HashedFeatures.fromJson(c.path("features"));
      int dim = c.path("model").path("dim").asInt();
      int hidden = c.path("model").path("hidden").asInt();
      Map<String, float[]> w = new LinkedHashMap<>();
      try (InputStream in = SourceFiles.open(dir + "/weights.bin", hadoop);
          DataInputStream data = new DataInputStream(in)) {
        for (var e : RewardNet.shapes(f.buckets(), dim, hidden).entrySet()) {
          byte[] b = new byte[Math.toIntExact(4 * e.getValue().size())];
          data.readFully(b);
          float[] v = new float[b.length / 4];
          ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
          w.put(e.getKey(), v);
        }
        if (data.read() != -1) {
          throw ChorusException.badInput("%s/weights.bin is longer than config.json says", dir);
        }
      }
      String id = contentHash(f, dim, hidden, encode(w));
      if (!id.equals(c.path("model_id").asText())) {
        throw ChorusException.badInput("%s: weights do not match model_id %s (content hash %s)", dir,
            c.path("model_id").asText(), id);
      }
      return new RewardModel(id, f, dim, hidden, w, c);
    } catch (java.io.EOFException e) {
      throw ChorusException.badInput("%s/weights.bin is shorter than config.json says", dir);
    } catch (IOException e) {
      throw ChorusException.badInput("cannot read reward model %s: %s", dir, e.getMessage());
    }
  }

  public RewardNet network(Device device) {
    return RewardNet.of(weights, features.buckets(), dim, hidden, device);
  }
}
