package org.chorus.records;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * How one field's text becomes a value, for every reader of input: batch ingest (CSV, JSON Lines) and the live
 * landing (Kafka events). One copy, so a value accepted in one is accepted in the other.
 */
public final class Values {
  private Values() {}

  /** Years 1 to 9999: what Spark's timestamps (microseconds since 1970) hold without overflow. */
  public static final long MIN_MILLIS = -62_135_596_800_000L;
  public static final long MAX_MILLIS = 253_402_300_799_999L;
  /** The most bytes an id may take once URL-encoded, as it is in a table's partition directory name. */
  public static final int MAX_ID_BYTES = 200;

  public static String requireId(String value, String what) throws BadRecord {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      throw new BadRecord("empty " + what);
    }
    return v;
  }

  /** An id that names a partition (a conversation, a dataset): not blank, at most 200 bytes once URL-encoded. */
  public static String scopeId(String value, String what) throws BadRecord {
    String v = requireId(value, what);
    int encoded = URLEncoder.encode(v, StandardCharsets.UTF_8).length();
    if (encoded > MAX_ID_BYTES) {
      throw new BadRecord(what + " too long: " + encoded + " bytes once encoded (at most " + MAX_ID_BYTES + ")");
    }
    return v;
  }

  public static long requireLong(String value, String what) throws BadRecord {
    String v = requireId(value, what);
    if (!v.matches("-?[0-9]{1,19}")) { // ASCII digits only: Long.parseLong also takes ١٢ and １２
      throw new BadRecord("non-numeric " + what + " '" + shorten(v) + "'");
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new BadRecord("non-numeric " + what + " '" + v + "'");
    }
  }

  /** Epoch milliseconds within years 1 to 9999; outside, the record is quarantined, never the whole input. */
  public static long epochMillis(long ms, String what) throws BadRecord {
    if (ms < MIN_MILLIS || ms > MAX_MILLIS) {
      throw new BadRecord(what + " out of range: " + ms + " ms is not within years 1 to 9999");
    }
    return ms;
  }

  /** A value as it appears in a reason: at most 80 characters. */
  public static String shorten(String v) {
    return v.length() <= 80 ? v : v.substring(0, 80) + "…";
  }

  public static Long optionalLong(String value, String what) throws BadRecord {
    return value == null || value.trim().isEmpty() ? null : requireLong(value, what);
  }

  public static Integer optionalInt(String value, String what) throws BadRecord {
    Long v = optionalLong(value, what);
    if (v == null) {
      return null;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new BadRecord(what + " out of range '" + value.trim() + "'");
    }
    return v.intValue();
  }

  public static Double optionalDouble(String value, String what) throws BadRecord {
    String v = value == null ? "" : value.trim();
    if (v.isEmpty()) {
      return null;
    }
    try {
      double d = Double.parseDouble(v);
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new BadRecord("non-finite " + what + " '" + v + "'");
      }
      return d;
    } catch (NumberFormatException e) {
      throw new BadRecord("non-numeric " + what + " '" + v + "'");
    }
  }

  public static boolean optionalBoolean(String value, String what) throws BadRecord {
    String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
    switch (v) {
      case "", "false", "f", "0", "no":
        return false;
      case "true", "t", "1", "yes":
        return true;
      default:
        throw new BadRecord("bad " + what + " '" + value.trim() + "' (expected true or false)");
    }
  }

  /** A Polis vote: -1, 0 or 1 (also written 1.0, -1.0 by some exporters). */
  public static int parseVote(String value) throws BadRecord {
    String v = value == null ? "" : value.trim();
    switch (v) {
      case "1", "1.0", "+1":
        return 1;
      case "-1", "-1.0":
        return -1;
      case "0", "0.0", "-0", "-0.0":
        return 0;
      default:
        throw new BadRecord("vote outside {-1,0,1}: '" + shorten(v) + "'");
    }
  }

  /** Polis moderation: -1, 0 or 1; empty is 0. */
  public static int moderation(String value) throws BadRecord {
    Integer m = optionalInt(value, "moderated");
    int mod = m == null ? 0 : m;
    if (mod < -1 || mod > 1) {
      throw new BadRecord("moderated outside {-1,0,1}: '" + value.trim() + "'");
    }
    return mod;
  }
}
