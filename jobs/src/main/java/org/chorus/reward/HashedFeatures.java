package org.chorus.reward;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The text encoder's input: word n-grams hashed into buckets. A text is lower-cased and split into tokens (runs of
 * letters, digits and apostrophes); every n-gram for n = 1..maxNgram (tokens joined by one space) is hashed with
 * MurmurHash3 x86 32-bit of its UTF-8 bytes and {@code seed}, and maps to bucket 1 + floorMod(hash, buckets - 1).
 * Bucket 0 is padding. At most {@code maxFeatures} n-grams are kept, in text order (unigrams first).
 */
public record HashedFeatures(int buckets, int maxNgram, int maxFeatures, int seed) implements Serializable {
  public static final String TOKEN_PATTERN = "[\\p{L}\\p{N}']+";
  private static final Pattern TOKEN = Pattern.compile(TOKEN_PATTERN);

  public static final HashedFeatures DEFAULT = new HashedFeatures(1 << 16, 1, 512, 20261129);

  public HashedFeatures {
    if (buckets < 2 || maxNgram < 1 || maxFeatures < 1) {
      throw new IllegalArgumentException("buckets >= 2, maxNgram >= 1 and maxFeatures >= 1 required");
    }
  }

  public static List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    Matcher m = TOKEN.matcher(text == null ? "" : text.toLowerCase(Locale.ROOT));
    while (m.find()) {
      out.add(m.group());
    }
    return out;
  }

  /** The bucket of every n-gram of the text (with repeats), padding-free. */
  public long[] indices(String text) {
    List<String> tokens = tokens(text);
    long[] out = new long[Math.min(maxFeatures, tokens.size() * maxNgram)];
    int k = 0;
    for (int n = 1; n <= maxNgram && k < out.length; n++) {
      for (int i = 0; i + n <= tokens.size() && k < out.length; i++) {
        String gram = n == 1 ? tokens.get(i) : String.join(" ", tokens.subList(i, i + n));
        out[k++] = bucket(gram);
      }
    }
    return k == out.length ? out : java.util.Arrays.copyOf(out, k);
  }

  public long bucket(String gram) {
    byte[] b = gram.getBytes(StandardCharsets.UTF_8);
    return 1 + Math.floorMod(MurmurHash3.hash32x86(b, 0, b.length, seed), buckets - 1);
  }

  ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode n = mapper.createObjectNode();
    n.put("type", "hashed-word-ngrams");
    n.put("lowercase", true);
    n.put("token_pattern", TOKEN_PATTERN);
    n.put("ngram_joiner", " ");
    n.put("hash", "murmur3_x86_32(utf8(ngram), seed)");
    n.put("bucket", "1 + floorMod(hash, buckets - 1); 0 is padding");
    n.put("buckets", buckets);
    n.put("max_ngram", maxNgram);
    n.put("max_features", maxFeatures);
    n.put("seed", seed);
    return n;
  }

  static HashedFeatures fromJson(JsonNode n) {
    return new HashedFeatures(n.path("buckets").asInt(), n.path("max_ngram").asInt(), n.path("max_features").asInt(),
        n.path("seed").asInt());
  }
}
