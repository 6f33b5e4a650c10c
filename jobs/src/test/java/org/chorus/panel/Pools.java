package org.chorus.panel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

  static PanelInstance synthetic(int n, int k, int categories, int levels, long seed) {
    return SyntheticPool.generate(n, k, categories, levels, seed).instance();
  }

}
