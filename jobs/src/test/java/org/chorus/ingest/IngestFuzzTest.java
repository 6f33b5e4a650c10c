package org.chorus.ingest;

import static org.apache.spark.sql.functions.col;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.chorus.SparkTestBase;
import org.junit.jupiter.api.Test;

/**
 * A seeded mutation fuzzer over the inputs Chorus reads, in-process (one SparkSession). Each mutant is one seed file
 * of one format with one mutation: truncation, NUL bytes, invalid UTF-8, a BOM, CRLF or CR line ends, a stray quote,
 * a 1 MB field, huge and negative ids, wrong JSON types, a repeated header or line, extra and missing columns, an
 * empty or header-only file, gzip whole and cut mid-stream, merged lines, swapped bytes.
 *
 * Formats: comparisons JSONL (generic, TRL), table CSV and JSONL, Polis votes and comments, sortition respondents;
 * Parquet tables have their own mutants ({@link #parquetMutantsAreReadWholeOrRefusedWithOneLine}).
 *
 * <p>Checked on every mutant against an oracle that counts the records in the mutated bytes itself (a record is a
 * non-blank line; CR, LF and CRLF end lines; a CSV's first line is its header; the seeds hold no quotes, so one stray
 * quote cannot join lines): the exit code is 0 or 3 (never 1, never 2: the options are fixed); stderr never holds a
 * stack trace and is at most one short line; on exit 0 the source's records read equal the oracle's count, read =
 * accepted + quarantined, and the table holds exactly the accepted rows; on exit 3 nothing of the mutant's scope was
 * committed. {@code -Dchorus.fuzz.mutants=N -Dchorus.fuzz.seed=S} run more ({@code scripts/fuzz.sh}).
 */
class IngestFuzzTest extends SparkTestBase {
  static final int MUTANTS = Integer.getInteger("chorus.fuzz.mutants", 60);
  static final long SEED = Long.getLong("chorus.fuzz.seed", 20261203L);
  static final int MUTATIONS = 20;
  static final ObjectMapper JSON = new ObjectMapper();
  static final String CATEGORIES = "category,feature,min,max\ngender,female,0,40\ngender,male,0,40\n"
      + "age,young,0,40\nage,old,0,40\n";

  /** One input format: a seed file, how it is ingested, the table its records go to and the table's scope column. */
  record Format(String name, String file, boolean csv, String seed, String table, String scopeColumn, boolean gzipOk) {
    List<String> args(Path file, String scope) {
      return switch (name) {
        case "generic" -> List.of("ingest", "comparisons", "--input", file.toString(), "--format", "generic",
            "--dataset", scope);
        case "trl" -> List.of("ingest", "comparisons", "--input", file.toString(), "--format", "trl", "--dataset",
            scope);
        case "table-csv" -> List.of("ingest", "table", "--table", "participants", "--input", file.toString(),
            "--dataset", scope);
        case "table-jsonl" -> List.of("ingest", "table", "--table", "prompts", "--input", file.toString(),
            "--dataset", scope);
        case "sortition" -> List.of("ingest", "sortition", "--respondents", file.toString(), "--categories",
            file.resolveSibling("categories.csv").toString(), "--pool", scope, "--id-column", "person_id");
        default -> List.of("ingest", "polis", "--input", file.getParent().toString(), "--conversation", scope);
      };
    }
  }

