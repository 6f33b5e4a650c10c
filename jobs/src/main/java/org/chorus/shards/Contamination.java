package org.chorus.shards;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.chorus.text.MinHash;

/**
 * Matches prompts against an evaluation set's prompts. Exact: equal after {@link #normalise} (Unicode NFKC, case,
 * role markers such as "Human:", punctuation, whitespace). Near: word-3-gram Jaccard similarity at least the
 * threshold, candidates found by MinHash (64 hashes) with locality-sensitive hashing (16 bands of 4) and then
 * verified exactly.
 */
public final class Contamination implements Serializable {
  static final MinHash MINHASH = new MinHash(3, 64, 16);
  private static final Pattern ROLE = Pattern.compile("\\b(human|assistant|user|system)\\s*:");

  public enum Match { NONE, EXACT, NEAR }

  private final double threshold;
  private final Set<String> exact = new HashSet<>();
  private final List<long[]> shingles = new ArrayList<>();
  private final Map<Long, List<Integer>> bands = new HashMap<>();

  public Contamination(List<String> evalPrompts, double threshold) {
    this.threshold = threshold;
    for (String p : evalPrompts) {
      String n = normalise(p);
      if (n.isEmpty() || !exact.add(n)) {
        continue;
      }
      long[] s = MINHASH.shingles(n);
      int id = shingles.size();
      shingles.add(s);
      int[] sig = MINHASH.signature(s);
      for (int b = 0; b < MINHASH.bands(); b++) {
        bands.computeIfAbsent(MINHASH.bandKey(sig, b), k -> new ArrayList<>()).add(id);
      }
    }
  }

  public int size() {
    return exact.size();
  }

  /** Role markers removed, then {@link MinHash#normalise}. */
  public static String normalise(String text) {
    return MinHash.normalise(ROLE.matcher(text.toLowerCase(Locale.ROOT)).replaceAll(" "));
  }

  public Match match(String prompt) {
    String n = normalise(prompt);
    if (exact.contains(n)) {
      return Match.EXACT;
    }
    if (n.isEmpty()) {
      return Match.NONE;
    }
    long[] s = MINHASH.shingles(n);
    int[] sig = MINHASH.signature(s);
    Set<Integer> seen = new HashSet<>();
    for (int b = 0; b < MINHASH.bands(); b++) {
      for (int id : bands.getOrDefault(MINHASH.bandKey(sig, b), List.of())) {
        if (seen.add(id) && MinHash.jaccard(s, shingles.get(id)) >= threshold) {
          return Match.NEAR;
        }
      }
    }
    return Match.NONE;
  }
}
