package org.chorus.ingest;

import java.sql.Timestamp;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;

/** Builds {@code input.quarantine} rows. */
public final class Quarantine {
  public static final TableSpec SPEC = TableSchemas.input("quarantine");

  private Quarantine() {}

  /** A quarantine outcome; the raw text is cut at {@code rawMaxChars} (marked with an ellipsis). */
  public static Outcome outcome(QuarantineContext ctx, String file, String targetTable, String location, String reason,
      String raw) {
    return new Outcome(Outcome.QUARANTINE, row(ctx, file, targetTable, location, reason, raw));
  }

  public static Row row(QuarantineContext ctx, String file, String targetTable, String location, String reason,
      String raw) {
    String text = raw == null ? "" : raw;
    if (text.length() > ctx.rawMaxChars()) {
      text = text.substring(0, ctx.rawMaxChars()) + "…";
    }
    String oneLineReason = reason == null ? "unknown" : reason.replaceAll("\\s+", " ").trim();
    if (oneLineReason.length() > 300) { // a reason names a value, never the whole record: that is the raw text
      oneLineReason = oneLineReason.substring(0, 300) + "…";
    }
    return RowFactory.create(ctx.scope(), file == null ? "" : SourceFiles.name(file), targetTable, location,
        oneLineReason, text, new Timestamp(ctx.ingestedAtMillis()));
  }

  /** The record decoded as strict UTF-8, or null after sending it to quarantine with the offset of the bad byte. */
  static String decodeOrQuarantine(QuarantineContext ctx, String file, String targetTable, String location,
      byte[] bytes, java.util.function.Consumer<Outcome> out) {
    try {
      return org.chorus.records.Utf8.decodeStrict(bytes);
    } catch (org.chorus.records.Utf8.InvalidUtf8Exception e) {
      out.accept(outcome(ctx, file, targetTable, location, e.getMessage(), org.chorus.records.Utf8.lossy(bytes)));
      return null;
    }
  }

  /** Where a record is: its first line. */
  public static String line(long line) {
    return "line " + line;
  }
}
