package org.chorus.panel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Pools for the plain-Java panel tests: the shared sortition files read in place, and seeded synthetic pools. */
final class Pools {
  private Pools() {}

  static Path shared() {
    return Path.of(System.getProperty("chorus.shared.data", "../../shared/data")).resolve("sortition");
  }

  /** The example_small_20 layout: respondents.csv (one column per category) and categories.csv. */
  static PanelInstance exampleSmall20() throws IOException {
    Path dir = shared().resolve("example_small_20");
    List<PanelInstance.Quota> quotas = new ArrayList<>();
    for (String line : Files.readAllLines(dir.resolve("categories.csv")).subList(1, 5)) {
      String[] f = line.split(",");
      quotas.add(new PanelInstance.Quota(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), null, null));
    }
    List<String> lines = Files.readAllLines(dir.resolve("respondents.csv"));
    String[] header = lines.get(0).split(",");
    List<PanelInstance.Person> people = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",");
      Map<String, String> a = new LinkedHashMap<>();
      for (int c = 0; c < header.length; c++) {
        a.put(header[c], f[c]);
      }
      people.add(new PanelInstance.Person(String.format("%03d", i - 1), a));
    }
    return PanelInstance.of(20, quotas, people);
  }

  /**
   * A synthetic pool: {@code categories} categories of {@code levels} features each, people's features skewed
   * (feature f drawn with weight 1/(f+1), correlated with the previous category), quotas around proportional
   * shares of k.
   */
  static PanelInstance synthetic(int n, int k, int categories, int levels, long seed) {
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
    return PanelInstance.of(k, quotas, people);
  }

  private static double harmonic(int m) {
    double s = 0;
    for (int i = 1; i <= m; i++) {
      s += 1.0 / i;
    }
    return s;
  }
}
