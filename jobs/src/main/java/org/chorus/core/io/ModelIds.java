package org.chorus.core.io;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.chorus.core.ChorusException;

/**
 * The id a reward model is known by in derived.rm_scores and derived.rm_eval: a model of {@code chorus reward train}
 * carries it in config.json ({@code model_id}); a user's model ({@code model.pt} or {@code model.onnx} with
 * {@code tokenizer.json}) is named by the first 16 hex digits of SHA-256 over the model file and the tokenizer.
 * Jobs that only read scores (shards) find a model's rows by this id without loading the model.
 */
public final class ModelIds {
  public static final List<String> USER_MODEL_FILES = List.of("model.pt", "model.onnx");

  private ModelIds() {}

  public static String of(String dir, Configuration hadoop) {
    if (SourceFiles.exists(dir + "/config.json", hadoop)) {
      try {
        String id = new ObjectMapper().readTree(TextFiles.read(dir + "/config.json", hadoop)).path("model_id")
            .asText();
        if (id.isEmpty()) {
          throw ChorusException.badInput("%s/config.json has no model_id", dir);
        }
        return id;
      } catch (IOException e) {
        throw ChorusException.badInput("cannot read %s/config.json: %s", dir, e.getMessage());
      }
    }
    for (String f : USER_MODEL_FILES) {
      if (SourceFiles.exists(dir + "/" + f, hadoop)) {
        return contentHash(dir, List.of(f, "tokenizer.json"), hadoop);
      }
    }
    throw ChorusException.badInput("%s is neither a Chorus reward model (config.json) nor a user's model (model.pt "
        + "or model.onnx, with tokenizer.json)", dir);
  }

  /** The first 16 hex digits of SHA-256 over {@code files} of {@code dir}, in order. */
  public static String contentHash(String dir, List<String> files, Configuration hadoop) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String f : files) {
        try (InputStream in = SourceFiles.open(dir + "/" + f, hadoop)) {
          sha.update(in.readAllBytes());
        }
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
    } catch (IOException | NoSuchAlgorithmException e) {
      throw ChorusException.badInput("cannot read the model in %s: %s", dir, e.getMessage());
    }
  }
}
