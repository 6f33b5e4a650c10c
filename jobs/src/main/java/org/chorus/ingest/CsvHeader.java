package org.chorus.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.chorus.core.ChorusException;
import org.chorus.core.io.RawRecord;
import org.chorus.core.io.RecordReader;
import org.chorus.core.io.SourceFiles;
import org.chorus.records.CsvParser;
import org.chorus.records.Utf8;

/** The header line of a CSV file, read on the driver before the file is parsed in parallel. */
public final class CsvHeader implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String[] names;

  public CsvHeader(String[] names) {
    this.names = names;
  }

  public static CsvHeader read(String file, Configuration conf) {
    try (InputStream in = SourceFiles.open(file, conf)) {
      RecordReader reader = new RecordReader(in, true, 1000, 1 << 24, null);
      if (!reader.hasNext()) {
        throw ChorusException.badInput("%s is empty: a header line is required", SourceFiles.name(file));
      }
      RawRecord first = reader.next();
      String text = Utf8.decodeStrict(first.bytes());
      String[] names = CsvParser.parse(text, ',');
      for (int i = 0; i < names.length; i++) {
        names[i] = names[i].trim();
      }
      return new CsvHeader(names);
    } catch (IOException e) {
      throw ChorusException.badInput("cannot read %s: %s", SourceFiles.name(file), e.getMessage());
    } catch (java.io.UncheckedIOException e) { // a gzip cut before the end of its first block, say
      throw ChorusException.badInput("%s cannot be read: %s (a truncated or corrupt file, or not the format its name "
          + "says?)", SourceFiles.name(file), e.getCause().getMessage());
    } catch (Utf8.InvalidUtf8Exception | CsvParser.CsvFormatException e) {
      throw ChorusException.badInput("unreadable header in %s: %s", SourceFiles.name(file), e.getMessage());
    }
  }

  public int size() {
    return names.length;
  }

  public String name(int i) {
    return names[i];
  }

  public List<String> names() {
    return List.of(names);
  }

  /** Index of a column (case-insensitive), or -1. */
  public int index(String column) {
    for (int i = 0; i < names.length; i++) {
      if (names[i].equalsIgnoreCase(column)) {
        return i;
      }
    }
    return -1;
  }

  public boolean has(String column) {
    return index(column) >= 0;
  }

  /** Fails the whole file (exit 3) unless every required column is present. */
  public void require(String file, String... columns) {
    List<String> missing = new ArrayList<>();
    for (String c : columns) {
      if (!has(c)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      throw ChorusException.badInput("%s lacks column%s %s (header: %s)", SourceFiles.name(file),
          missing.size() > 1 ? "s" : "", String.join(", ", missing), String.join(",", names));
    }
  }

  @Override
  public String toString() {
    return Arrays.toString(names).toLowerCase(Locale.ROOT);
  }
}