  static List<Format> formats() {
    StringBuilder generic = new StringBuilder();
    StringBuilder trl = new StringBuilder();
    StringBuilder people = new StringBuilder("participant_id,age_bracket,gender,consent\n");
    StringBuilder prompts = new StringBuilder();
    StringBuilder votes = new StringBuilder("timestamp,datetime,comment-id,voter-id,vote\n");
    StringBuilder respondents = new StringBuilder("person_id,gender,age\n");
    for (int i = 0; i < 30; i++) {
      respondents.append(String.format("%d,%s,%s%n", 100 + i, i % 3 == 0 ? "female" : "male", i % 2 == 0 ? "young"
          : "old"));
      generic.append(String.format("{\"comparison_id\":\"c%d\",\"rater_id\":\"r%d\",\"prompt_id\":\"p%d\","
          + "\"prompt\":\"Prompt %d\",\"response_a_id\":\"a%d\",\"response_a\":\"Answer A %d\",\"response_b_id\":"
          + "\"b%d\",\"response_b\":\"Answer B %d\",\"choice\":\"%s\",\"weight\":%d}%n", i, i % 7, i % 9, i % 9, i,
          i, i, i, i % 3 == 0 ? "b" : "a", 1 + i % 3));
      trl.append(String.format("{\"prompt\":\"Question %d\",\"chosen\":\"Good answer %d\",\"rejected\":\"Bad answer "
          + "%d\"}%n", i, i, i));
      people.append(String.format("u%d,%s,%s,%s%n", i, i % 2 == 0 ? "18-29" : "60+", i % 3 == 0 ? "female" : "male",
          i % 5 == 0 ? "false" : "true"));
      prompts.append(String.format("{\"prompt_id\":\"q%d\",\"text\":\"How do I do thing %d\"}%n", i, i));
    }
    for (int i = 0; i < 40; i++) {
      votes.append(String.format("%d,x,%d,%d,%d%n", 1658933760180L + i * 1000L, 1 + i % 5, i / 2, i % 3 - 1));
    }
    String comments = "timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body\n"
        + "1658934589213,x,1,1,0,0,1,Statement one\n1658934589214,x,2,1,0,0,1,Statement two\n"
        + "1658934589215,x,3,2,0,0,0,Statement three\n1658934589216,x,4,2,0,0,-1,Statement four\n"
        + "1658934589217,x,5,3,0,0,1,Statement five\n";
    return List.of(
        new Format("generic", "pairs.jsonl", false, generic.toString(), "input.comparisons", "dataset_id", true),
        new Format("trl", "trl.jsonl", false, trl.toString(), "input.comparisons", "dataset_id", true),
        new Format("table-csv", "people.csv", true, people.toString(), "input.participants", "scope", true),
        new Format("table-jsonl", "prompts.jsonl", false, prompts.toString(), "input.prompts", "dataset_id", true),
        new Format("polis-votes", "votes.csv", true, votes.toString(), "input.votes", "conversation_id", false),
        new Format("polis-comments", "comments.csv", true, comments, "input.statements", "conversation_id", false),
        new Format("sortition", "respondents.csv", true, respondents.toString(), "input.pool", "pool_id", true));
  }

  /** The other file of a Polis export, left as it is while one is mutated. */
  static String companion(Format f, List<Format> all) {
    String other = f.name().equals("polis-votes") ? "polis-comments" : "polis-votes";
    return all.stream().filter(x -> x.name().equals(other)).findFirst().orElseThrow().seed();
  }

  /** A mutant: its bytes, what was done, and whether it is gzip (cut: must exit 3). */
  record Mutant(byte[] bytes, String mutation, boolean gzip, boolean cutGzip) {}

