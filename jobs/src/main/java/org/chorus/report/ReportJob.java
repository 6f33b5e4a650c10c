package org.chorus.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.chorus.core.ChorusException;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.io.TextFiles;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.WriteResult;
import org.chorus.text.PiiScrubber;
import org.jfree.chart.JFreeChart;

/**
 * {@code chorus report}: one self-contained {@code index.html} (inline SVG charts from JFreeChart/JFreeSVG, inline
 * CSS, no script, no font or image from anywhere) over what the warehouse holds: the opinion map, per-group agreement,
 * consensus and bridging statements, representativeness, panel fairness, aggregation, reward model accuracy, shards
 * and prompt coverage. Each part takes the id it is given, else the one its table was last written for; a part whose
 * table is missing says which command makes it.
 */
public final class ReportJob implements Job<ReportJob.Options, ReportJob.Result> {

  /** Where index.html goes, and per part the id to show (null: the id its table was last written for). */
  public record Options(String out, String conversation, String population, String pool, String dataset,
      String prompts, String shards) implements JobOptions {
    public static Options of(String out) {
      return new Options(out, null, null, null, null, null, null);
    }

    public Options withConversation(String id) {
      return new Options(out, id, population, pool, dataset, prompts, shards);
    }

    public Options withPopulation(String id) {
      return new Options(out, conversation, id, pool, dataset, prompts, shards);
    }

    public Options withPool(String id) {
      return new Options(out, conversation, population, id, dataset, prompts, shards);
    }

    public Options withDataset(String id) {
      return new Options(out, conversation, population, pool, id, prompts, shards);
    }

    public Options withPrompts(String id) {
      return new Options(out, conversation, population, pool, dataset, id, shards);
    }

    public Options withShards(String dir) {
      return new Options(out, conversation, population, pool, dataset, prompts, dir);
    }

    /** A report is of the whole warehouse: no one id. */
    @Override
    public String scope() {
      return null;
    }

    @Override
    public List<String> problems() {
      return new Checks().path(out, "--out").problems();
    }
  }

  public record Result(String file, int charts, List<String> sections, List<String> missing,
      Map<String, Long> read) implements JobResult {
    @Override
    public List<WriteResult> writes() {
      return List.of();
    }

    @Override
    public List<String> files() {
      return List.of(file);
    }

    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("charts", charts);
      f.put("sections", sections);
      f.put("missing", missing);
      f.put("read", read);
      return f;
    }

