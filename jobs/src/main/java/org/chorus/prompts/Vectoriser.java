package org.chorus.prompts;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.feature.StopWordsRemover;
import org.apache.spark.mllib.feature.HashingTF;
import org.apache.spark.mllib.feature.IDF;
import org.apache.spark.mllib.feature.IDFModel;
import org.apache.spark.mllib.feature.Normalizer;
import org.apache.spark.mllib.linalg.SparseVector;
import org.apache.spark.mllib.linalg.Vector;

/**
 * TF-IDF vectors of normalised prompt text with Spark MLlib: words without English stop words, one-letter words and
 * numbers, hashed into {@code features} dimensions ({@link HashingTF}, MurmurHash3), weighted by
 * idf = ln((m + 1) / (df + 1)) fitted on the corpus ({@link IDF}; a term in fewer than {@code minDocFreq} prompts
 * weighs 0, so words the corpus never uses do not count), scaled to unit length (MLlib's {@link Normalizer}).
 */
public final class Vectoriser implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Set<String> STOP_WORDS = Set.of(StopWordsRemover.loadDefaultStopWords("english"));

  private static final Normalizer UNIT = new Normalizer(2);

  private final HashingTF tf;
  private IDFModel idf;

  public Vectoriser(int features) {
    this.tf = new HashingTF(features);
  }

  /** The content words of a normalised text. */
  public static List<String> tokens(String normalised) {
    List<String> out = new ArrayList<>();
    for (String w : normalised.split(" ")) {
      if (w.length() > 1 && !STOP_WORDS.contains(w) && !w.chars().allMatch(Character::isDigit)) {
        out.add(w);
      }
    }
    return out;
  }

  public Vector termFrequencies(String normalised) {
    return tf.transform(tokens(normalised));
  }

  /** Fits the inverse document frequencies on the corpus's term-frequency vectors. */
  public Vectoriser fit(JavaRDD<Vector> termFrequencies, int minDocFreq) {
    this.idf = new IDF(minDocFreq).fit(termFrequencies);
    return this;
  }

  /** The unit-length TF-IDF vector of term frequencies (all zero when no term has weight). */
  public SparseVector tfidf(Vector termFrequencies) {
    return UNIT.transform(idf.transform(termFrequencies)).toSparse();
  }

  public SparseVector tfidf(String normalised) {
    return tfidf(termFrequencies(normalised));
  }
}
