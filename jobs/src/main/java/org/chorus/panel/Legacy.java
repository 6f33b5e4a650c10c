package org.chorus.panel;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * LEGACY: the greedy algorithm sortition organisations used before the Nature 2021 paper (the Sortition
 * Foundation's {@code find_random_sample_legacy}). One seat at a time, it finds the feature whose unmet minimum is
 * largest relative to the people still available with it ({@code (min - selected) / remaining}, first in quota
 * order on ties), seats a uniformly random available person with that feature, and removes from the pool everyone
 * with a feature whose maximum is now reached. A draw that runs out of people, or ends below a minimum, fails and
 * is retried. It has no closed-form probabilities: they are estimated by simulation, with the number of draws
 * reported.
 */
public final class Legacy {
  /** Attempts per draw before LEGACY is declared unable to find a panel. */
  static final int MAX_ATTEMPTS = 1000;

  private Legacy() {}

  /** Estimated selection probabilities, how many draws and how many failed attempts it took. */
  public record Estimate(double[] probabilities, int draws, long failedAttempts) {}

  /** One LEGACY panel (person indexes, ascending), or an IllegalStateException after MAX_ATTEMPTS failures. */
  public static int[] draw(PanelInstance inst, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    Greedy g = new Greedy(inst);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      int[] panel = g.run(random);
      if (panel != null) {
        return panel;
      }
    }
    throw new IllegalStateException("LEGACY found no panel in " + MAX_ATTEMPTS + " attempts");
  }

  /**
   * Selection probabilities estimated from {@code draws} LEGACY panels. The draws are split into fixed chunks with
   * their own seeds and run in parallel, so the estimate depends only on the seed and the number of draws.
   */
  public static Estimate estimate(PanelInstance inst, int draws, long seed) {
    int chunks = Math.max(1, Math.min(64, draws / 100));
    long[][] counts = new long[chunks][];
    long[] failed = new long[chunks];
    IntStream.range(0, chunks).parallel().forEach(c -> {
      SplittableRandom random = new SplittableRandom(seed * 1_000_003L + c);
      Greedy g = new Greedy(inst);
      long[] count = new long[inst.people()];
      int mine = draws / chunks + (c < draws % chunks ? 1 : 0);
      for (int d = 0; d < mine; d++) {
        int[] panel = null;
        for (int attempt = 0; attempt < MAX_ATTEMPTS && panel == null; attempt++) {
          panel = g.run(random);
          if (panel == null) {
            failed[c]++;
          }
        }
        if (panel == null) {
          throw new IllegalStateException("LEGACY found no panel in " + MAX_ATTEMPTS + " attempts");
        }
        for (int i : panel) {
          count[i]++;
        }
      }
      counts[c] = count;
    });
    double[] p = new double[inst.people()];
    long fails = 0;
    for (int c = 0; c < chunks; c++) {
      for (int i = 0; i < p.length; i++) {
        p[i] += counts[c][i];
      }
      fails += failed[c];
    }
    for (int i = 0; i < p.length; i++) {
      p[i] /= draws;
    }
    return new Estimate(p, draws, fails);
  }

  /** The greedy draw, with the available people of each feature kept in swap-remove arrays. */
  static final class Greedy {
    private final PanelInstance inst;
    private final int categories;
    /** feature slot s = offset[c] + f */
    private final int[] offset;
    private final int[] min;
    private final int[] max;
    private final int[][] personSlots;
    private final int[][] available;
    private final int[] availableCount;
    /** position of person i in available[slot of i in category c]: position[i][c] */
    private final int[][] position;
    private final boolean[] gone;
    private final int[] selected;

    Greedy(PanelInstance inst) {
      this.inst = inst;
      this.categories = inst.categories.size();
      offset = new int[categories + 1];
      for (int c = 0; c < categories; c++) {
        offset[c + 1] = offset[c] + inst.quota[c].length;
      }
      int slots = offset[categories];
      min = new int[slots];
      max = new int[slots];
      for (int c = 0; c < categories; c++) {
        for (int f = 0; f < inst.quota[c].length; f++) {
          min[offset[c] + f] = inst.quota[c][f].min();
          max[offset[c] + f] = inst.quota[c][f].max();
        }
      }
      int n = inst.people();
      personSlots = new int[n][categories];
      int[] size = new int[slots];
      for (int i = 0; i < n; i++) {
        int[] tf = inst.typeFeature[inst.personType[i]];
        for (int c = 0; c < categories; c++) {
          personSlots[i][c] = offset[c] + tf[c];
          size[personSlots[i][c]]++;
        }
      }
      available = new int[slots][];
      for (int s = 0; s < slots; s++) {
        available[s] = new int[size[s]];
      }
      availableCount = new int[slots];
      position = new int[n][categories];
      gone = new boolean[n];
      selected = new int[slots];
    }

    /** One attempt: the panel, or null when the greedy runs into a dead end. */
    int[] run(SplittableRandom random) {
      reset();
      int[] panel = new int[inst.k];
      for (int seat = 0; seat < inst.k; seat++) {
        int chosen = neediestSlot();
        if (chosen < 0) {
          return null;
        }
        int person = available[chosen][random.nextInt(availableCount[chosen])];
        panel[seat] = person;
        remove(person);
        for (int c = 0; c < categories; c++) {
          int s = personSlots[person][c];
          selected[s]++;
        }
        for (int c = 0; c < categories; c++) {
          int s = personSlots[person][c];
          if (selected[s] >= max[s]) {
            removeAll(s);
          }
        }
      }
      for (int s = 0; s < min.length; s++) {
        if (selected[s] < min[s] || selected[s] > max[s]) {
          return null;
        }
      }
      java.util.Arrays.sort(panel);
      return panel;
    }

    /** Everyone available again, nobody selected; a feature with max 0 admits nobody. */
    private void reset() {
      int n = inst.people();
      int slots = min.length;
      java.util.Arrays.fill(availableCount, 0);
      java.util.Arrays.fill(selected, 0);
      java.util.Arrays.fill(gone, false);
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < categories; c++) {
          int s = personSlots[i][c];
          position[i][c] = availableCount[s];
          available[s][availableCount[s]++] = i;
        }
      }
      for (int s = 0; s < slots; s++) {
        if (max[s] == 0) {
          removeAll(s);
        }
      }
    }

    /**
     * The feature whose unmet minimum is the largest share of the people still available for it (the legacy
     * algorithm's ratio), or -1 at a dead end (a minimum that can no longer be met, or nothing to choose).
     */
    private int neediestSlot() {
      double ratio = -100;
      int chosen = -1;
      for (int s = 0; s < min.length; s++) {
        int remaining = availableCount[s];
        if (selected[s] < min[s] && remaining < min[s] - selected[s]) {
          return -1;
        }
        if (remaining != 0 && max[s] != 0) {
          double r = (min[s] - selected[s]) / (double) remaining;
          if (r > 1) {
            return -1;
          }
          if (r > ratio) {
            ratio = r;
            chosen = s;
          }
        }
      }
      return chosen;
    }

    private void removeAll(int slot) {
      while (availableCount[slot] > 0) {
        remove(available[slot][availableCount[slot] - 1]);
      }
    }

    private void remove(int person) {
      if (gone[person]) {
        return;
      }
      gone[person] = true;
      for (int c = 0; c < categories; c++) {
        int s = personSlots[person][c];
        int pos = position[person][c];
        int last = available[s][--availableCount[s]];
        available[s][pos] = last;
        position[last][c] = pos;
      }
    }
  }
}
