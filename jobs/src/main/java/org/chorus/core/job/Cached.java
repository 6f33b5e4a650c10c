package org.chorus.core.job;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.storage.StorageLevel;

/**
 * A persisted Dataset or RDD that is released however the job ends: {@code try (Cached<Dataset<Row>> c =
 * Cached.of(ds, level)) { ... c.get() ... }}. A job that fails half-way must not leave its caches in a long-lived
 * session (a notebook, the tests' shared session).
 */
public final class Cached<T> implements AutoCloseable {
  private final T value;
  private final Runnable release;

  private Cached(T value, Runnable release) {
    this.value = value;
    this.release = release;
  }

  public static <R> Cached<Dataset<R>> of(Dataset<R> ds, StorageLevel level) {
    return new Cached<>(ds.persist(level), () -> ds.unpersist(false));
  }

  public static <R> Cached<JavaRDD<R>> of(JavaRDD<R> rdd, StorageLevel level) {
    return new Cached<>(rdd.persist(level), () -> rdd.unpersist(false));
  }

  public T get() {
    return value;
  }

  @Override
  public void close() {
    release.run();
  }
}
