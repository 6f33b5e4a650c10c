package org.chorus.records;

import java.util.ArrayList;
import java.util.List;

/**
 * Strict RFC 4180 field splitting of one record: fields separated by the delimiter; a field that starts with a
 * double quote runs to the matching quote ({@code ""} is an escaped quote) and must be followed by the delimiter
 * or the end. Anything else is broken quoting, reported with the column where it happens.
 */
public final class CsvParser {
  private CsvParser() {}

  public static final class CsvFormatException extends Exception {
    public CsvFormatException(String message) {
      super(message);
    }
  }

  public static String[] parse(String record, char delimiter) throws CsvFormatException {
    List<String> fields = new ArrayList<>();
    int n = record.length();
    int i = 0;
    StringBuilder sb = new StringBuilder();
    while (true) {
      sb.setLength(0);
      if (i < n && record.charAt(i) == '"') {
        i++;
        boolean closed = false;
        while (i < n) {
          char c = record.charAt(i);
          if (c == '"') {
            if (i + 1 < n && record.charAt(i + 1) == '"') {
              sb.append('"');
              i += 2;
            } else {
              i++;
              closed = true;
              break;
            }
          } else {
            sb.append(c);
            i++;
          }
        }
        if (!closed) {
          throw new CsvFormatException("broken quoting: quoted field " + (fields.size() + 1) + " is not closed");
        }
        if (i < n && record.charAt(i) != delimiter) {
          throw new CsvFormatException("broken quoting: text after the closing quote of field " + (fields.size() + 1));
        }
      } else {
        while (i < n && record.charAt(i) != delimiter) {
          char c = record.charAt(i);
          if (c == '"') {
            throw new CsvFormatException("broken quoting: quote inside unquoted field " + (fields.size() + 1));
          }
          sb.append(c);
          i++;
        }
      }
      fields.add(sb.toString());
      if (i >= n) {
        break;
      }
      i++; // the delimiter
      if (i == n) {
        fields.add("");
        break;
      }
    }
    return fields.toArray(new String[0]);
  }

  /** True when the record parses into exactly {@code columns} fields. */
  public static boolean hasColumns(String record, char delimiter, int columns) {
    try {
      return parse(record, delimiter).length == columns;
    } catch (CsvFormatException e) {
      return false;
    }
  }

  /**
   * Whether a record assembled from several lines (a quoted field spanning line breaks) is one record: it has
   * {@code columns} fields, and none of the lines strictly inside it is a whole record of {@code columns} fields on
   * its own. Two stray quotes lines apart otherwise make one "record" of every line between them, and those lines
   * would vanish inside a field; a real multi-line text (a comment body) hardly ever holds a line with exactly the
   * file's column count.
   */
  public static boolean isOneRecord(String joined, char delimiter, int columns) {
    if (!hasColumns(joined, delimiter, columns)) {
      return false;
    }
    String[] lines = joined.split("\n", -1);
    for (int i = 1; i < lines.length - 1; i++) {
      if (columns > 1 && hasColumns(lines[i], delimiter, columns)) {
        return false;
      }
    }
    return true;
  }

  /** Quotes a value for CSV output when it needs it. */
  public static String quote(String value) {
    if (value == null) {
      return "";
    }
    if (value.indexOf(',') < 0 && value.indexOf('"') < 0 && value.indexOf('\n') < 0 && value.indexOf('\r') < 0) {
      return value;
    }
    return '"' + value.replace("\"", "\"\"") + '"';
  }
}
