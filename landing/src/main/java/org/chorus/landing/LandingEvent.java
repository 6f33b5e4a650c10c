package org.chorus.landing;

import java.io.Serializable;
import java.util.Arrays;

/**
 * One Kafka record after the shared validation rules: a row for its table, or a quarantine entry with the reason
 * (Beam's dead-letter pattern: bad input travels with its reason, never dropped). Every event keeps its topic,
 * partition and offset, which the commit records.
 *
 * @param table the target table (input.votes, ...) for a row; for a quarantine entry the table it was meant for
 * @param scope the conversation or dataset the row belongs to; for quarantine, that id when it could be read,
 *     else the topic
 * @param values the row in table column order (null for quarantine)
 * @param time the event time in epoch ms (votes: the latest vote wins), or null
 * @param reason why it was rejected (null for a row)
 * @param raw the record's text as received (invalid UTF-8 shown as U+FFFD)
 */
record LandingEvent(String table, String scope, Object[] values, Long time, String reason, String raw, String topic,
    int partition, long offset) implements Serializable {

  /** Not a record: the interval's clock, so an interval without records still commits what waits. */
  static final LandingEvent TICK = new LandingEvent("", "", null, null, null, "", "", -1, -1);

  boolean tick() {
    return partition < 0;
  }

  boolean quarantined() {
    return reason != null;
  }

  /** Where the record is in Kafka: {@code topic/partition@offset}, as input.quarantine's location. */
  String location() {
    return topic + "/" + partition + "@" + offset;
  }

  /** A quarantine entry for the same record, e.g. a vote whose statement is unknown when it is committed. */
  LandingEvent quarantine(String why) {
    return new LandingEvent(table, scope, null, time, why, raw, topic, partition, offset);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LandingEvent e && e.topic.equals(topic) && e.partition == partition && e.offset == offset
        && Arrays.equals(e.values, values) && java.util.Objects.equals(e.reason, reason);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(topic, partition, offset);
  }
}
