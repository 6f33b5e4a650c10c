package org.chorus.math;

import java.util.SplittableRandom;

/**
 * Poisson(1) bootstrap in one pass: each record's multiplicity in every replicate comes from a generator seeded by the
 * run's seed and the record's id, so any partitioning of the data gives the same replicates.
 */
public final class PoissonBootstrap {
  private PoissonBootstrap() {}

  /** The generator of one record's multiplicities. */
  public static SplittableRandom forRecord(long seed, String id) {
    return new SplittableRandom(mix(seed * 31 + id.hashCode()));
  }

  /** A Poisson(1) draw (Knuth's product of uniforms). */
  public static int poisson(SplittableRandom r) {
    double l = Math.exp(-1);
    int k = 0;
    double p = r.nextDouble();
    while (p > l) {
      k++;
      p *= r.nextDouble();
    }
    return k;
  }

  /** MurmurHash3's 64-bit finaliser. */
  public static long mix(long z) {
    z = (z ^ (z >>> 33)) * 0xff51afd7ed558ccdL;
    z = (z ^ (z >>> 33)) * 0xc4ceb93fe53d4ce3L;
    return z ^ (z >>> 33);
  }

  /** The p-th percentile (0..100) by linear interpolation between order statistics; NaN when empty. */
  public static double percentile(double[] values, double p) {
    double[] v = java.util.Arrays.stream(values).filter(x -> !Double.isNaN(x)).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    double pos = p / 100 * (v.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(v.length - 1, lo + 1);
    return v[lo] + (pos - lo) * (v[hi] - v[lo]);
  }
}
