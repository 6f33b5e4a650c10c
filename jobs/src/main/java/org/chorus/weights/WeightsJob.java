package org.chorus.weights;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.coalesce;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.chorus.core.ChorusException;
import org.chorus.core.io.RawRecord;
import org.chorus.core.io.RecordReader;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.tables.TableSpec;
import org.chorus.core.tables.Tables;
import org.chorus.core.tables.WriteResult;
import org.chorus.records.CsvParser;
import org.chorus.records.Utf8;

/**
 * {@code chorus weights}: raking weights that make the participants of a scope match population margins. The
 * participants are grouped by their levels on the margin dimensions in Spark (observed cells only), raked on the
 * driver ({@link Raking}), and the cell weights joined back to every participant.
 */
public final class WeightsJob implements Job<WeightsJob.Options, WeightsJob.Result> {
  public static final String MISSING = "(missing)";


  /**
   * How to rake: {@code cap} (weights at most cap x mean, NaN for none), {@code trimPercentile} P in (50, 100)
   * (weights clamped to their (100-P)th and Pth percentiles after a first raking, then re-raked within those bounds;
   * NaN for none), {@code collapse} (mismatched levels are collapsed instead of rejected), {@code tolerance} (max
   * |current/target - 1|), {@code maxSweeps}.
   */
  public record Rake(double cap, double trimPercentile, boolean collapse, double tolerance, int maxSweeps) {
    public static final Rake DEFAULT = new Rake(Double.NaN, Double.NaN, false, 5e-4, 1000);

    public static Rake cap(double cap) {
      return new Rake(cap, Double.NaN, false, 5e-4, 1000);
    }

    List<String> problems() {
      return new Checks()
          .require(Double.isNaN(cap) || cap > 1, "--cap must be greater than 1, got %s", cap)
          .require(Double.isNaN(trimPercentile) || (trimPercentile > 50 && trimPercentile < 100),
              "--trim-percentile must be between 50 and 100, got %s", trimPercentile)
          .require(tolerance > 0 && tolerance < 1, "--tolerance must be in (0, 1), got %s", tolerance)
          .require(maxSweeps >= 1, "max sweeps must be at least 1, got %d", maxSweeps)
          .problems();
    }
  }

  /**
   * One raking run: the margins CSV ({@code dimension,value,share}), the population id the weights are stored under,
   * the scope whose participants are raked, and how.
   */
  public record Options(String margins, String population, String participantsScope, Rake rake)
      implements JobOptions {
    /** The participants of {@code population}'s own scope, raked with the defaults. */
    public static Options of(String margins, String population) {
      return new Options(margins, population, population, Rake.DEFAULT);
    }

    public Options withScope(String scope) {
      return new Options(margins, population, scope, rake);
    }

    public Options with(Rake r) {
      return new Options(margins, population, participantsScope, r);
    }

    @Override
    public String scope() {
      return population;
    }

    @Override
    public List<String> problems() {
      List<String> p = new ArrayList<>(new Checks().path(margins, "--margins").id(population, "--population")
          .id(participantsScope, "--scope").problems());
      p.addAll(rake.problems());
      return p;
    }
  }

  public record Result(String population, Raking.Result raking, double designEffect, double effectiveSampleSize,
      long participants, List<Row> diagnostics, List<String> collapsed, List<WriteResult> writes)
      implements JobResult {
    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("participants", participants);
      f.put("converged", raking.converged());
      f.put("sweeps", raking.sweeps());
      f.put("max_margin_error", raking.maxMarginError());
      f.put("design_effect", designEffect);
      f.put("effective_sample_size", effectiveSampleSize);
      f.put("collapsed", collapsed);
      return f;
    }

