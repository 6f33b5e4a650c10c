package org.chorus.panel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chorus.core.ChorusException;

/**
 * A volunteer pool and its quotas, indexed for the solvers. People with the same feature in every category are one
 * <em>type</em>: they are interchangeable for the quotas, so every method here (and every fair allocation) gives
 * them the same probability, and the solvers work on type counts instead of on people. A 2,000-person pool with a
 * few categories has far fewer types than people; with many categories the types approach the people and nothing
 * is lost.
 */
public final class PanelInstance {
  /** One quota row: {@code min <= count of panel members with feature <= max}; flex bounds are nullable. */
  public record Quota(String category, String feature, int min, int max, Integer minFlex, Integer maxFlex) {}

  /** A pool member: id and category -> feature. */
  public record Person(String id, Map<String, String> attributes) {}

  public final int k;
  public final List<String> categories;
  /** features.get(c) = the feature names of category c. */
  public final List<List<String>> features;
  /** quota[c][f]: the quota of feature f of category c. */
  public final Quota[][] quota;
  /** The people, sorted by id (so that draws do not depend on row order). */
  public final List<String> personIds;
  public final int[] personType;
  /** typeFeature[t][c] = the feature index of type t in category c. */
  public final int[][] typeFeature;
  public final int[] typeSize;
  /** typeMembers[t] = the people of type t, ascending. */
  public final int[][] typeMembers;

  private PanelInstance(int k, List<String> categories, List<List<String>> features, Quota[][] quota,
      List<String> personIds, int[] personType, int[][] typeFeature, int[] typeSize, int[][] typeMembers) {
    this.k = k;
    this.categories = categories;
    this.features = features;
    this.quota = quota;
    this.personIds = personIds;
    this.personType = personType;
    this.typeFeature = typeFeature;
    this.typeSize = typeSize;
    this.typeMembers = typeMembers;
  }

  public int people() {
    return personIds.size();
  }

  public int types() {
    return typeSize.length;
  }

  /**
   * Builds the instance; every person must have, in every quota category, one of the features the quotas name
   * (ingest sortition quarantines anyone else), and every quota must be consistent (0 <= min <= max).
   */
  public static PanelInstance of(int k, List<Quota> quotas, List<Person> people) {
    if (k < 1) {
      throw ChorusException.usage("--size must be at least 1, got %d", k);
    }
    if (quotas.isEmpty()) {
      throw ChorusException.badInput("the pool has no quotas");
    }
    if (people.size() < k) {
      throw ChorusException.badInput("the pool has %d people, fewer than the panel size %d", people.size(), k);
    }
    Map<String, Map<String, Quota>> byCategory = new LinkedHashMap<>();
    for (Quota q : quotas) {
      if (q.min() < 0 || q.max() < q.min()) {
        throw ChorusException.badInput("quota %s/%s has min %d and max %d", q.category(), q.feature(), q.min(),
            q.max());
      }
      byCategory.computeIfAbsent(q.category(), c -> new LinkedHashMap<>()).put(q.feature(), q);
    }
    List<String> categories = new ArrayList<>(byCategory.keySet());
    List<List<String>> features = new ArrayList<>();
    Quota[][] quota = new Quota[categories.size()][];
    for (int c = 0; c < categories.size(); c++) {
      Map<String, Quota> fs = byCategory.get(categories.get(c));
      features.add(new ArrayList<>(fs.keySet()));
      quota[c] = fs.values().toArray(new Quota[0]);
    }

    List<Person> sorted = new ArrayList<>(people);
    sorted.sort((a, b) -> a.id().compareTo(b.id()));
    List<String> ids = new ArrayList<>(sorted.size());
    int[] personType = new int[sorted.size()];
    Map<List<Integer>, Integer> typeIndex = new HashMap<>();
    List<int[]> typeFeatures = new ArrayList<>();
    List<List<Integer>> members = new ArrayList<>();
    for (int i = 0; i < sorted.size(); i++) {
      Person p = sorted.get(i);
      if (i > 0 && p.id().equals(ids.get(i - 1))) {
        throw ChorusException.badInput("person %s is in the pool twice", p.id());
      }
      ids.add(p.id());
      int[] fv = new int[categories.size()];
      for (int c = 0; c < categories.size(); c++) {
        String value = p.attributes().get(categories.get(c));
        int f = value == null ? -1 : features.get(c).indexOf(value);
        if (f < 0) {
          throw ChorusException.badInput("person %s has %s '%s', which has no quota", p.id(), categories.get(c),
              value);
        }
        fv[c] = f;
      }
      List<Integer> key = Arrays.stream(fv).boxed().toList();
      Integer t = typeIndex.get(key);
      if (t == null) {
        t = typeFeatures.size();
        typeIndex.put(key, t);
        typeFeatures.add(fv);
        members.add(new ArrayList<>());
      }
      members.get(t).add(i);
      personType[i] = t;
    }
    int[][] typeMembers = new int[members.size()][];
    int[] typeSize = new int[members.size()];
    for (int t = 0; t < members.size(); t++) {
      typeMembers[t] = members.get(t).stream().mapToInt(Integer::intValue).toArray();
      typeSize[t] = typeMembers[t].length;
    }
    return new PanelInstance(k, List.copyOf(categories), List.copyOf(features), quota, List.copyOf(ids), personType,
        typeFeatures.toArray(new int[0][]), typeSize, typeMembers);
  }

  /** Whether a panel given as type counts has k members and meets every quota. */
  public boolean meetsQuotas(int[] typeCounts) {
    int total = 0;
    int[][] count = featureCounts(typeCounts);
    for (int t = 0; t < typeCounts.length; t++) {
      if (typeCounts[t] < 0 || typeCounts[t] > typeSize[t]) {
        return false;
      }
      total += typeCounts[t];
    }
    if (total != k) {
      return false;
    }
    for (int c = 0; c < categories.size(); c++) {
      for (int f = 0; f < quota[c].length; f++) {
        if (count[c][f] < quota[c][f].min() || count[c][f] > quota[c][f].max()) {
          return false;
        }
      }
    }
    return true;
  }

  /** Panel members per feature: result[c][f]. */
  public int[][] featureCounts(int[] typeCounts) {
    int[][] count = new int[categories.size()][];
    for (int c = 0; c < categories.size(); c++) {
      count[c] = new int[quota[c].length];
    }
    for (int t = 0; t < typeCounts.length; t++) {
      for (int c = 0; c < categories.size(); c++) {
        count[c][typeFeature[t][c]] += typeCounts[t];
      }
    }
    return count;
  }

  /** The type counts of a panel given as people. */
  public int[] typeCounts(int[] panel) {
    int[] counts = new int[types()];
    for (int i : panel) {
      counts[personType[i]]++;
    }
    return counts;
  }

  /** Per-person probabilities from per-type probabilities. */
  public double[] personProbabilities(double[] typeProbability) {
    double[] p = new double[people()];
    for (int i = 0; i < p.length; i++) {
      p[i] = typeProbability[personType[i]];
    }
    return p;
  }
}
