package org.chorus.landing;

import java.util.Map;
import java.util.TreeMap;
import org.apache.iceberg.Table;

/**
 * The Kafka offsets a table holds: for each topic partition, the next offset not yet in it (every record below it
 * was either written to this table or belongs to another). Kept as a table property, {@code
 * chorus.landing.offsets.<group>}, set in the same atomic commit as the rows, so rows and offsets never disagree; a
 * property outlives snapshot expiry and the commits of other writers.
 */
final class Watermarks {
  static final String PREFIX = "chorus.landing.offsets.";

  private Watermarks() {}

  static String key(String group) {
    return PREFIX + group;
  }

  /** {@code topic/partition} → next offset; empty when this group never committed to the table. */
  static Map<String, Long> read(Table table, String group) {
    Map<String, Long> out = new TreeMap<>();
    String v = table.properties().get(key(group));
    if (v == null || v.isBlank()) {
      return out;
    }
    for (String entry : v.split(",")) {
      int eq = entry.lastIndexOf('=');
      out.put(entry.substring(0, eq), Long.parseLong(entry.substring(eq + 1)));
    }
    return out;
  }

  static String encode(Map<String, Long> marks) {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(marks).forEach((tp, next) -> sb.append(sb.length() == 0 ? "" : ",").append(tp).append('=')
        .append(next));
    return sb.toString();
  }

  static String partitionKey(String topic, int partition) {
    return topic + "/" + partition;
  }
}
