package org.chorus.prompts;

import java.io.Serializable;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.config.ConfigSection;
import org.chorus.core.config.SectionReader;

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

  private final String description;

  PromptsConfig(ConfigSection s) {
    this.shingleWords = s.integer("shingle-words", 1, 20);
    this.hashes = s.integer("hashes", 1, 4096);
    this.bands = s.integer("bands", 1, 4096);
    if (bands > 0 && hashes % bands != 0) {
      s.problem(false, "chorus.prompts.hashes = %d must be a multiple of chorus.prompts.bands = %d", hashes, bands);
    }
    this.threshold = s.number("threshold", 0.01, 1);
    this.maxBucket = s.integer("max-bucket", 2, 1_000_000);
    this.features = s.integer("features", 16, 1 << 26);
    this.minDocFreq = s.integer("min-doc-freq", 0, 1_000_000);
    this.kMin = s.integer("k-min", 2, 1000);
    this.kMax = s.integer("k-max", 2, 1000);
    if (kMax < kMin) {
      s.problem(false, "chorus.prompts.k-max = %d is below chorus.prompts.k-min = %d", kMax, kMin);
    }
    this.sample = s.integer("sample", 100, 10_000_000);
    this.restarts = s.integer("restarts", 1, 100);
    this.scanRestarts = s.integer("scan-restarts", 1, 100);
    this.maxIterations = s.integer("max-iterations", 1, 1000);
    this.topTerms = s.integer("top-terms", 1, 100);
    this.representatives = s.integer("representatives", 1, 100);
    this.labelSample = s.integer("label-sample", 100, 100_000_000);
    this.sparseShare = s.number("sparse-share", 0, 1);
    this.ruleSimilarity = s.number("rule-similarity", 0, 1);
    this.marginSd = s.number("margin-sd", 0, 100);
    this.seed = s.longValue("seed", Long.MIN_VALUE, Long.MAX_VALUE);
    this.description = s.describe();
  }

  /** {@code chorus.prompts} of {@code config}: every bad value on one line (exit 2) before Spark starts. */
  public static PromptsConfig from(ChorusConfig config) {
    return config.section("prompts", PromptsConfig::new);
  }

  @Override
  public String toString() {
    return description;
  }

  /** Checks {@code chorus.prompts} when the config is loaded (listed in META-INF/services). */
  public static final class Section extends SectionReader {
    public Section() {
      super("prompts", PromptsConfig::new);
    }
  }
}
