package org.chorus.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Near-duplicate statements by the weighted Jaccard similarity of their content words (lower case, letters and digits,
 * a short English stop-word list removed), each word weighted by its smoothed inverse document frequency among the
 * statements compared, ln((1 + n) / (1 + df)) + 1, so that words every statement shares (the topic: "AI", "model")
 * count little. Pairs at or above the threshold share a cluster, transitively.
 */
public final class NearDuplicates {
  private NearDuplicates() {}

  public static final double DEFAULT_THRESHOLD = 0.6;

  private static final Set<String> STOP = Set.of("a", "an", "the", "and", "or", "but", "of", "to", "in", "on", "for",
      "with", "as", "at", "by", "from", "it", "its", "is", "are", "be", "been", "being", "was", "were", "that", "this",
      "these", "those", "which", "who", "whom", "there", "their", "them", "they", "he", "she", "we", "you", "your",
      "our", "i", "me", "my", "so", "if", "than", "then", "such", "can", "could", "would", "should", "will", "do",
      "does", "not", "no", "all", "any", "some", "more", "most", "also", "very", "just");

  /** The content words of a text. */
  public static Set<String> words(String text) {
    Set<String> out = new HashSet<>();
    for (String w : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!w.isEmpty() && !STOP.contains(w)) {
        out.add(w);
      }
    }
    return out;
  }

  /** sum of the weights of the shared words / sum of the weights of all words of either text. */
  public static double jaccard(Set<String> a, Set<String> b, Map<String, Double> weight) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    double common = 0;
    double union = 0;
    for (String w : a) {
      double x = weight.getOrDefault(w, 1.0);
      union += x;
      if (b.contains(w)) {
        common += x;
      }
    }
    for (String w : b) {
      if (!a.contains(w)) {
        union += weight.getOrDefault(w, 1.0);
      }
    }
    return common / union;
  }

  /** Smoothed inverse document frequency of each word over the given word sets. */
  public static Map<String, Double> idf(List<Set<String>> docs) {
    Map<String, Integer> df = new HashMap<>();
    docs.forEach(d -> d.forEach(w -> df.merge(w, 1, Integer::sum)));
    Map<String, Double> out = new HashMap<>();
    df.forEach((w, n) -> out.put(w, Math.log((1.0 + docs.size()) / (1.0 + n)) + 1));
    return out;
  }

  /** Cluster of each text (the index of its cluster's first member), texts in order. */
  public static int[] clusters(List<String> texts, double threshold) {
    List<Set<String>> words = new ArrayList<>();
    texts.forEach(t -> words.add(words(t)));
    Map<String, Double> weight = idf(words);
    int[] parent = new int[texts.size()];
    for (int i = 0; i < parent.length; i++) {
      parent[i] = i;
    }
    for (int i = 0; i < parent.length; i++) {
      for (int j = i + 1; j < parent.length; j++) {
        if (jaccard(words.get(i), words.get(j), weight) >= threshold) {
          int ri = root(parent, i);
          int rj = root(parent, j);
          parent[Math.max(ri, rj)] = Math.min(ri, rj);
        }
      }
    }
    int[] out = new int[parent.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = root(parent, i);
    }
    return out;
  }

  private static int root(int[] parent, int i) {
    while (parent[i] != i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  }
}
