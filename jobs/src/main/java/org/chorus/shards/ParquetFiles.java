package org.chorus.shards;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.format.ColumnChunk;
import org.apache.parquet.format.ColumnMetaData;
import org.apache.parquet.format.FileMetaData;
import org.apache.parquet.format.PageEncodingStats;
import org.apache.parquet.format.RowGroup;
import org.apache.parquet.format.Util;

/**
 * Byte-for-byte reproducible Parquet files. parquet-mr lists each column chunk's encodings from a hash set, whose
 * order changes from one JVM to the next, so two writes of the same rows differ in a few footer bytes. The copy made
 * here rewrites the footer with those lists sorted; the data pages are copied unchanged (the footer is last, so no
 * offset moves).
 */
final class ParquetFiles {
  private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);

  private ParquetFiles() {}

  /** Copies {@code src} to {@code dst} with a canonical footer; returns the SHA-256 of what was written. */
  static String copyCanonical(FileSystem fs, Path src, Path dst) throws IOException {
    long size = fs.getFileStatus(src).getLen();
    byte[] tail = new byte[8];
    try (FSDataInputStream in = fs.open(src)) {
      in.readFully(size - 8, tail);
      if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
        throw new IOException(src + " is not a Parquet file");
      }
      int footerLength = ByteBuffer.wrap(tail, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
      long footerStart = size - 8 - footerLength;
      byte[] footer = new byte[footerLength];
      in.readFully(footerStart, footer);
      FileMetaData meta = Util.readFileMetaData(new ByteArrayInputStream(footer));
      for (RowGroup g : meta.getRow_groups()) {
        for (ColumnChunk c : g.getColumns()) {
          ColumnMetaData m = c.getMeta_data();
          if (m != null && m.isSetEncodings()) {
            m.getEncodings().sort(Comparator.comparingInt(e -> e.getValue()));
          }
          if (m != null && m.isSetEncoding_stats()) {
            m.getEncoding_stats().sort(Comparator.comparingInt((PageEncodingStats s) -> s.getPage_type().getValue())
                .thenComparingInt(s -> s.getEncoding().getValue()));
          }
        }
      }
      ByteArrayOutputStream newFooter = new ByteArrayOutputStream(footerLength);
      Util.writeFileMetaData(meta, newFooter);
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      in.seek(0);
      try (OutputStream out = new DigestOutputStream(fs.create(dst, true), sha)) {
        copy(in, out, footerStart);
        newFooter.writeTo(out);
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(newFooter.size()).array());
        out.write(MAGIC);
      }
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void copy(InputStream in, OutputStream out, long n) throws IOException {
    byte[] buf = new byte[1 << 16];
    long left = n;
    while (left > 0) {
      int r = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (r < 0) {
        throw new IOException("unexpected end of file");
      }
      out.write(buf, 0, r);
      left -= r;
    }
  }
}
