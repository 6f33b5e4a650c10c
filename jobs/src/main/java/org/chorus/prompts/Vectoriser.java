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
import org.apache.spark.mllib.linalg.SparseVector;
import org.apache.spark.mllib.linalg.Vector;
import org.apache.spark.mllib.linalg.Vectors;

/**
 * TF-IDF vectors of normalised prompt text with Spark MLlib: words without English stop words, one-letter words and
 * numbers, hashed into {@code features} dimensions ({@link HashingTF}, MurmurHash3), weighted by
 * idf = ln((m + 1) / (df + 1)) fitted on the corpus ({@link IDF}; a term in fewer than {@code minDocFreq} prompts
 * weighs 0, so words the corpus never uses do not count), scaled to unit length.
 */
public final class Vectoriser implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final Set<String> STOP_WORDS = Set.of(StopWordsRemover.loadDefaultStopWords("english"));

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
    SparseVector v = idf.transform(termFrequencies).toSparse();
    double norm = Vectors.norm(v, 2);
    if (norm == 0) {
      return v;
    }
    double[] values = v.values().clone();
    for (int i = 0; i < values.length; i++) {
      values[i] /= norm;
    }
    return new SparseVector(v.size(), v.indices(), values);
  }

  public SparseVector tfidf(String normalised) {
    return tfidf(termFrequencies(normalised));
  }

  /** Dot product of two sparse vectors with sorted indices. */
  public static double dot(SparseVector a, SparseVector b) {
    int[] ia = a.indices();
    int[] ib = b.indices();
    double[] va = a.values();
    double[] vb = b.values();
    double s = 0;
    int i = 0;
    int j = 0;
    while (i < ia.length && j < ib.length) {
      if (ia[i] == ib[j]) {
        s += va[i++] * vb[j++];
      } else if (ia[i] < ib[j]) {
        i++;
      } else {
        j++;
      }
    }
    return s;
  }
}