    @Override
    public void print(PrintStream out) {
      out.printf("report: %d charts in %d sections -> %s%n", charts, sections.size(), file);
      if (!missing.isEmpty()) {
        out.println("  not in this warehouse: " + String.join(", ", missing));
      }
    }
  }

  private static final Pattern TABLE = Pattern.compile("\\b((?:input|derived)\\.[a-z_]+)\\b");
  /** Statement texts in the report are published: personal data in them is replaced. */
  private static final PiiScrubber SCRUBBER = new PiiScrubber();

  private final List<String> parts = new ArrayList<>();
  private final List<String> sections = new ArrayList<>();
  private final List<String> missing = new ArrayList<>();
  private int charts;
  private ChorusTables tables;
  private SparkSession spark;
  private RunContext run;

  @Override
  public String name() {
    return "report";
  }

  @Override
  public Result run(JobContext job, Options o) {
    ReportJob r = new ReportJob();
    r.tables = job.tables();
    r.spark = job.spark();
    r.run = job.run();
    r.opinions(r.scope("derived.participant_groups", o.conversation()));
    r.representativeness(r.scope("derived.weighting_diagnostics", o.population()));
    r.panel(r.scope("derived.panel_probabilities", o.pool()));
    r.aggregation(r.scope("derived.method_comparison", o.dataset()));
    r.reward(r.scope("derived.rm_eval", o.dataset()));
    r.shards(o.shards());
    r.prompts(r.scope("derived.coverage", o.prompts()));
    String file = o.out().replaceAll("/+$", "") + "/index.html";
    try {
      TextFiles.write(file, r.page(), r.spark.sparkContext().hadoopConfiguration());
    } catch (IOException e) {
      throw ChorusException.badInput("cannot write %s: %s", file, e.getMessage());
    }
    return new Result(file, r.charts, r.sections, r.missing, new TreeMap<>(r.run.reads()));
  }

  /** The given id, else the scope of the table's latest commit; null when the table does not exist. */
  private String scope(String table, String given) {
    if (given != null) {
      return given;
    }
    if (!tables.exists(table)) {
      return null;
    }
    var s = tables.load(table).currentSnapshot();
    return s == null ? null : s.summary().get("chorus.scope");
  }

  /** The query with each ? bound to the next id as a parameter: ids are values, never SQL text. */
  private List<Row> sql(String query, String... ids) {
    recordReads(query);
    return (ids.length == 0 ? spark.sql(query) : spark.sql(query, (Object) ids)).collectAsList();
  }

  /** Records the snapshot of each table the query names, once per table, as lineage (as ChorusTables.read does). */
  private void recordReads(String query) {
    Matcher m = TABLE.matcher(query);
    while (m.find()) {
      String table = m.group(1);
      if (!run.reads().containsKey(table) && tables.exists(table)) {
        var snapshot = tables.load(table).currentSnapshot();
        run.recordRead(table, snapshot == null ? -1L : snapshot.snapshotId());
      }
    }
  }

  private void section(String title, String body) {
    sections.add(title);
    parts.add("<section><h2>" + Html.escape(title) + "</h2>" + body + "</section>");
  }

  private void absent(String title, String how) {
    missing.add(title);
    parts.add("<section><h2>" + Html.escape(title) + "</h2><p class=\"missing\">Not in this warehouse: "
        + Html.escape(how) + ".</p></section>");
  }

  private String figure(JFreeChart chart, int width, int height, String reading) {
    charts++;
    return "<figure>" + Charts.svg(chart, width, height) + "<figcaption class=\"reading\">" + Html.escape(reading)
        + "</figcaption></figure>";
  }

  private static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  // ---- opinions ----

  private void opinions(String conv) {
    String title = "Opinion landscape";
    if (conv == null || !tables.exists("derived.statement_stats")) {
      absent(title, "run chorus opinions --conversation ID");
      return;
    }
    StringBuilder body = new StringBuilder("<p class=\"meta\">conversation " + Html.escape(conv) + "</p>");
    Map<String, List<double[]>> points = new TreeMap<>();
    for (Row r : sql("SELECT group_id, x, y FROM derived.participant_groups WHERE conversation_id = ? AND "
        + "group_id IS NOT NULL AND x IS NOT NULL ORDER BY hash(participant_id) LIMIT 5000", conv)) {
      points.computeIfAbsent("group " + r.get(0), k -> new ArrayList<>()).add(new double[] {r.getDouble(1),
          r.getDouble(2)});
    }
    Map<String, Long> sizes = new TreeMap<>();
    long total = 0;
    for (Row r : sql("SELECT group_id, count(*) FROM derived.participant_groups WHERE conversation_id = ? AND "
        + "group_id IS NOT NULL GROUP BY group_id", conv)) {
      sizes.put("group " + r.get(0), r.getLong(1));
      total += r.getLong(1);
    }
    if (!points.isEmpty()) {
      var largest = sizes.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
      body.append(figure(Charts.scatter("Opinion map: participants by group", "first component",
          "second component", points), 900, 520, String.format(Locale.ROOT, "%,d participants in %d groups; the "
              + "largest, %s, holds %s of them (up to 5,000 shown).", total, sizes.size(), largest.getKey(),
          pct((double) largest.getValue() / total))));
    }
    List<double[]> statements = new ArrayList<>();
    for (Row r : sql("SELECT extremity, gic FROM derived.statement_stats WHERE conversation_id = ? AND "
        + "extremity IS NOT NULL AND gic IS NOT NULL", conv)) {
      statements.add(new double[] {r.getDouble(0), r.getDouble(1)});
    }
    if (!statements.isEmpty()) {
      body.append(figure(Charts.scatter("Statements: how far they divide vs how much every group agrees",
          "extremity (distance from the centre of the map)", "group-informed consensus", Map.of("statements",
              statements)), 900, 420, "Statements to the right divide the groups; high up, every group agrees "
              + "with them; " + statements.size() + " statements."));
    }
    // per-group agreement on the ten statements with the highest consensus (Polis-style bars)
    List<Row> top = sql("SELECT statement_id FROM derived.statement_stats WHERE conversation_id = ? AND gic IS NOT "
        + "NULL ORDER BY gic DESC, statement_id LIMIT 10", conv);
    if (!top.isEmpty()) {
      StringBuilder ids = new StringBuilder();
      top.forEach(r -> ids.append(ids.length() == 0 ? "" : ",").append(r.getLong(0)));
      Map<String, Map<String, Double>> bars = new TreeMap<>();
      for (Row r : sql("SELECT v.statement_id, g.group_id, avg(CASE WHEN v.vote = 1 THEN 1.0 ELSE 0.0 END) FROM "
          + "input.votes v JOIN derived.participant_groups g ON g.conversation_id = v.conversation_id AND "
          + "g.participant_id = v.participant_id WHERE v.conversation_id = ? AND g.group_id IS NOT NULL AND "
          + "v.statement_id IN (" + ids + ") GROUP BY 1, 2 ORDER BY 1, 2", conv)) {
        bars.computeIfAbsent("group " + r.get(1), k -> new LinkedHashMap<>()).put("s" + r.getLong(0),
            ((Number) r.get(2)).doubleValue());
      }
      body.append(figure(Charts.bars("Agreement per group on the ten most consensual statements", "statement",
          "share of the group's votes that agree", bars, true), 900, 520, "Every group's bar is long for a "
          + "consensus statement; where bars differ, the groups part ways."));
    }
    List<List<String>> rows = new ArrayList<>();
    for (Row r : sql("SELECT s.statement_id, st.text, s.gic, s.bridging_status, s.bridging_intercept FROM "
        + "derived.statement_stats s JOIN input.statements st ON st.conversation_id = s.conversation_id AND "
        + "st.statement_id = s.statement_id WHERE s.conversation_id = ? ORDER BY s.gic DESC LIMIT 5", conv)) {
      rows.add(List.of("s" + r.get(0), SCRUBBER.scrub(r.getString(1)).text(),
          String.format(Locale.ROOT, "%.3f", r.getDouble(2)),
          String.valueOf(r.get(3)), r.isNullAt(4) ? "" : String.format(Locale.ROOT, "%.3f", r.getDouble(4))));
    }
    body.append("<h3>Consensus (highest group-informed consensus)</h3>").append(Html.table(List.of("statement",
        "text", "GIC", "bridging", "intercept"), rows));
    rows = new ArrayList<>();
    for (Row r : sql("SELECT s.statement_id, st.text, s.bridging_intercept, s.bridging_factor FROM "
        + "derived.statement_stats s JOIN input.statements st ON st.conversation_id = s.conversation_id AND "
        + "st.statement_id = s.statement_id WHERE s.conversation_id = ? AND s.bridging_status = 'helpful' "
        + "ORDER BY s.bridging_intercept DESC LIMIT 5", conv)) {
      rows.add(List.of("s" + r.get(0), SCRUBBER.scrub(r.getString(1)).text(),
          String.format(Locale.ROOT, "%.3f", r.getDouble(2)),
          String.format(Locale.ROOT, "%.3f", r.getDouble(3))));
    }
    body.append("<h3>Bridging (Community Notes status helpful)</h3>").append(rows.isEmpty()
        ? "<p class=\"missing\">No statement is rated helpful across the divide.</p>"
        : Html.table(List.of("statement", "text", "intercept", "factor"), rows));
    section(title, body.toString());
  }

  // ---- weights ----

  private void representativeness(String population) {
    String title = "Representativeness";
    if (population == null) {
      absent(title, "run chorus weights --margins FILE --population ID");
      return;
    }
    Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
    Map<String, Double> scalar = new TreeMap<>();
    for (Row r : sql("SELECT metric, dimension, level, value FROM derived.weighting_diagnostics WHERE "
        + "population_id = ? ORDER BY dimension, level, metric", population)) {
      String metric = r.getString(0);
      if (metric.endsWith("_share")) {
        String series = switch (metric) {
          case "target_share" -> "population (target)";
          case "unweighted_share" -> "sample, unweighted";
          default -> "sample, weighted";
        };
        bars.computeIfAbsent(series, k -> new LinkedHashMap<>()).put(r.getString(1) + "=" + r.getString(2),
            r.getDouble(3));
      } else if (r.isNullAt(1)) {
        scalar.put(metric, r.getDouble(3));
      }
    }
    Map<String, Map<String, Double>> ordered = new LinkedHashMap<>();
    for (String s : List.of("population (target)", "sample, unweighted", "sample, weighted")) {
      if (bars.containsKey(s)) {
        ordered.put(s, bars.get(s));
      }
    }
    String reading = String.format(Locale.ROOT, "Weighted shares meet the targets; design effect %.3f, effective "
        + "sample size %,.0f.", scalar.getOrDefault("design_effect", Double.NaN),
        scalar.getOrDefault("effective_sample_size", Double.NaN));
    section(title, "<p class=\"meta\">population " + Html.escape(population) + "</p>" + figure(Charts.bars(
        "Target vs unweighted vs weighted shares", "dimension = level", "share", ordered, false), 1000, 480,
        reading));
  }

  // ---- panels ----

  private void panel(String pool) {
    String title = "Panel fairness";
    if (pool == null) {
      absent(title, "run chorus panel --pool ID --size K --method leximin");
      return;
    }
    Map<String, List<Double>> byMethod = new TreeMap<>();
    for (Row r : sql("SELECT method, probability FROM derived.panel_probabilities WHERE pool_id = ? "
        + "ORDER BY method, probability", pool)) {
      byMethod.computeIfAbsent(r.getString(0), k -> new ArrayList<>()).add(r.getDouble(1));
    }
    Map<String, List<double[]>> curves = new LinkedHashMap<>();
    StringBuilder reading = new StringBuilder("Lowest selection probability: ");
    byMethod.forEach((m, p) -> {
      List<double[]> xy = new ArrayList<>();
      for (int i = 0; i < p.size(); i++) {
        xy.add(new double[] {(i + 0.5) / p.size(), p.get(i)});
      }
      curves.put(m, xy);
      reading.append(m).append(' ').append(String.format(Locale.ROOT, "%.4f", p.get(0))).append("; ");
    });
    reading.append("a flatter curve is a fairer lottery.");
    section(title, "<p class=\"meta\">pool " + Html.escape(pool) + "</p>" + figure(Charts.lines(
        "Selection probability of every volunteer, sorted", "volunteers (share of the pool, least likely first)",
        "probability of selection", curves), 900, 440, reading.toString()));
  }

  // ---- aggregation ----

  private void aggregation(String dataset) {
    String title = "Aggregation: how the method changes the outcome";
    if (dataset == null) {
      absent(title, "run chorus aggregate --dataset ID");
      return;
    }
    List<Row> pairs = sql("SELECT method_a, method_b, kendall_tau, honoured_a, honoured_b FROM "
        + "derived.method_comparison WHERE dataset_id = ?", dataset);
    TreeSet<String> methods = new TreeSet<>();
    pairs.forEach(r -> {
      methods.add(r.getString(0));
      methods.add(r.getString(1));
    });
    List<String> names = new ArrayList<>(methods);
    double[][] tau = new double[names.size()][names.size()];
    Map<String, Map<String, Double>> honoured = new TreeMap<>();
    for (double[] row : tau) {
      java.util.Arrays.fill(row, Double.NaN);
    }
    for (int i = 0; i < names.size(); i++) {
      tau[i][i] = 1;
    }
    for (Row r : pairs) {
      int a = names.indexOf(r.getString(0));
      int b = names.indexOf(r.getString(1));
      double t = r.isNullAt(2) ? Double.NaN : r.getDouble(2);
      tau[a][b] = t;
      tau[b][a] = t;
      for (int side = 0; side < 2; side++) {
        if (!r.isNullAt(3 + side)) {
          String m = r.getString(side);
          r.<String, Double>getJavaMap(3 + side).forEach((g, v) -> honoured.computeIfAbsent(g,
              k -> new TreeMap<>()).put(m, v));
        }
      }
    }
    StringBuilder body = new StringBuilder("<p class=\"meta\">dataset " + Html.escape(dataset) + "</p>");
    double lowest = Double.NaN;
    for (double[] row : tau) {
      for (double v : row) {
        lowest = Double.isNaN(lowest) || v < lowest ? v : lowest;
      }
    }
    if (!names.isEmpty()) {
      body.append(figure(Charts.matrix("Kendall tau between the methods' rankings", names, tau), 760, 640,
          String.format(Locale.ROOT, "1 is the same ranking, -1 the reverse; the two methods furthest apart have "
              + "tau %.2f.", lowest)));
    }
    if (!honoured.isEmpty()) {
      String worst = null;
      double worstShare = Double.POSITIVE_INFINITY;
      for (var g : honoured.entrySet()) {
        Double bt = g.getValue().get("bt");
        if (bt != null && bt < worstShare) {
          worstShare = bt;
          worst = g.getKey();
        }
      }
      body.append(figure(Charts.bars("Share of each group's preferences the aggregate honours", "method",
          "share honoured", honoured, false), 1000, 460, worst == null ? "Per group and method."
              : "Under Bradley-Terry the group that loses most is " + worst + " (" + pct(worstShare)
                  + " of its preferences honoured)."));
    }
    Map<String, Map<String, String>> winners = new TreeMap<>();
    for (Row r : sql("SELECT prompt_id, method, concat_ws(', ', sort_array(collect_list(item_id))) FROM "
        + "derived.item_scores WHERE dataset_id = ? AND group_id = 'all' AND rank = 1 AND prompt_id IN (SELECT "
        + "prompt_id FROM derived.item_scores WHERE dataset_id = ? GROUP BY prompt_id ORDER BY prompt_id LIMIT 8) "
        + "GROUP BY prompt_id, method", dataset, dataset)) {
      winners.computeIfAbsent(r.getString(0), k -> new TreeMap<>()).put(r.getString(1), r.getString(2));
    }
    List<String> header = new ArrayList<>(List.of("prompt"));
    header.addAll(names);
    List<List<String>> rows = new ArrayList<>();
    winners.forEach((prompt, byMethod) -> {
      List<String> row = new ArrayList<>(List.of(prompt));
      names.forEach(m -> row.add(byMethod.getOrDefault(m, "")));
      rows.add(row);
    });
    body.append("<h3>Winners per method (first prompts)</h3>").append(Html.table(header, rows));
    section(title, body.toString());
  }

  // ---- reward models ----

  private void reward(String dataset) {
    String title = "Reward model accuracy";
    if (dataset == null || !tables.exists("derived.rm_eval")) {
      absent(title, "run chorus reward train --dataset ID --out DIR");
      return;
    }
    List<Row> rows = sql("SELECT model_id, group_id, accuracy, ci_low, ci_high, length_baseline, n FROM "
        + "derived.rm_eval WHERE dataset_id = ? AND split = 'test' AND accuracy IS NOT NULL ORDER BY model_id, "
        + "group_id", dataset);
    if (rows.isEmpty()) {
      absent(title, "no held-out evaluation for dataset " + dataset);
      return;
    }
    Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
    String model = rows.get(0).getString(0);
    String reading = "";
    for (Row r : rows) {
      if (!r.getString(0).equals(model)) {
        continue;
      }
      bars.computeIfAbsent("reward model", k -> new LinkedHashMap<>()).put(r.getString(1), r.getDouble(2));
      if (!r.isNullAt(5)) {
        bars.computeIfAbsent("longer response (baseline)", k -> new LinkedHashMap<>()).put(r.getString(1),
            r.getDouble(5));
      }
      if (r.getString(1).equals("all")) {
        reading = String.format(Locale.ROOT, "Held-out accuracy %.3f (95%% interval %.3f-%.3f, %,d comparisons) "
            + "against %.3f for always preferring the longer response.", r.getDouble(2), r.getDouble(3),
            r.getDouble(4), r.getLong(6), r.isNullAt(5) ? Double.NaN : r.getDouble(5));
      }
    }
    section(title, "<p class=\"meta\">dataset " + Html.escape(dataset) + ", model " + Html.escape(model) + "</p>"
        + figure(Charts.bars("Accuracy on held-out prompts, overall and per group", "group", "accuracy", bars,
            false), 800, 420, reading));
  }

  // ---- shards ----

  private void shards(String dir) {
    String title = "Training shards";
    if (dir == null) {
      absent(title, "give chorus report --shards DIR (a directory from chorus shards)");
      return;
    }
    String file = dir.replaceAll("/+$", "") + "/manifest.json";
    try {
      if (!SourceFiles.exists(file, spark.sparkContext().hadoopConfiguration())) {
        absent(title, "no manifest.json in " + dir);
        return;
      }
      run.recordSource(file);
      JsonNode m = new ObjectMapper().readTree(TextFiles.read(file, spark.sparkContext().hadoopConfiguration()));
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode f : m.path("files")) {
        rows.add(List.of(f.path("path").asText(), f.path("split").asText(), f.path("rows").asText(),
            f.path("bytes").asText(), f.path("sha256").asText().substring(0, Math.min(16,
                f.path("sha256").asText().length())) + "…"));
      }
      section(title, "<p class=\"meta\">" + Html.escape(dir) + "</p>" + Html.table(List.of("file", "split", "rows",
          "bytes", "sha256"), rows) + "<p>Lineage: " + Html.escape(m.path("lineage").toString()) + "</p><p>Dedup: "
          + Html.escape(m.path("dedup").toString()) + "; decontamination: "
          + Html.escape(m.path("decontamination").toString()) + "</p>");
    } catch (IOException e) {
      absent(title, "cannot read " + file + ": " + e.getMessage());
    }
  }

  // ---- prompts ----

  private void prompts(String dataset) {
    String title = "Prompt coverage";
    if (dataset == null) {
      absent(title, "run chorus prompts --dataset ID");
      return;
    }
    Map<String, Map<String, Double>> bars = new LinkedHashMap<>();
    long sparse = 0;
    String largest = null;
    for (Row r : sql("SELECT cluster_id, label, prompts, flag FROM derived.coverage WHERE dataset_id = ? AND "
        + "kind = 'topic' ORDER BY cluster_id", dataset)) {
      String label = r.getInt(0) < 0 ? "-1 (no content words)" : r.getInt(0) + ": " + r.getString(1);
      bars.computeIfAbsent("prompts", k -> new LinkedHashMap<>()).put(label, (double) r.getLong(2));
      sparse += "sparse".equals(r.getString(3)) ? 1 : 0;
      largest = largest == null ? label : largest;
    }
    List<List<String>> unexercised = new ArrayList<>();
    for (Row r : sql("SELECT rule_id, label FROM derived.coverage WHERE dataset_id = ? AND kind = 'rule' AND "
        + "flag = 'unexercised' ORDER BY rule_id", dataset)) {
      unexercised.add(List.of(r.getString(0), SCRUBBER.scrub(r.getString(1)).text()));
    }
    StringBuilder body = new StringBuilder("<p class=\"meta\">dataset " + Html.escape(dataset) + "</p>");
    body.append(figure(Charts.bars("Prompts per topic", "topic (top terms)", "prompts", bars, true), 900, 460,
        "The largest topic is " + largest + "; " + sparse + " topics are sparse (under a quarter of the mean)."));
    if (!unexercised.isEmpty()) {
      body.append("<h3>Policy rules no prompt exercises</h3>").append(Html.table(List.of("rule", "text"),
          unexercised));
    }
    section(title, body.toString());
  }

  private String page() {
    return "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Chorus report</title><style>"
        + Html.STYLE + "</style></head><body><h1>Chorus report</h1><p class=\"meta\">" + Html.escape(
            "generated " + Instant.now() + " from " + tables.warehouse() + "; " + charts + " charts") + "</p>"
        + String.join("\n", parts) + "<footer><p class=\"meta\">" + Html.escape("read: " + lineage()) + "</p></footer>"
        + "</body></html>\n";
  }

  /** The tables and snapshots the page was drawn from. */
  private String lineage() {
    StringBuilder sb = new StringBuilder();
    new TreeMap<>(run.reads()).forEach((t, id) -> sb.append(sb.length() == 0 ? "" : ", ").append(t).append('@')
        .append(id));
    return sb.length() == 0 ? "no tables" : sb.toString();
  }
}
