package org.chorus.panel;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Seeded synthetic sortition pools for tests and benchmarks. */
public final class SyntheticPool {
  private SyntheticPool() {}

  /** The pool's people and quotas (before they become an instance), for writing to input.pool/input.quotas. */
  public record Pool(int k, List<PanelInstance.Quota> quotas, List<PanelInstance.Person> people) {
    public PanelInstance instance() {
      return PanelInstance.of(k, quotas, people);
    }
  }

  /**
   * A synthetic pool: {@code categories} categories of {@code levels} features each, people's features skewed
   * (feature f drawn with weight 1/(f+1), correlated with the previous category), quotas around proportional
   * shares of k.
   */
  public static Pool generate(int n, int k, int categories, int levels, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    List<PanelInstance.Person> people = new ArrayList<>();
    int[][] f = new int[n][categories];
    for (int i = 0; i < n; i++) {
      Map<String, String> a = new LinkedHashMap<>();
      for (int c = 0; c < categories; c++) {
        int v;
        if (c > 0 && r.nextDouble() < 0.3) {
          v = f[i][c - 1] % levels;
        } else {
          double u = r.nextDouble() * harmonic(levels);
          v = 0;
          double acc = 1;
          while (u > acc && v < levels - 1) {
            v++;
            acc += 1.0 / (v + 1);
          }
        }
        f[i][c] = v;
        a.put("cat" + c, "f" + v);
      }
      people.add(new PanelInstance.Person(String.format("p%05d", i), a));
    }
    List<PanelInstance.Quota> quotas = new ArrayList<>();
    for (int c = 0; c < categories; c++) {
      for (int v = 0; v < levels; v++) {
        double target = k / (double) levels;
        int lo = (int) Math.floor(target * 0.7);
        int hi = (int) Math.ceil(target * 1.3);
        quotas.add(new PanelInstance.Quota("cat" + c, "f" + v, lo, hi, null, null));
      }
    }
    return new Pool(k, quotas, people);
  }

  /**
   * A pool laid out like the paper's example_large_200 (example_small_20 ten times over): 2,000 people, 10 female
   * conservatives, 990 female liberals, 1,000 male conservatives; panels of 200 with every feature in 99..200. The
   * published LEXIMIN minimum is 10.0% (Gurobi took a median 1162 s).
   */
  public static Pool exampleLarge200Layout() {
    List<PanelInstance.Person> people = new ArrayList<>();
    String[][] types = {{"female", "conservative"}, {"female", "liberal"}, {"male", "conservative"}};
    int[] counts = {10, 990, 1000};
    for (int t = 0; t < types.length; t++) {
      for (int i = 0; i < counts[t]; i++) {
        people.add(new PanelInstance.Person(String.format("p%04d", people.size()),
            Map.of("gender", types[t][0], "leaning", types[t][1])));
      }
    }
    List<PanelInstance.Quota> quotas = new ArrayList<>();
    for (String[] f : new String[][] {{"gender", "female"}, {"gender", "male"}, {"leaning", "liberal"},
        {"leaning", "conservative"}}) {
      quotas.add(new PanelInstance.Quota(f[0], f[1], 99, 200, null, null));
    }
    return new Pool(200, quotas, people);
  }

  private static double harmonic(int m) {
    double s = 0;
    for (int i = 1; i <= m; i++) {
      s += 1.0 / i;
    }
    return s;
  }
}