    @Override
    public void print(PrintStream out) {
      for (String c : collapsed) {
        out.println("  collapsed " + c);
      }
      out.printf("weights %s: %,d participants, %s after %d sweeps (max margin error %.2e)%n", population,
          participants, raking.converged() ? "converged" : "NOT converged", raking.sweeps(), raking.maxMarginError());
      out.printf("  design effect %.3f, effective sample size %,.0f%n", designEffect, effectiveSampleSize);
      out.printf("  %-20s %-20s %9s %11s %9s%n", "dimension", "level", "target", "unweighted", "weighted");
      double[] shares = new double[3];
      for (Row d : diagnostics) {
        int k = switch (d.getString(1)) {
          case "target_share" -> 0;
          case "unweighted_share" -> 1;
          case "weighted_share" -> 2;
          default -> -1;
        };
        if (k < 0) {
          continue;
        }
        shares[k] = d.getDouble(4);
        if (k == 2) {
          out.printf("  %-20s %-20s %9.4f %11.4f %9.4f%n", d.getString(2), d.getString(3), shares[0], shares[1],
              shares[2]);
        }
      }
      JobResult.printWrites(writes, out);
    }
  }

  @Override
  public String name() {
    return "weights";
  }

  public static final String UNMATCHED = "(unmatched)";

  /** Margins: dimension -> (level -> share), in file order. */
  public static Map<String, Map<String, Double>> readMargins(String file, org.apache.hadoop.conf.Configuration conf) {
    if (!SourceFiles.exists(file, conf)) {
      throw ChorusException.badInput("margins file not found: %s", file);
    }
    Map<String, Map<String, Double>> margins = new LinkedHashMap<>();
    try (InputStream in = SourceFiles.open(file, conf)) {
      RecordReader reader = new RecordReader(in, true, 10, 1 << 20, null);
      boolean header = true;
      while (reader.hasNext()) {
        RawRecord rec = reader.next();
        String[] f;
        try {
          f = CsvParser.parse(Utf8.decodeStrict(rec.bytes()), ',');
        } catch (CsvParser.CsvFormatException | Utf8.InvalidUtf8Exception e) {
          throw ChorusException.badInput("%s line %d: %s", SourceFiles.name(file), rec.line(), e.getMessage());
        }
        if (header) {
          header = false;
          if (f.length < 3 || !f[0].trim().equals("dimension") || !f[1].trim().equals("value")
              || !f[2].trim().equals("share")) {
            throw ChorusException.badInput("%s: expected the header dimension,value,share", SourceFiles.name(file));
          }
          continue;
        }
        double share;
        try {
          share = Double.parseDouble(f[2].trim());
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
          throw ChorusException.badInput("%s line %d: share is not a number", SourceFiles.name(file), rec.line());
        }
        if (!(share >= 0 && share <= 1)) {
          throw ChorusException.badInput("%s line %d: share %s is outside [0, 1]", SourceFiles.name(file), rec.line(),
              f[2].trim());
        }
        margins.computeIfAbsent(f[0].trim(), k -> new LinkedHashMap<>()).put(f[1].trim(), share);
      }
    } catch (IOException e) {
      throw ChorusException.badInput("cannot read %s: %s", file, e.getMessage());
    }
    for (Map.Entry<String, Map<String, Double>> d : margins.entrySet()) {
      double sum = d.getValue().values().stream().mapToDouble(Double::doubleValue).sum();
      if (Math.abs(sum - 1) > 1e-6) {
        throw ChorusException.badInput("margins of dimension '%s' sum to %.6f, not 1", d.getKey(), sum);
      }
    }
    if (margins.isEmpty()) {
      throw ChorusException.badInput("%s has no margins", SourceFiles.name(file));
    }
    return margins;
  }

  /**
   * Caches {@code rows} without the in-memory columnar compression: the cache is read once, by the join, and
   * dictionary-encoding a million distinct participant ids costs more than it saves (1M: 8.7 -> about 6 s). The
   * session's setting is read when the cache is registered and put back right after.
   */
  static Dataset<Row> cacheUncompressed(Dataset<Row> rows) {
    org.apache.spark.sql.RuntimeConfig conf = rows.sparkSession().conf();
    String key = "spark.sql.inMemoryColumnarStorage.compressed";
    String before = conf.get(key, "true");
    conf.set(key, "false");
    try {
      return rows.cache();
    } finally {
      conf.set(key, before);
    }
  }

  /**
   * Each participant's level on dimension d as a code: the level's position in the margins file, or OTHER(d) (the
   * number of margin levels) for a value the margins lack. Grouping and joining on small integers rather than the
   * level strings keeps both passes over the participants cheap.
   */
  record LevelCodes(Column[] value, Column[] code, String[] columns, Column[] select) {
    static LevelCodes of(Map<String, Map<String, Double>> margins, List<String> dims) {
      Column[] value = new Column[dims.size()];
      Column[] code = new Column[dims.size()];
      String[] codeCols = new String[dims.size()];
      List<Column> labels = new ArrayList<>();
      labels.add(col("participant_id"));
      for (int d = 0; d < dims.size(); d++) {
        List<String> marginLevels = new ArrayList<>(margins.get(dims.get(d)).keySet());
        List<Column> lookup = new ArrayList<>();
        for (int l = 0; l < marginLevels.size(); l++) {
          lookup.add(lit(marginLevels.get(l)));
          lookup.add(lit(l));
        }
        value[d] = coalesce(element_at(col("attributes"), dims.get(d)), lit(MISSING));
        code[d] = coalesce(element_at(map(lookup.toArray(new Column[0])), value[d]), lit(marginLevels.size()));
        codeCols[d] = "d" + d;
        labels.add(code[d].as(codeCols[d]));
      }
      return new LevelCodes(value, code, codeCols, labels.toArray(new Column[0]));
    }
  }

  /**
   * The raking problem on the observed cells: per dimension the kept level names and target shares, each cell's
   * level index per dimension and its participant count, and what --collapse changed.
   */
  record Design(List<List<String>> levelNames, double[][] targets, int[][] cellLevels, double[] counts,
      List<String> collapsed) {}

  /** The raked cell weights and the trim bounds they were held within (NaN: none). */
  record Raked(Raking.Result raking, double lower, double upper) {}

  @Override
  public Result run(JobContext job, Options opts) {
    String population = opts.population();
    job.run().recordSource(opts.margins());
    Map<String, Map<String, Double>> margins = readMargins(opts.margins(),
        job.spark().sparkContext().hadoopConfiguration());
    List<String> dims = new ArrayList<>(margins.keySet());
    Dataset<Row> people = job.read("input.participants").filter(col("scope").equalTo(opts.participantsScope()));
    LevelCodes codes = LevelCodes.of(margins, dims);
    Dataset<Row> labelled = cacheUncompressed(people.select(codes.select()));
    // the cache is dropped however the job ends (a rejected level throws), not left in a long-lived session
    try {
      List<Row> cells = labelled.groupBy(codes.columns()[0], Arrays.copyOfRange(codes.columns(), 1,
          codes.columns().length)).count().collectAsList();
      if (cells.isEmpty()) {
        throw ChorusException.badInput("no participants in scope '%s'", opts.participantsScope());
      }
      Design design = design(cells, margins, dims, people, codes, opts.rake().collapse());
      Raked raked = rake(design, opts.rake());
      double deff = Raking.kishDesignEffect(design.counts(), raked.raking().cellWeights());
      double ess = Raking.effectiveSampleSize(design.counts(), raked.raking().cellWeights());
      long n = 0;
      for (double c : design.counts()) {
        n += (long) c;
      }
      List<Row> diag = diagnostics(population, dims, design, raked, deff, ess, n);
      Dataset<Row> weights = labelled.join(broadcast(cellWeights(job.spark(), cells, codes, raked)), codes.columns())
          .select(lit(population).as("population_id"), col("participant_id"), col("weight"));
      List<WriteResult> writes = new ArrayList<>();
      writes.add(job.replace(Tables.PARTICIPANT_WEIGHTS, weights, List.of(population)));
      writes.add(job.replace(Tables.WEIGHTING_DIAGNOSTICS, job.spark().createDataFrame(diag, Tables.WEIGHTING_DIAGNOSTICS.schema()),
          List.of(population)));
      return new Result(population, raked.raking(), deff, ess, n, diag, design.collapsed(), writes);
    } finally {
      labelled.unpersist();
    }
  }

  /**
   * Index levels. A sample level without a target, or a target level without participants, is an error naming it;
   * with --collapse, a target level nobody has is dropped (the dimension's other targets rescaled to sum 1) and
   * sample levels the margins lack are pooled into one "(unmatched)" level held at its unweighted share.
   */
  static Design design(List<Row> cells, Map<String, Map<String, Double>> margins, List<String> dims,
      Dataset<Row> people, LevelCodes codes, boolean collapse) {
    List<String> collapsed = new ArrayList<>();
    List<List<String>> levelNames = new ArrayList<>();
    double[][] targets = new double[dims.size()][];
    int[][] cellLevels = new int[cells.size()][dims.size()];
    double[] counts = new double[cells.size()];
    double n0 = 0;
    for (int c = 0; c < cells.size(); c++) {
      counts[c] = cells.get(c).getLong(dims.size());
      n0 += counts[c];
    }
    for (int d = 0; d < dims.size(); d++) {
      String dim = dims.get(d);
      List<Map.Entry<String, Double>> target = new ArrayList<>(margins.get(dim).entrySet());
      double[] sampleCount = new double[target.size() + 1];
      for (int c = 0; c < cells.size(); c++) {
        sampleCount[cells.get(c).getInt(d)] += counts[c];
      }
      int[] index = new int[target.size() + 1];
      List<String> names = new ArrayList<>();
      List<Double> shares = new ArrayList<>();
      for (int l = 0; l < target.size(); l++) {
        Map.Entry<String, Double> t = target.get(l);
        index[l] = -1;
        if (sampleCount[l] == 0 && t.getValue() > 0) {
          if (!collapse) {
            throw ChorusException.badInput("no participant has level '%s' of dimension '%s' (target share %.4f); "
                + "--collapse drops it", t.getKey(), dim, t.getValue());
          }
          collapsed.add(String.format("%s: target level '%s' (share %.4f) has no participants; dropped", dim,
              t.getKey(), t.getValue()));
          continue;
        }
        index[l] = names.size();
        names.add(t.getKey());
        shares.add(t.getValue());
      }
      double unmatched = sampleCount[target.size()];
      if (unmatched > 0) {
        // the levels the margins lack, by name: one more pass, only when there are such levels
        List<Row> other = people.filter(codes.code()[d].equalTo(target.size())).groupBy(codes.value()[d].as("level"))
            .count().orderBy(col("count").desc(), col("level")).collectAsList();
        if (!collapse) {
          throw ChorusException.badInput("participants have level '%s' of dimension '%s' that the margins lack; "
              + "--collapse pools such levels", other.get(0).getString(0), dim);
        }
        for (Row o : other) {
          collapsed.add(String.format("%s: sample level '%s' (%,d participants) not in the margins; pooled into %s",
              dim, o.getString(0), o.getLong(1), UNMATCHED));
        }
      }
      double kept = shares.stream().mapToDouble(Double::doubleValue).sum();
      double unmatchedShare = unmatched / n0;
      for (int l = 0; l < shares.size(); l++) {
        shares.set(l, shares.get(l) / kept * (1 - unmatchedShare));
      }
      index[target.size()] = names.size();
      if (unmatched > 0) {
        names.add(UNMATCHED);
        shares.add(unmatchedShare);
      }
      levelNames.add(names);
      targets[d] = shares.stream().mapToDouble(Double::doubleValue).toArray();
      for (int c = 0; c < cells.size(); c++) {
        cellLevels[c][d] = index[cells.get(c).getInt(d)];
      }
    }
    return new Design(levelNames, targets, cellLevels, counts, collapsed);
  }

  /** Rakes the cells; with a trim percentile, a first raking sets the bounds the second is held within. */
  static Raked rake(Design design, Rake options) {
    double upper = options.cap();
    double lower = Double.NaN;
    if (!Double.isNaN(options.trimPercentile())) {
      Raking.Result first = Raking.rake(design.cellLevels(), design.counts(), design.targets(), options.tolerance(),
          options.maxSweeps(), upper);
      double hi = Raking.percentile(design.counts(), first.cellWeights(), options.trimPercentile());
      lower = Raking.percentile(design.counts(), first.cellWeights(), 100 - options.trimPercentile());
      upper = Double.isNaN(upper) ? hi : Math.min(upper, hi);
    }
    return new Raked(Raking.rake(design.cellLevels(), design.counts(), design.targets(), options.tolerance(),
        options.maxSweeps(), lower, upper), lower, upper);
  }

  /** The rows of derived.weighting_diagnostics. */
  static List<Row> diagnostics(String population, List<String> dims, Design design, Raked raked, double deff,
      double ess, long n) {
    Raking.Result r = raked.raking();
    double[] ones = new double[design.counts().length];
    Arrays.fill(ones, 1.0);
    List<Row> diag = new ArrayList<>();
    diag.add(RowFactory.create(population, "converged", null, null, r.converged() ? 1.0 : 0.0));
    diag.add(RowFactory.create(population, "sweeps", null, null, (double) r.sweeps()));
    diag.add(RowFactory.create(population, "max_margin_error", null, null, r.maxMarginError()));
    diag.add(RowFactory.create(population, "design_effect", null, null, deff));
    diag.add(RowFactory.create(population, "effective_sample_size", null, null, ess));
    diag.add(RowFactory.create(population, "participants", null, null, (double) n));
    diag.add(RowFactory.create(population, "min_weight", null, null, Arrays.stream(r.cellWeights()).min()
        .orElse(Double.NaN)));
    diag.add(RowFactory.create(population, "max_weight", null, null, Arrays.stream(r.cellWeights()).max()
        .orElse(Double.NaN)));
    if (!Double.isNaN(raked.lower())) {
      diag.add(RowFactory.create(population, "trim_lower", null, null, raked.lower()));
    }
    if (!Double.isNaN(raked.upper())) {
      diag.add(RowFactory.create(population, "trim_upper", null, null, raked.upper()));
    }
    double[][] targets = design.targets();
    for (int d = 0; d < dims.size(); d++) {
      double[] before = Raking.shares(design.cellLevels(), design.counts(), ones, d, targets[d].length);
      double[] after = Raking.shares(design.cellLevels(), design.counts(), r.cellWeights(), d, targets[d].length);
      diag.add(RowFactory.create(population, "asmd_before", dims.get(d), null, Raking.asmd(before, targets[d])));
      diag.add(RowFactory.create(population, "asmd_after", dims.get(d), null, Raking.asmd(after, targets[d])));
      for (int l = 0; l < targets[d].length; l++) {
        String level = design.levelNames().get(d).get(l);
        diag.add(RowFactory.create(population, "target_share", dims.get(d), level, targets[d][l]));
        diag.add(RowFactory.create(population, "unweighted_share", dims.get(d), level, before[l]));
        diag.add(RowFactory.create(population, "weighted_share", dims.get(d), level, after[l]));
      }
    }
    return diag;
  }

  /** Each cell's level codes and weight, to join back to the participants (a broadcast join on the codes). */
  static Dataset<Row> cellWeights(SparkSession spark, List<Row> cells, LevelCodes codes, Raked raked) {
    int dims = codes.columns().length;
    StructType cellSchema = new StructType();
    for (String c : codes.columns()) {
      cellSchema = cellSchema.add(c, DataTypes.IntegerType);
    }
    cellSchema = cellSchema.add("weight", DataTypes.DoubleType);
    List<Row> cellRows = new ArrayList<>();
    for (int c = 0; c < cells.size(); c++) {
      Object[] v = new Object[dims + 1];
      for (int d = 0; d < dims; d++) {
        v[d] = cells.get(c).getInt(d);
      }
      v[dims] = raked.raking().cellWeights()[c];
      cellRows.add(RowFactory.create(v));
    }
    return spark.createDataFrame(cellRows, cellSchema);
  }
}
