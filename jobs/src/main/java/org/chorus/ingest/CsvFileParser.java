package org.chorus.ingest;

import java.io.InputStream;
import java.util.Iterator;
import java.util.function.Consumer;
import org.chorus.core.io.RawRecord;
import org.chorus.core.io.RecordReader;
import org.chorus.records.BadRecord;
import org.chorus.records.CsvParser;
import org.chorus.records.Utf8;
import org.chorus.records.Values;

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

  // ---- value parsing: the shared rules of org.chorus.records (batch and live input apply the same) ----

  protected static String requireId(String value, String what) throws BadRecord {
    return Values.requireId(value, what);
  }

  protected static long requireLong(String value, String what) throws BadRecord {
    return Values.requireLong(value, what);
  }

  /** Epoch milliseconds as a timestamp; outside years 1 to 9999 the record is quarantined, never the whole ingest. */
  static java.sql.Timestamp epochMillis(long ms, String what) throws BadRecord {
    return new java.sql.Timestamp(Values.epochMillis(ms, what));
  }

  static String shorten(String v) {
    return Values.shorten(v);
  }

  protected static Long optionalLong(String value, String what) throws BadRecord {
    return Values.optionalLong(value, what);
  }

  protected static Integer optionalInt(String value, String what) throws BadRecord {
    return Values.optionalInt(value, what);
  }

  protected static Double optionalDouble(String value, String what) throws BadRecord {
    return Values.optionalDouble(value, what);
  }

  protected static boolean optionalBoolean(String value, String what) throws BadRecord {
    return Values.optionalBoolean(value, what);
  }

  public static int parseVote(String value) throws BadRecord {
    return Values.parseVote(value);
  }
}
