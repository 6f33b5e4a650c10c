package org.chorus.ingest;

import java.io.Serializable;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.config.ConfigSection;
import org.chorus.core.config.SectionReader;

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
  /** Whether an input with no record may replace a dataset with nothing. */
  public final boolean allowEmpty;

  private final String description;

  IngestConfig(ConfigSection s) {
    this.maxRecordLines = s.integer("max-record-lines", 1, 1_000_000);
    this.maxRecordBytes = s.integer("max-record-bytes", 1024, 512 * 1024 * 1024);
    this.rawMaxChars = s.integer("raw-max-chars", 64, 64 * 1024 * 1024);
    this.partitions = s.integer("partitions", 1, 100_000);
    this.allowEmpty = s.bool("allow-empty");
    this.description = s.describe();
  }

  /** {@code chorus.ingest} of {@code config}: every bad value on one line (exit 2) before Spark starts. */
  public static IngestConfig from(ChorusConfig config) {
    return config.section("ingest", IngestConfig::new);
  }

  @Override
  public String toString() {
    return description;
  }

  /** Checks {@code chorus.ingest} when the config is loaded (listed in META-INF/services). */
  public static final class Section extends SectionReader {
    public Section() {
      super("ingest", IngestConfig::new);
    }
  }
}
