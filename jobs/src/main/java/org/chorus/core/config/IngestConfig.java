package org.chorus.core.config;

import com.typesafe.config.Config;
import java.io.Serializable;
import java.util.List;

/**
 * Limits of the record readers ({@code chorus.ingest}). A quoted CSV field may span lines; a record still open
 * after {@code max-record-lines} lines or {@code max-record-bytes} bytes is taken to be broken quoting, its first
 * line is quarantined and reading resumes at the next line, so one stray quote cannot swallow a file.
 */
public final class IngestConfig implements Serializable {
  private static final long serialVersionUID = 1L;

  public final int maxRecordLines;
  public final int maxRecordBytes;
  public final int rawMaxChars;
  public final int partitions;

  IngestConfig(Config c, List<String> errors) {
    this.maxRecordLines = Values.integer(c, "chorus.ingest.max-record-lines", 1, 1_000_000, errors);
    this.maxRecordBytes = Values.integer(c, "chorus.ingest.max-record-bytes", 1024, 512 * 1024 * 1024, errors);
    this.rawMaxChars = Values.integer(c, "chorus.ingest.raw-max-chars", 64, 64 * 1024 * 1024, errors);
    this.partitions = Values.integer(c, "chorus.ingest.partitions", 1, 100_000, errors);
  }
}
