package org.chorus.text;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * Near-duplicate text by MinHash over word shingles, with locality-sensitive hashing in bands.
 *
 * <p>A text is normalised ({@link #normalise}), cut into word n-grams, each hashed to 64 bits (MurmurHash3 x64,
 * seed 0); the signature takes the minimum of {@code h1 + k h2} (Kirsch-Mitzenmacher double hashing of the two 32-bit
 * halves) for k = 0..hashes-1; band b's key hashes rows b*r..b*r+r-1 of the signature. Two texts with Jaccard
 * similarity s share at least one band with probability 1 - (1 - s^r)^b. Candidates are then checked with the true
 * Jaccard similarity of their shingle sets ({@link #jaccard}).
 */
public final class MinHash implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

  private final int shingleWords;
  private final int hashes;
  private final int bands;
  private final int rows;

  public MinHash(int shingleWords, int hashes, int bands) {
    if (shingleWords < 1 || bands < 1 || hashes < bands || hashes % bands != 0) {
      throw new IllegalArgumentException("MinHash needs shingle words >= 1 and hashes a multiple of bands, got "
          + shingleWords + " words, " + hashes + " hashes, " + bands + " bands");
    }
    this.shingleWords = shingleWords;
    this.hashes = hashes;
    this.bands = bands;
    this.rows = hashes / bands;
  }

  public int bands() {
    return bands;
  }

  /** Unicode NFKC, lower case, every run of characters that are not letters or digits one space, trimmed. */
  public static String normalise(String text) {
    String t = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    return NON_WORD.matcher(t).replaceAll(" ").trim();
  }

  /** The probability that two texts of Jaccard similarity s become candidates: 1 - (1 - s^r)^b. */
  public double candidateProbability(double s) {
    return 1 - Math.pow(1 - Math.pow(s, rows), bands);
  }

  /**
   * The sorted, distinct 64-bit hashes of a normalised text's word n-grams (the whole text is one shingle when it
   * has fewer than n words; an empty text has none).
   */
  public long[] shingles(String normalised) {
    if (normalised.isEmpty()) {
      return new long[0];
    }
    String[] w = normalised.split(" ");
    if (w.length < shingleWords) {
      return new long[] {hash(normalised)};
    }
    long[] out = new long[w.length - shingleWords + 1];
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < out.length; i++) {
      sb.setLength(0);
      for (int j = 0; j < shingleWords; j++) {
        sb.append(j == 0 ? "" : " ").append(w[i + j]);
      }
      out[i] = hash(sb.toString());
    }
    Arrays.sort(out);
    int n = 0;
    for (int i = 0; i < out.length; i++) {
      if (i == 0 || out[i] != out[n - 1]) {
        out[n++] = out[i];
      }
    }
    return Arrays.copyOf(out, n);
  }

  static long hash(String shingle) {
    byte[] b = shingle.getBytes(StandardCharsets.UTF_8);
    return MurmurHash3.hash128x64(b, 0, b.length, 0)[0];
  }

  public int[] signature(long[] shingles) {
    int[] sig = new int[hashes];
    Arrays.fill(sig, Integer.MAX_VALUE);
    for (long h : shingles) {
      int h1 = (int) h;
      int h2 = (int) (h >>> 32);
      for (int k = 0; k < hashes; k++) {
        sig[k] = Math.min(sig[k], (h1 + k * h2) & Integer.MAX_VALUE);
      }
    }
    return sig;
  }

  /** Band b's bucket key (the band number is part of it, so equal rows in different bands do not collide). */
  public long bandKey(int[] signature, int band) {
    long h = band;
    for (int r = 0; r < rows; r++) {
      h = h * 0x9E3779B97F4A7C15L + signature[band * rows + r];
    }
    return h;
  }

  /** Jaccard similarity of two sorted, distinct hash sets (1 for two empty sets). */
  public static double jaccard(long[] a, long[] b) {
    if (a.length == 0 && b.length == 0) {
      return 1;
    }
    int i = 0;
    int j = 0;
    int common = 0;
    while (i < a.length && j < b.length) {
      if (a[i] == b[j]) {
        common++;
        i++;
        j++;
      } else if (a[i] < b[j]) {
        i++;
      } else {
        j++;
      }
    }
    return (double) common / (a.length + b.length - common);
  }
}
