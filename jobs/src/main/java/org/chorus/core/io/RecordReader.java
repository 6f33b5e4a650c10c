package org.chorus.core.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/**
 * Splits a byte stream into records. Line mode: one record per non-blank line (JSONL). CSV mode (RFC 4180): a
 * record ends at a line break outside double quotes, so quoted fields may span lines.
 *
 * <p>Recovery from broken quoting: a record whose quotes are still open after {@code maxLines} lines or
 * {@code maxBytes} bytes, or at the end of the stream, or whose multi-line assembly the {@code validator} rejects,
 * is cut back to its first line, which is returned as broken; reading resumes at the line after it. A stray quote
 * therefore costs one quarantined line, never the rest of the file.
 *
 * <p>Quote parity is counted on bytes: 0x22 never occurs inside a multi-byte UTF-8 sequence.
 */
public final class RecordReader implements Iterator<RawRecord>, Closeable {
  private static final byte QUOTE = '"';

  private final InputStream in;
  private final boolean csv;
  private final int maxLines;
  private final int maxBytes;
  private final Predicate<byte[]> validator;
  private final byte[] buf = new byte[1 << 16];
  private int pos;
  private int limit;
  private boolean eof;
  private long lineNumber;
  private final Deque<Line> pushback = new ArrayDeque<>();
  /** The last line ended at a CR: a LF right after it belongs to the same line break (CRLF). */
  private boolean afterCr;
  private RawRecord next;

  private record Line(long number, byte[] bytes, int quotes) {}

  public RecordReader(InputStream in, boolean csv, int maxLines, int maxBytes, Predicate<byte[]> validator) {
    this.in = in;
    this.csv = csv;
    this.maxLines = maxLines;
    this.maxBytes = maxBytes;
    this.validator = validator == null ? b -> true : validator;
  }

  public static RecordReader lines(InputStream in) {
    return new RecordReader(in, false, 1, Integer.MAX_VALUE, null);
  }

  @Override
  public boolean hasNext() {
    if (next == null) {
      next = advance();
    }
    return next != null;
  }

  @Override
  public RawRecord next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    RawRecord r = next;
    next = null;
    return r;
  }

  private RawRecord advance() {
    Line first = nextNonBlank();
    if (first == null) {
      return null;
    }
    if (!csv || first.quotes % 2 == 0) {
      return new RawRecord(first.number, 1, first.bytes, null);
    }
    List<Line> acc = new ArrayList<>();
    acc.add(first);
    int quotes = first.quotes;
    long bytes = first.bytes.length;
    while (true) {
      Line l = nextLine();
      if (l == null || acc.size() >= maxLines || bytes + l.bytes.length + 1 > maxBytes) {
        if (l != null) {
          pushback.addFirst(l);
        }
        return cutBack(acc, "broken quoting: quoted field not closed"
            + (l == null ? " before end of file" : " within " + acc.size() + " lines"));
      }
      acc.add(l);
      quotes += l.quotes;
      bytes += l.bytes.length + 1;
      if (quotes % 2 == 0) {
        byte[] joined = join(acc, (int) bytes);
        if (validator.test(joined)) {
          return new RawRecord(first.number, acc.size(), joined, null);
        }
        return cutBack(acc, "broken quoting: quoted field not closed on this line");
      }
    }
  }

  private RawRecord cutBack(List<Line> acc, String reason) {
    for (int i = acc.size() - 1; i >= 1; i--) {
      pushback.addFirst(acc.get(i));
    }
    Line first = acc.get(0);
    return new RawRecord(first.number, 1, first.bytes, reason);
  }

  private static byte[] join(List<Line> lines, int size) {
    byte[] out = new byte[size];
    int p = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (i > 0) {
        out[p++] = '\n';
      }
      byte[] b = lines.get(i).bytes;
      System.arraycopy(b, 0, out, p, b.length);
      p += b.length;
    }
    return out;
  }

  private Line nextNonBlank() {
    Line l;
    do {
      l = nextLine();
    } while (l != null && isBlank(l.bytes));
    return l;
  }

  private static boolean isBlank(byte[] b) {
    for (byte x : b) {
      if (x != ' ' && x != '\t') {
        return false;
      }
    }
    return true;
  }

  private Line nextLine() {
    if (!pushback.isEmpty()) {
      return pushback.removeFirst();
    }
    byte[] out = new byte[128];
    int n = 0;
    int quotes = 0;
    boolean any = false;
    while (true) {
      if (pos >= limit) {
        if (!fill()) {
          break;
        }
      }
      byte b = buf[pos++];
      if (afterCr) {
        afterCr = false;
        if (b == '\n') {
          continue; // the LF of a CRLF
        }
      }
      any = true;
      if (b == '\n') {
        return line(out, n, quotes);
      }
      if (b == '\r') {
        afterCr = true; // CR alone (classic Mac OS) ends a line too
        return line(out, n, quotes);
      }
      if (b == QUOTE) {
        quotes++;
      }
      if (n == out.length) {
        out = Arrays.copyOf(out, out.length * 2);
      }
      out[n++] = b;
    }
    return any ? line(out, n, quotes) : null;
  }

  private Line line(byte[] out, int n, int quotes) {
    if (n > 0 && out[n - 1] == '\r') {
      n--;
    }
    lineNumber++;
    byte[] bytes = Arrays.copyOf(out, n);
    if (lineNumber == 1 && n >= 3 && (bytes[0] & 0xff) == 0xEF && (bytes[1] & 0xff) == 0xBB && (bytes[2] & 0xff) == 0xBF) {
      bytes = Arrays.copyOfRange(bytes, 3, n); // UTF-8 byte order mark
    }
    return new Line(lineNumber, bytes, quotes);
  }

  private boolean fill() {
    if (eof) {
      return false;
    }
    try {
      int r = in.read(buf);
      if (r <= 0) {
        eof = true;
        return false;
      }
      pos = 0;
      limit = r;
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
