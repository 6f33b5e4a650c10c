package org.chorus.core.job;

import java.util.List;
import org.chorus.core.ChorusException;

/**
 * The immutable options of one job run. Implementations are records built by a named factory or a builder, with
 * defaults from the capability's section of {@code conf/chorus.conf}; {@link #problems()} checks them without Spark.
 */
public interface JobOptions {
  /** The id the run is for (conversation, dataset, pool or population id); recorded as chorus.scope. */
  String scope();

  /** Every problem with these options, each a short phrase naming the option and the bad value; empty if valid. */
  List<String> problems();

  /**
   * The options as one canonical line, recorded with the run: a rerun under the same run id is a no-op only when
   * this line is unchanged. A record's {@code toString} lists every component in order, which is what it needs.
   */
  default String describe() {
    return toString();
  }

  /**
   * True when the options name a person ({@code forget --participant}): the run log keeps no copy of them, and a
   * rerun under the same run id always runs (it is idempotent anyway).
   */
  default boolean personal() {
    return false;
  }

  /** Fails with every problem on one line (exit 2) before any Spark work starts. */
  default void validate() {
    List<String> problems = problems();
    if (!problems.isEmpty()) {
      throw ChorusException.usage("%s", String.join("; ", problems));
    }
  }
}
