package org.chorus.shards;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Matches prompts against an evaluation set's prompts. Exact: equal after {@link #normalise} (case, role markers
 * such as "Human:", punctuation, whitespace). Near: word-3-gram Jaccard similarity at least the threshold, candidates
 * found by MinHash (64 hashes) with locality-sensitive hashing (16 bands of 4) and then verified exactly.
 */
public final class Contamination implements Serializable {
  static final int HASHES = 64;
  static final int BANDS = 16;
  static final int ROWS = HASHES / BANDS;
  private static final Pattern ROLE = Pattern.compile("\\b(human|assistant|user|system)\\s*:");
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  public enum Match { NONE, EXACT, NEAR }

  private final double threshold;
  private final Set<String> exact = new HashSet<>();
  private final List<Set<String>> shingles = new ArrayList<>();
  private final Map<Long, List<Integer>> bands = new HashMap<>();

  public Contamination(List<String> evalPrompts, double threshold) {
    this.threshold = threshold;
    for (String p : evalPrompts) {
      String n = normalise(p);
      if (n.isEmpty() || !exact.add(n)) {
        continue;
      }
      Set<String> s = shingles(n);
      int id = shingles.size();
      shingles.add(s);
      int[] sig = signature(s);
      for (int b = 0; b < BANDS; b++) {
        bands.computeIfAbsent(bandKey(sig, b), k -> new ArrayList<>()).add(id);
      }
    }
  }

  public int size() {
    return exact.size();
  }

  /** Lower case, role markers removed, every run of non-letters/digits one space, trimmed. */
  public static String normalise(String text) {
    String t = ROLE.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" ");
    return NON_WORD.matcher(t).replaceAll(" ").trim();
  }

  /** Word 3-grams of a normalised text (the whole text when it has fewer than 3 words). */
  static Set<String> shingles(String normalised) {
    String[] w = normalised.split(" ");
    Set<String> out = new HashSet<>();
    if (w.length < 3) {
      out.add(normalised);
      return out;
    }
    for (int i = 0; i + 3 <= w.length; i++) {
      out.add(w[i] + " " + w[i + 1] + " " + w[i + 2]);
    }
    return out;
  }

  static int[] signature(Set<String> shingles) {
    int[] sig = new int[HASHES];
    java.util.Arrays.fill(sig, Integer.MAX_VALUE);
    for (String s : shingles) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      long h = MurmurHash3.hash128x64(b, 0, b.length, 0)[0];
      int h1 = (int) h;
      int h2 = (int) (h >>> 32);
      for (int k = 0; k < HASHES; k++) {
        sig[k] = Math.min(sig[k], (h1 + k * h2) & Integer.MAX_VALUE); // Kirsch-Mitzenmacher double hashing
      }
    }
    return sig;
  }

  private static long bandKey(int[] sig, int band) {
    long h = band;
    for (int r = 0; r < ROWS; r++) {
      h = h * 0x9E3779B97F4A7C15L + sig[band * ROWS + r];
    }
    return h;
  }

  static double jaccard(Set<String> a, Set<String> b) {
    int common = 0;
    for (String s : a) {
      if (b.contains(s)) {
        common++;
      }
    }
    return (double) common / (a.size() + b.size() - common);
  }

  public Match match(String prompt) {
    String n = normalise(prompt);
    if (exact.contains(n)) {
      return Match.EXACT;
    }
    if (n.isEmpty()) {
      return Match.NONE;
    }
    Set<String> s = shingles(n);
    int[] sig = signature(s);
    Set<Integer> seen = new HashSet<>();
    for (int b = 0; b < BANDS; b++) {
      for (int id : bands.getOrDefault(bandKey(sig, b), List.of())) {
        if (seen.add(id) && jaccard(s, shingles.get(id)) >= threshold) {
          return Match.NEAR;
        }
      }
    }
    return Match.NONE;
  }
}
