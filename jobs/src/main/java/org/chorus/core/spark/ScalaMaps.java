package org.chorus.core.spark;

import java.util.Map;

/** Rows handed to Spark carry map columns as Scala maps. */
public final class ScalaMaps {
  private ScalaMaps() {}

  public static <K, V> scala.collection.immutable.Map<K, V> of(Map<K, V> map) {
    return scala.jdk.javaapi.CollectionConverters.asScala(map).toMap(scala.$less$colon$less$.MODULE$.refl());
  }
}