  static Mutant mutate(Format f, int kind, Random r) throws IOException {
    byte[] b = f.seed().getBytes(StandardCharsets.UTF_8);
    int k = !f.gzipOk() && (kind == 16 || kind == 17) ? 19 : kind;
    return switch (k) {
      case 0 -> new Mutant(Arrays.copyOf(b, r.nextInt(b.length)), "truncated", false, false);
      case 1 -> new Mutant(insert(b, r.nextInt(b.length), new byte[] {0}), "NUL byte", false, false);
      case 2 -> new Mutant(insert(b, r.nextInt(b.length), new byte[] {(byte) 0xC3, 0x28}), "invalid UTF-8", false,
          false);
      case 3 -> new Mutant(insert(b, 0, new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}), "BOM", false, false);
      case 4 -> new Mutant(text(b).replace("\n", "\r\n").getBytes(StandardCharsets.UTF_8), "CRLF", false, false);
      case 5 -> new Mutant(text(b).replace("\n", "\r").getBytes(StandardCharsets.UTF_8), "CR only", false, false);
      case 6 -> new Mutant(insert(b, r.nextInt(b.length), new byte[] {'"'}), "stray quote", false, false);
      case 7 -> new Mutant(insert(b, insideLine(b, r), "x".repeat(1 << 20).getBytes(StandardCharsets.UTF_8)),
          "1 MB field", false, false);
      case 8 -> new Mutant(text(b).replaceFirst("(?<=[,:\"a-z])([0-9])(?=[,\"\\n])", "$1" + "9".repeat(30))
          .getBytes(StandardCharsets.UTF_8), "huge id", false, false);
      case 9 -> new Mutant(text(b).replaceFirst("(?<=\\n[0-9]{0,20},?x?,?)([0-9])", "-$1")
          .getBytes(StandardCharsets.UTF_8), "negative id", false, false);
      case 10 -> new Mutant(wrongJsonType(text(b), r).getBytes(StandardCharsets.UTF_8), "wrong JSON type", false,
          false);
      case 11 -> new Mutant(repeatLine(b, r, f.csv()), f.csv() ? "repeated header" : "repeated line", false, false);
      case 12 -> new Mutant(new byte[0], "empty file", false, false);
      case 13 -> new Mutant(f.csv() ? Arrays.copyOf(b, text(b).indexOf('\n') + 1) : "\n".getBytes(StandardCharsets.UTF_8),
          f.csv() ? "header only" : "blank only", false, false);
      case 14 -> new Mutant((f.csv() ? text(b).replaceFirst("\n", ",extra\n").replaceFirst("\n([^\n]*)\n", "\n$1,e\n")
          : text(b).replaceFirst("\\}", ",\"extra\":1}")).getBytes(StandardCharsets.UTF_8), "extra column", false,
          false);
      case 15 -> new Mutant(dropLastField(text(b), r).getBytes(StandardCharsets.UTF_8), "missing column", false,
          false);
      case 16 -> new Mutant(gzip(b), "gzip", true, false);
      case 17 -> {
        byte[] g = gzip(b);
        yield new Mutant(Arrays.copyOf(g, 10 + r.nextInt(g.length - 18)), "gzip cut mid-stream", true, true);
      }
      case 18 -> new Mutant(mergeLines(b, r), "merged lines", false, false);
      default -> new Mutant(swap(b, r), "swapped bytes", false, false);
    };
  }

  // ---- the oracle: records in the bytes, counted without Chorus's reader ----

  /** Non-blank lines (CR, LF or CRLF end a line; a BOM opening the file is not content), less the CSV header. */
  static long records(byte[] bytes, boolean csv) {
    String s = new String(bytes, StandardCharsets.ISO_8859_1);
    if (s.startsWith("\u00EF\u00BB\u00BF")) {
      s = s.substring(3);
    }
    long lines = 0;
    boolean first = true;
    for (String line : s.split("\r\n|\r|\n", -1)) {
      if (!line.replace(" ", "").replace("\t", "").isEmpty()) {
        if (!(csv && first)) {
          lines++;
        }
      }
      first = false;
    }
    return lines;
  }

  @Test
  void everyRecordOfEveryMutantIsAcceptedOrQuarantinedAndFailuresAreShortExit3() throws Exception {
    List<Format> formats = formats();
    Random random = new Random(SEED);
    Map<String, Integer> exits = new LinkedHashMap<>();
    List<String> problems = new ArrayList<>();
    long records = 0;
    for (int i = 0; i < MUTANTS; i++) {
      Format f = formats.get(i % formats.size());
      int kind = random.nextInt(MUTATIONS);
      Mutant m = mutate(f, kind, new Random(SEED * 31 + i));
      String scope = "fz" + i;
      Path dir = Files.createDirectories(tmp.resolve("fuzz").resolve(scope));
      Path file = dir.resolve(m.gzip() ? f.file() + ".gz" : f.file());
      Files.write(file, m.bytes());
      if (f.name().equals("sortition")) {
        Files.writeString(dir.resolve("categories.csv"), CATEGORIES);
      }
      if (f.name().startsWith("polis")) {
        Files.writeString(dir.resolve(f.name().equals("polis-votes") ? "comments.csv" : "votes.csv"),
            companion(f, formats));
      }
      List<String> args = new ArrayList<>(List.of("--output", "json"));
      args.addAll(f.args(file, scope));
      CliRun run = chorus(args.toArray(String[]::new));
      String what = "mutant " + i + " (" + f.name() + ", " + m.mutation() + ")";
      exits.merge(f.name() + " exit " + run.exitCode(), 1, Integer::sum);
      if (run.err().contains("\tat ") || run.err().contains("Exception") || run.out().contains("\tat ")) {
        problems.add(what + ": a stack trace: " + run.err().lines().findFirst().orElse(""));
      }
      long inTable = tables.exists(f.table()) ? spark.table(f.table()).filter(col(f.scopeColumn()).equalTo(scope))
          .count() : 0;
      if (run.exitCode() == 0) {
        byte[] plain = m.gzip() ? gunzip(m.bytes()) : m.bytes();
        long expected = records(plain, f.csv());
        records += expected;
        JsonNode source = source(run.out(), f);
        if (source == null) {
          problems.add(what + ": no count for " + f.table() + " in " + run.out());
          continue;
        }
        long read = source.path("read").asLong();
        if (read != expected) {
          problems.add(what + ": " + read + " records read, the file holds " + expected);
        }
        if (read != source.path("accepted").asLong() + source.path("quarantined").asLong()) {
          problems.add(what + ": read != accepted + quarantined: " + source);
        }
        if (!f.name().equals("polis-votes") && inTable != source.path("accepted").asLong()) {
          problems.add(what + ": " + inTable + " rows in " + f.table() + ", " + source.path("accepted") + " accepted");
        }
        if (m.cutGzip()) {
          problems.add(what + ": a gzip cut mid-stream was accepted");
        }
      } else if (run.exitCode() == 3) {
        long quarantined = count("SELECT count(*) FROM input.quarantine WHERE scope = '" + scope + "'");
        if (inTable != 0 || quarantined != 0) {
          problems.add(what + ": exit 3 but " + inTable + " rows and " + quarantined + " quarantine rows committed");
        }
        String err = run.err().strip();
        if (err.contains("\n") || err.length() > 500 || !err.startsWith("chorus: ")) {
          problems.add(what + ": exit 3 with an error that is not one short line (" + err.length() + " chars)");
        }
      } else {
        problems.add(what + ": exit " + run.exitCode() + ": " + run.err().strip());
      }
    }
    System.out.printf("fuzz: %d mutants (seed %d), %d records in the accepted ones; exits %s; problems %d%n", MUTANTS,
        SEED, records, exits, problems.size());
    assertThat(problems).as("fuzz problems").isEmpty();
    assertThat(exits.keySet()).as("mutants of every format were accepted and some were refused")
        .anyMatch(e -> e.endsWith("exit 0")).anyMatch(e -> e.endsWith("exit 3"));
  }

  /**
   * Parquet table input: files written by Spark with the right schema, wrong types, a missing, extra or nested
   * column, null ids and a 1 MB value, and the right file truncated, with swapped or inserted bytes, an empty file and
   * a broken magic number. The oracle is the number of rows written (30); a mutant is accepted with all 30 read or
   * refused with exit 3 and one short line, nothing committed.
   */
  @Test
  void parquetMutantsAreReadWholeOrRefusedWithOneLine() throws Exception {
    String rows = "SELECT concat('u', id) AS participant_id, if(id % 2 = 0, '18-29', '60+') AS age_bracket, "
        + "if(id % 3 = 0, 'female', 'male') AS gender, id % 5 <> 0 AS consent";
    Map<String, String> schemas = new LinkedHashMap<>();
    schemas.put("right schema", rows + " FROM range(30)");
    schemas.put("numeric ids", "SELECT id AS participant_id, '18-29' AS age_bracket, 'male' AS gender, "
        + "1 AS consent FROM range(30)");
    schemas.put("missing column", "SELECT '18-29' AS age_bracket, 'male' AS gender FROM range(30)");
    schemas.put("extra column", rows + ", rand(7) AS extra FROM range(30)");
    schemas.put("nested column", rows + ", named_struct('a', id, 'b', array(id, id)) AS nested FROM range(30)");
    schemas.put("null ids", "SELECT if(id % 4 = 0, NULL, concat('u', id)) AS participant_id, 'male' AS gender "
        + "FROM range(30)");
    schemas.put("1 MB value", "SELECT concat('u', id) AS participant_id, if(id = 3, repeat('x', 1048576), 'male') "
        + "AS gender FROM range(30)");
    Random random = new Random(SEED);
    Map<String, byte[]> mutants = new LinkedHashMap<>();
    byte[] right = null;
    for (Map.Entry<String, String> e : schemas.entrySet()) {
      byte[] bytes = parquetBytes(e.getValue(), e.getKey().replace(' ', '-'));
      mutants.put(e.getKey(), bytes);
      right = right == null ? bytes : right;
    }
    mutants.put("truncated", Arrays.copyOf(right, 1 + random.nextInt(right.length - 1)));
    mutants.put("footer cut", Arrays.copyOf(right, right.length - 9));
    mutants.put("swapped bytes", swap(swap(right, random), random));
    mutants.put("NUL bytes", insert(right, 4 + random.nextInt(right.length - 8), new byte[] {0, 0, 0, 0}));
    mutants.put("empty file", new byte[0]);
    byte[] magic = right.clone();
    magic[magic.length - 1] = 'X';
    mutants.put("broken magic", magic);
    List<String> problems = new ArrayList<>();
    Map<String, Integer> exits = new LinkedHashMap<>();
    int i = 0;
    for (Map.Entry<String, byte[]> m : mutants.entrySet()) {
      String scope = "pq" + i++;
      Path file = Files.createDirectories(tmp.resolve("fuzz-parquet").resolve(scope)).resolve("people.parquet");
      Files.write(file, m.getValue());
      CliRun run = chorus("--output", "json", "ingest", "table", "--table", "participants", "--input",
          file.toString(), "--dataset", scope);
      String what = "parquet mutant " + scope + " (" + m.getKey() + ")";
      exits.merge("exit " + run.exitCode(), 1, Integer::sum);
      if (run.err().contains("\tat ") || run.err().contains("Exception") || run.out().contains("\tat ")) {
        problems.add(what + ": a stack trace: " + run.err().lines().findFirst().orElse(""));
      }
      long inTable = spark.table("input.participants").filter(col("scope").equalTo(scope)).count();
      long quarantined = count("SELECT count(*) FROM input.quarantine WHERE scope = '" + scope + "'");
      if (run.exitCode() == 0) {
        JsonNode source = source(run.out(), new Format("parquet", "", false, "", "input.participants", "scope",
            false));
        long read = source == null ? -1 : source.path("read").asLong();
        if (read != 30 || read != source.path("accepted").asLong() + source.path("quarantined").asLong()
            || inTable != source.path("accepted").asLong()) {
          problems.add(what + ": 30 rows written, counts " + source + ", " + inTable + " in the table");
        }
      } else if (run.exitCode() == 3) {
        String err = run.err().strip();
        if (inTable != 0 || quarantined != 0) {
          problems.add(what + ": exit 3 but " + inTable + " rows and " + quarantined + " quarantine rows committed");
        }
        if (err.contains("\n") || err.length() > 500 || !err.startsWith("chorus: ")) {
          problems.add(what + ": exit 3 with an error that is not one short line: " + err);
        }
      } else {
        problems.add(what + ": exit " + run.exitCode() + ": " + run.err().strip());
      }
    }
    System.out.printf("parquet fuzz: %d mutants; exits %s; problems %d%n", mutants.size(), exits, problems.size());
    assertThat(problems).as("parquet fuzz problems").isEmpty();
    assertThat(exits).as("the right file is accepted, a broken one refused").containsKeys("exit 0", "exit 3");
  }

  /** The bytes of one Parquet file Spark writes for a query. */
  static byte[] parquetBytes(String sql, String name) throws IOException {
    Path dir = tmp.resolve("parquet-seeds").resolve(name);
    spark.sql(sql).coalesce(1).write().mode("overwrite").parquet(dir.toString());
    try (var files = Files.list(dir)) {
      Path part = files.filter(p -> p.getFileName().toString().endsWith(".parquet")).findFirst().orElseThrow();
      return Files.readAllBytes(part);
    }
  }

  static JsonNode source(String out, Format f) throws IOException {
    if (out.isBlank()) {
      return null;
    }
    for (JsonNode s : JSON.readTree(out).path("figures").path("sources")) {
      if (s.path("table").asText().equals(f.table())) {
        return s;
      }
    }
    return null;
  }

  // ---- mutation helpers ----

  static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  static byte[] insert(byte[] b, int at, byte[] what) {
    byte[] out = new byte[b.length + what.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(what, 0, out, at, what.length);
    System.arraycopy(b, at, out, at + what.length, b.length - at);
    return out;
  }

  /** A position inside a data line (after a byte that is not a line break), so a long field stays in one line. */
  static int insideLine(byte[] b, Random r) {
    int firstBreak = text(b).indexOf('\n');
    for (int tries = 0; tries < 100; tries++) {
      int p = firstBreak + 2 + r.nextInt(Math.max(1, b.length - firstBreak - 3));
      if (p < b.length && b[p] != '\n' && b[p - 1] != '\n') {
        return p;
      }
    }
    return firstBreak + 2;
  }

  static String wrongJsonType(String s, Random r) {
    List<Integer> at = new ArrayList<>();
    for (int i = s.indexOf(":\""); i >= 0; i = s.indexOf(":\"", i + 1)) {
      at.add(i);
    }
    if (at.isEmpty()) {
      return s.replaceFirst(",", ",{},"); // CSV: an object-looking field
    }
    int p = at.get(r.nextInt(at.size()));
    String[] replacement = {":123,\"_x\":\"", ":{\"x\":1},\"_x\":\"", ":[],\"_x\":\"", ":null,\"_x\":\"",
        ":true,\"_x\":\""};
    return s.substring(0, p) + replacement[r.nextInt(replacement.length)] + s.substring(p + 2);
  }

  static byte[] repeatLine(byte[] b, Random r, boolean header) {
    String[] lines = text(b).split("\n", -1);
    int from = header ? 0 : 1 + r.nextInt(Math.max(1, lines.length - 2));
    int to = 1 + r.nextInt(Math.max(1, lines.length - 1));
    List<String> out = new ArrayList<>(List.of(lines));
    out.add(to, lines[Math.min(from, lines.length - 1)]);
    return String.join("\n", out).getBytes(StandardCharsets.UTF_8);
  }

  static String dropLastField(String s, Random r) {
    String[] lines = s.split("\n", -1);
    int i = 1 + r.nextInt(Math.max(1, lines.length - 2));
    int cut = Math.max(lines[i].lastIndexOf(','), 0);
    lines[i] = lines[i].substring(0, cut);
    return String.join("\n", lines);
  }

  static byte[] mergeLines(byte[] b, Random r) {
    String s = text(b);
    List<Integer> breaks = new ArrayList<>();
    for (int i = s.indexOf('\n'); i >= 0 && i < s.length() - 1; i = s.indexOf('\n', i + 1)) {
      breaks.add(i);
    }
    if (breaks.size() < 2) {
      return b;
    }
    int p = breaks.get(1 + r.nextInt(breaks.size() - 1));
    return (s.substring(0, p) + s.substring(p + 1)).getBytes(StandardCharsets.UTF_8);
  }

  static byte[] swap(byte[] b, Random r) {
    byte[] out = b.clone();
    int i = r.nextInt(out.length);
    int j = r.nextInt(out.length);
    byte t = out[i];
    out[i] = out[j];
    out[j] = t;
    return out;
  }

  static byte[] gzip(byte[] b) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
      out.write(b);
    }
    return bytes.toByteArray();
  }

  static byte[] gunzip(byte[] b) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(b))) {
      return in.readAllBytes();
    }
  }
}
