package org.chorus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.chorus.core.io.RawRecord;
import org.chorus.core.io.RecordReader;
import org.chorus.records.CsvParser;
import org.chorus.records.Utf8;
import org.junit.jupiter.api.Test;

class RecordReaderTest {
  private static List<RawRecord> read(String text, int columns) {
    return read(text.getBytes(StandardCharsets.UTF_8), columns);
  }

  private static List<RawRecord> read(byte[] bytes, int columns) {
    return read(bytes, columns, 5);
  }

  private static List<RawRecord> read(byte[] bytes, int columns, int maxLines) {
    RecordReader r = new RecordReader(new ByteArrayInputStream(bytes), true, maxLines, 1 << 20,
        b -> CsvParser.isOneRecord(Utf8.lossy(b), ',', columns));
    List<RawRecord> out = new ArrayList<>();
    r.forEachRemaining(out::add);
    return out;
  }

  private static String text(RawRecord r) {
    return new String(r.bytes(), StandardCharsets.UTF_8);
  }

  @Test
  void quotedFieldsMaySpanLines() throws Exception {
    List<RawRecord> recs = read("id,body\r\n1,\"two\nlines\"\r\n2,plain\n", 2);
    assertThat(recs).hasSize(3);
    assertThat(recs.get(1).line()).isEqualTo(2);
    assertThat(recs.get(1).lineCount()).isEqualTo(2);
    assertThat(CsvParser.parse(text(recs.get(1)), ',')).containsExactly("1", "two\nlines");
    assertThat(recs.get(2).line()).isEqualTo(4);
  }

  @Test
  void blankLinesAndByteOrderMarkAreSkipped() {
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
    byte[] rest = "a,b\n\n1,2\n   \n".getBytes(StandardCharsets.UTF_8);
    byte[] all = new byte[bom.length + rest.length];
    System.arraycopy(bom, 0, all, 0, 3);
    System.arraycopy(rest, 0, all, 3, rest.length);
    List<RawRecord> recs = read(all, 2);
    assertThat(recs).extracting(RecordReaderTest::text).containsExactly("a,b", "1,2");
  }

  @Test
  void aStrayQuoteCostsOneLineNotTheRestOfTheFile() {
    String csv = "id,body\n1,\"broken\n2,fine\n3,\"also fine\"\n4,ok\n";
    List<RawRecord> recs = read(csv, 2);
    assertThat(recs).hasSize(5);
    assertThat(recs.get(1).brokenReason()).startsWith("broken quoting");
    assertThat(text(recs.get(1))).isEqualTo("1,\"broken");
    assertThat(recs.subList(2, 5)).allSatisfy(r -> assertThat(r.brokenReason()).isNull());
    assertThat(recs.subList(2, 5)).extracting(RecordReaderTest::text)
        .containsExactly("2,fine", "3,\"also fine\"", "4,ok");
  }

  @Test
  void twoStrayQuotesLinesApartCostTheirTwoLinesNotTheLinesBetween() {
    StringBuilder csv = new StringBuilder("timestamp,comment-id,voter-id,vote\n");
    for (int i = 0; i < 300; i++) {
      // a quote opening field 2 on line 50 and one closing field 2 on line 150: as one record, 4 columns
      String cid = i == 50 ? "\"5" : i == 150 ? "7\"" : String.valueOf(i % 9);
      csv.append(1_700_000_000_000L + i).append(',').append(cid).append(',').append(i).append(",1\n");
    }
    List<RawRecord> recs = read(csv.toString().getBytes(StandardCharsets.UTF_8), 4, 1000);
    assertThat(recs).hasSize(301); // the header and every line, none merged into another
    assertThat(recs).filteredOn(r -> r.brokenReason() != null).extracting(RawRecord::line)
        .containsExactly(52L, 152L);
    assertThat(recs).allSatisfy(r -> assertThat(r.lineCount()).isEqualTo(1));
    // a real multi-line field still reads as one record
    List<RawRecord> body = read("id,body,n\n1,\"first line\nsecond, with a comma\nthird\",3\n2,x,4\n", 3);
    assertThat(body).hasSize(3);
    assertThat(body.get(1).lineCount()).isEqualTo(3);
  }

  @Test
  void unterminatedQuoteAtEndOfFileIsBroken() {
    List<RawRecord> recs = read("id,body\n1,ok\n2,\"never closed\n", 2);
    assertThat(recs).hasSize(3);
    assertThat(recs.get(2).brokenReason()).contains("before end of file");
  }

  @Test
  void csvFieldsFollowRfc4180() throws Exception {
    assertThat(CsvParser.parse("a,\"b,c\",\"d \"\"q\"\"\",", ',')).containsExactly("a", "b,c", "d \"q\"", "");
    assertThat(CsvParser.parse("", ',')).containsExactly("");
    assertThatThrownBy(() -> CsvParser.parse("a,\"b\"x", ','))
        .hasMessageContaining("text after the closing quote of field 2");
    assertThatThrownBy(() -> CsvParser.parse("a,b\"c", ',')).hasMessageContaining("quote inside unquoted field 2");
    assertThat(CsvParser.quote("x,\"y\"")).isEqualTo("\"x,\"\"y\"\"\"");
  }

  @Test
  void invalidUtf8IsReportedWithItsOffset() {
    byte[] bad = {'o', 'k', (byte) 0xC3, '(', 'x'};
    assertThatThrownBy(() -> Utf8.decodeStrict(bad)).hasMessage("invalid UTF-8 at byte 2");
    assertThat(Utf8.lossy(bad)).contains("\uFFFD");
  }

  @Test
  void lineModeIgnoresQuotes() {
    RecordReader r = RecordReader.lines(new ByteArrayInputStream("{\"a\":\"\\\"\"}\n{\"b\":1}".getBytes(
        StandardCharsets.UTF_8)));
    List<RawRecord> out = new ArrayList<>();
    r.forEachRemaining(out::add);
    assertThat(out).extracting(RecordReaderTest::text).containsExactly("{\"a\":\"\\\"\"}", "{\"b\":1}");
  }
}
