package org.chorus.core.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/** Defaults of {@code chorus prompts} ({@code chorus.prompts}). */
public final class PromptsConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Words per shingle for MinHash. */
  public final int shingleWords;
  /** MinHash permutations; a multiple of {@link #bands}. */
  public final int hashes;
  /** LSH bands (hashes / bands rows each). */
  public final int bands;
  /** Verified Jaccard similarity from which two prompts are near duplicates. */
  public final double threshold;
  /** An LSH bucket with more members pairs them with its first member only. */
  public final int maxBucket;
  /** Hashed TF-IDF dimensions. */
  public final int features;
  /** A term in fewer prompts than this weighs 0. */
  public final int minDocFreq;
  /** The range of topic counts tried when --clusters is not given. */
  public final int kMin;
  public final int kMax;
  /** Prompts sampled to choose k and the starting centres. */
  public final int sample;
  /** k-means restarts (seeds) on the sample. */
  public final int restarts;
  /** Restarts per k while choosing k. */
  public final int scanRestarts;
  public final int maxIterations;
  /** Top terms and representative prompts per topic. */
  public final int topTerms;
  public final int representatives;
  /** Prompts sampled to count topic terms. */
  public final int labelSample;
  /** A topic with fewer prompts than this share of the mean topic size is sparse. */
  public final double sparseShare;
  /** TF-IDF cosine from which a prompt exercises a policy rule. */
  public final double ruleSimilarity;
  /** Boundary cases: a reward margin at most this many standard deviations is small. */
  public final double marginSd;
  public final long seed;

  PromptsConfig(Config c, List<String> errors) {
    String p = "chorus.prompts.";
    this.shingleWords = Values.integer(c, p + "shingle-words", 1, 20, errors);
    this.hashes = Values.integer(c, p + "hashes", 1, 4096, errors);
    this.bands = Values.integer(c, p + "bands", 1, 4096, errors);
    if (bands > 0 && hashes % bands != 0) {
      errors.add(p + "hashes = " + hashes + " must be a multiple of " + p + "bands = " + bands);
    }
    this.threshold = Values.number(c, p + "threshold", 0.01, 1, errors);
    this.maxBucket = Values.integer(c, p + "max-bucket", 2, 1_000_000, errors);
    this.features = Values.integer(c, p + "features", 16, 1 << 26, errors);
    this.minDocFreq = Values.integer(c, p + "min-doc-freq", 0, 1_000_000, errors);
    this.kMin = Values.integer(c, p + "k-min", 2, 1000, errors);
    this.kMax = Values.integer(c, p + "k-max", 2, 1000, errors);
    if (kMax < kMin) {
      errors.add(p + "k-max = " + kMax + " is below " + p + "k-min = " + kMin);
    }
    this.sample = Values.integer(c, p + "sample", 100, 10_000_000, errors);
    this.restarts = Values.integer(c, p + "restarts", 1, 100, errors);
    this.scanRestarts = Values.integer(c, p + "scan-restarts", 1, 100, errors);
    this.maxIterations = Values.integer(c, p + "max-iterations", 1, 1000, errors);
    this.topTerms = Values.integer(c, p + "top-terms", 1, 100, errors);
    this.representatives = Values.integer(c, p + "representatives", 1, 100, errors);
    this.labelSample = Values.integer(c, p + "label-sample", 100, 100_000_000, errors);
    this.sparseShare = Values.number(c, p + "sparse-share", 0, 1, errors);
    this.ruleSimilarity = Values.number(c, p + "rule-similarity", 0, 1, errors);
    this.marginSd = Values.number(c, p + "margin-sd", 0, 100, errors);
    this.seed = Values.longValue(c, p + "seed", Long.MIN_VALUE, Long.MAX_VALUE, errors);
  }
}
