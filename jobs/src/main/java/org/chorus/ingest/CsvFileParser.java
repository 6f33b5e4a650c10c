package org.chorus.ingest;

import java.io.InputStream;
import java.util.Iterator;
import java.util.function.Consumer;
import org.chorus.core.io.CsvParser;
import org.chorus.core.io.RawRecord;
import org.chorus.core.io.RecordReader;
import org.chorus.core.io.Utf8;

/**
 * A CSV file with a header line: records are split (quoted fields may span lines), decoded strictly as UTF-8 and
 * split into exactly as many fields as the header has; each failure is a quarantine outcome with its reason.
 * Subclasses turn good fields into rows and throw {@link BadRecord} for values they reject.
 */
public abstract class CsvFileParser implements FileParser {
  private static final long serialVersionUID = 1L;

  protected final QuarantineContext ctx;
  protected final CsvHeader header;
  private final String targetTable;
  /** 0-based number of the current data record in its file (bad records count too). */
  protected transient long recordIndex = -1;

  protected CsvFileParser(QuarantineContext ctx, CsvHeader header, String targetTable) {
    this.ctx = ctx;
    this.header = header;
    this.targetTable = targetTable;
  }

  /** A value the parser rejects; the record (or cell) goes to quarantine with this message. */
  public static final class BadRecord extends Exception {
    public BadRecord(String message) {
      super(message, null, false, false);
    }
  }

  /** Converts the fields of one good record; emits rows (and cell-level quarantine) through {@code out}. */
  protected abstract void convert(String file, long line, String raw, String[] fields, Consumer<Outcome> out)
      throws BadRecord;

  @Override
  public Iterator<Outcome> parse(String file, InputStream in) {
    int columns = header.size();
    RecordReader reader = new RecordReader(in, true, ctx.maxRecordLines(), ctx.maxRecordBytes(),
        bytes -> CsvParser.isOneRecord(Utf8.lossy(bytes), ',', columns));
    if (reader.hasNext()) {
      reader.next(); // the header, read on the driver already
    }
    recordIndex = -1;
    return new RecordOutcomes(reader, (rec, out) -> handle(file, rec, out));
  }

  private void handle(String file, RawRecord rec, Consumer<Outcome> out) {
    recordIndex++;
    String location = Quarantine.line(rec.line());
    if (rec.brokenReason() != null) {
      out.accept(Quarantine.outcome(ctx, file, targetTable, location, rec.brokenReason(), Utf8.lossy(rec.bytes())));
      return;
    }
    String text = Quarantine.decodeOrQuarantine(ctx, file, targetTable, location, rec.bytes(), out);
    if (text == null) {
      return;
    }
    String[] fields;
    try {
      fields = CsvParser.parse(text, ',');
    } catch (CsvParser.CsvFormatException e) {
      out.accept(Quarantine.outcome(ctx, file, targetTable, location, e.getMessage(), text));
      return;
    }
    if (fields.length != header.size()) {
      out.accept(Quarantine.outcome(ctx, file, targetTable, location,
          "wrong column count: expected " + header.size() + ", got " + fields.length, text));
      return;
    }
    try {
      convert(file, rec.line(), text, fields, out);
    } catch (BadRecord e) {
      out.accept(Quarantine.outcome(ctx, file, targetTable, location, e.getMessage(), text));
    }
  }

  // ---- value parsing shared by the Polis, sortition and table parsers ----

  protected static String requireId(String value, String what) throws BadRecord {
    String v = value.trim();
    if (v.isEmpty()) {
      throw new BadRecord("empty " + what);
    }
    return v;
  }

  protected static long requireLong(String value, String what) throws BadRecord {
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

  /** Years 1 to 9999: what Spark's timestamps (microseconds since 1970) hold without overflow. */
  static final long MIN_MILLIS = -62_135_596_800_000L;
  static final long MAX_MILLIS = 253_402_300_799_999L;

  /** Epoch milliseconds as a timestamp; outside years 1 to 9999 the record is quarantined, never the whole ingest. */
  static java.sql.Timestamp epochMillis(long ms, String what) throws BadRecord {
    if (ms < MIN_MILLIS || ms > MAX_MILLIS) {
      throw new BadRecord(what + " out of range: " + ms + " ms is not within years 1 to 9999");
    }
    return new java.sql.Timestamp(ms);
  }

  /** A value as it appears in a reason: at most 80 characters. */
  static String shorten(String v) {
    return v.length() <= 80 ? v : v.substring(0, 80) + "…";
  }

  protected static Long optionalLong(String value, String what) throws BadRecord {
    return value.trim().isEmpty() ? null : requireLong(value, what);
  }

  protected static Integer optionalInt(String value, String what) throws BadRecord {
    Long v = optionalLong(value, what);
    if (v == null) {
      return null;
    }
    if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
      throw new BadRecord(what + " out of range '" + value.trim() + "'");
    }
    return v.intValue();
  }

  protected static Double optionalDouble(String value, String what) throws BadRecord {
    String v = value.trim();
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

  protected static boolean optionalBoolean(String value, String what) throws BadRecord {
    String v = value.trim().toLowerCase(java.util.Locale.ROOT);
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
    String v = value.trim();
    switch (v) {
      case "1", "1.0", "+1":
        return 1;
      case "-1", "-1.0":
        return -1;
      case "0", "0.0", "-0", "-0.0":
        return 0;
      default:
        throw new BadRecord("vote outside {-1,0,1}: '" + v + "'");
    }
  }
}
