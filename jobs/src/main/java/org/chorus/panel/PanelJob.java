package org.chorus.panel;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.core.ChorusException;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.Tables;
import org.chorus.core.tables.Where;
import org.chorus.core.tables.WriteResult;

/**
 * {@code chorus panel}: selection probabilities for every volunteer of a pool under one method, and one panel
 * drawn with the seed from the method's lottery over panels. The pool is read from input.pool and input.quotas
 * (a sortition pool is thousands of people, so the solvers run on the driver); the probabilities and the draw are
 * written per (pool, method), so the methods of one pool sit side by side.
 */
public final class PanelJob implements Job<PanelJob.Options, PanelJob.Result> {
  public enum Method {
    LEXIMIN, MAXIMIN, NASH, LEGACY;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }


  /** LEGACY's simulated probabilities beside the chosen method's. */
  public record Comparison(PanelStats stats, int draws, long failedAttempts, double shareBelowChosenMinimum) {}

  /**
   * One selection: the pool, the panel size, the method, the seed of the draw, and how many LEGACY draws to simulate
   * (its probabilities for --method legacy, the comparison otherwise; 0 skips the comparison).
   */
  public record Options(String pool, int size, Method method, long seed, int legacyDraws, PanelConfig config)
      implements JobOptions {
    /** LEXIMIN with the seed, LEGACY draws and solver settings of {@code chorus.panel}. */
    public static Options of(String pool, int size, PanelConfig defaults) {
      return new Options(pool, size, Method.LEXIMIN, defaults.seed, defaults.legacyDraws, defaults);
    }

    public Options withMethod(Method m) {
      return new Options(pool, size, m, seed, legacyDraws, config);
    }

    public Options withSeed(long s) {
      return new Options(pool, size, method, s, legacyDraws, config);
    }

    public Options withLegacyDraws(int n) {
      return new Options(pool, size, method, seed, n, config);
    }

    @Override
    public String scope() {
      return pool;
    }

    @Override
    public List<String> problems() {
      return new Checks().id(pool, "--pool").atLeast(size, 1, "--size")
          .require(method != null, "--method must be leximin, maximin, nash or legacy")
          .atLeast(legacyDraws, 0, "--legacy-draws")
          .require(method != Method.LEGACY || legacyDraws > 0, "--legacy-draws must be positive for --method legacy")
          .problems();
    }
  }

  public record Result(String pool, Method method, long seed, int poolSize, int types, int k, double[] probabilities,
      PanelStats stats, String detail, List<String> panel, Comparison legacy, List<WriteResult> writes)
      implements JobResult {
    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("people", poolSize);
      f.put("types", types);
      f.put("panel_size", k);
      f.put("method", method.id());
      f.put("min_probability", stats.min());
      f.put("mean_probability", stats.mean());
      f.put("gini", stats.gini());
      f.put("geometric_mean", stats.geometricMean());
      if (legacy != null) {
        f.put("legacy_min_probability", legacy.stats().min());
        f.put("legacy_gini", legacy.stats().gini());
        f.put("legacy_share_below_minimum", legacy.shareBelowChosenMinimum());
      }
      f.put("seed", seed);
      f.put("panel_members", panel.size());
      return f;
    }

    @Override
    public void print(PrintStream out) {
      out.printf("panel %s (%s): %,d people, %d types, panel of %d%n", pool, method.id(), poolSize, types, k);
      out.println("  " + detail);
      out.printf("  %-8s %9s %9s %7s %9s%n", "method", "min", "mean", "gini", "geo-mean");
      printStats(out, method.id(), stats);
      if (legacy != null) {
        printStats(out, "legacy", legacy.stats());
        out.printf("  legacy: %,d simulated draws; %.1f%% of the pool below %s's minimum %.4f%n", legacy.draws(),
            100 * legacy.shareBelowChosenMinimum(), method.id(), stats.min());
      }
      out.printf("  drawn panel (seed %d): %d members, meets every quota%n", seed, panel.size());
      JobResult.printWrites(writes, out);
    }

    private static void printStats(PrintStream out, String name, PanelStats st) {
      out.printf("  %-8s %9.4f %9.4f %6.1f%% %9.4f%n", name, st.min(), st.mean(), 100 * st.gini(),
          st.geometricMean());
    }
  }

  @Override
  public String name() {
    return "panel";
  }

  /** The chosen method's probabilities, the drawn panel and how they were found. */
  record Selection(double[] probabilities, int[] drawn, String detail) {}

  @Override
  public Result run(JobContext job, Options o) {
    PanelInstance inst = instance(job, o.pool(), o.size());
    job.progress().step(String.format("pool %s: %,d people, %d types, %d categories, panel of %d", o.pool(),
        inst.people(), inst.types(), inst.categories.size(), o.size()));
    requireFeasible(inst, o.pool(), o.size());
    Selection sel = select(inst, o, job.progress()::step);
    if (!inst.meetsQuotas(inst.typeCounts(sel.drawn()))) {
      throw new IllegalStateException("the drawn panel breaks a quota");
    }
    PanelStats stats = PanelStats.of(sel.probabilities());
    Comparison comparison = o.method() != Method.LEGACY && o.legacyDraws() > 0
        ? legacyComparison(inst, o, stats, job.progress()::step) : null;
    List<String> members = new ArrayList<>();
    for (int i : sel.drawn()) {
      members.add(inst.personIds.get(i));
    }
    List<WriteResult> writes = write(job, o, inst, sel);
    return new Result(o.pool(), o.method(), o.seed(), inst.people(), inst.types(), o.size(), sel.probabilities(),
        stats, sel.detail(), members, comparison, writes);
  }

  /** The pool's people and quotas. */
  static PanelInstance instance(JobContext job, String pool, int k) {
    List<PanelInstance.Quota> quotas = new ArrayList<>();
    for (Row q : job.read("input.quotas").filter(col("pool_id").equalTo(pool))
        .select("category", "feature", "min", "max", "min_flex", "max_flex").collectAsList()) {
      quotas.add(new PanelInstance.Quota(q.getString(0), q.getString(1), q.getInt(2), q.getInt(3),
          q.isNullAt(4) ? null : q.getInt(4), q.isNullAt(5) ? null : q.getInt(5)));
    }
    List<PanelInstance.Person> people = new ArrayList<>();
    for (Row p : job.read("input.pool").filter(col("pool_id").equalTo(pool))
        .select("person_id", "attributes").collectAsList()) {
      people.add(new PanelInstance.Person(p.getString(0), p.getJavaMap(1)));
    }
    if (people.isEmpty()) {
      throw ChorusException.badInput("no pool '%s' in input.pool (run chorus ingest sortition first)", pool);
    }
    return PanelInstance.of(k, quotas, people);
  }

  /** Infeasible quotas are an error that names the smallest relaxation that makes a panel possible. */
  static void requireFeasible(PanelInstance inst, String pool, int k) {
    List<PanelModel.Change> relaxation = PanelModel.smallestRelaxation(inst);
    if (relaxation == null) {
      throw ChorusException.badInput("the quotas of pool '%s' admit no panel of %d, even relaxed as far as "
          + "min_flex/max_flex allow", pool, k);
    }
    if (!relaxation.isEmpty()) {
      throw ChorusException.badInput("the quotas of pool '%s' admit no panel of %d; the smallest relaxation that "
          + "does: %s", pool, k, relaxation.stream().map(Object::toString).collect(Collectors.joining(", ")));
    }
  }

  static Selection select(PanelInstance inst, Options o, Consumer<String> progress) {
    PanelConfig config = o.config();
    long seed = o.seed();
    switch (o.method()) {
      case LEXIMIN, MAXIMIN -> {
        Leximin.Result r = o.method() == Method.LEXIMIN
            ? Leximin.leximin(inst, config.extraPanels, progress)
            : Leximin.maximin(inst, config.extraPanels, progress);
        return new Selection(inst.personProbabilities(r.lottery().typeProbabilities(inst)),
            r.lottery().draw(inst, seed), String.format("%d panels generated, %d in the lottery; %d stages; %d "
                + "pricing ILPs (%.1f s), %d LPs (%.1f s)", r.panels(), r.lottery().panels().size(), r.stages(),
                r.pricingSolves(), r.pricingSeconds(), r.lpSolves(), r.lpSeconds()));
      }
      case NASH -> {
        Nash.Result r = Nash.solve(inst, config.nashTolerance, 100_000, progress);
        return new Selection(inst.personProbabilities(r.lottery().typeProbabilities(inst)),
            r.lottery().draw(inst, seed), String.format("%d panels generated, %d in the lottery; proven Nash welfare "
                + "gap %.1e per person; %d pricing ILPs, %d EM iterations", r.panels(), r.lottery().panels().size(),
                r.gapPerPerson(), r.pricingSolves(), r.emIterations()));
      }
      case LEGACY -> {
        Legacy.Estimate e = Legacy.estimate(inst, o.legacyDraws(), seed);
        return new Selection(e.probabilities(), Legacy.draw(inst, seed), String.format("probabilities estimated "
            + "from %,d simulated draws (%,d failed attempts retried)", e.draws(), e.failedAttempts()));
      }
      default -> throw new IllegalStateException(o.method().toString());
    }
  }

  /** LEGACY's simulated probabilities beside the chosen method's; skipped (with a note) when LEGACY gets stuck. */
  static Comparison legacyComparison(PanelInstance inst, Options o, PanelStats stats, Consumer<String> progress) {
    try {
      Legacy.Estimate e = Legacy.estimate(inst, o.legacyDraws(), o.seed());
      return new Comparison(PanelStats.of(e.probabilities()), e.draws(), e.failedAttempts(),
          PanelStats.shareBelow(e.probabilities(), stats.min() - 1e-9));
    } catch (IllegalStateException e) {
      progress.accept("LEGACY comparison skipped: " + e.getMessage());
      return null;
    }
  }

  static List<WriteResult> write(JobContext job, Options o, PanelInstance inst, Selection sel) {
    String id = o.method().id();
    List<Row> probabilityRows = new ArrayList<>(sel.probabilities().length);
    for (int i = 0; i < sel.probabilities().length; i++) {
      probabilityRows.add(RowFactory.create(o.pool(), id, inst.personIds.get(i), sel.probabilities()[i]));
    }
    List<Row> drawRows = new ArrayList<>();
    for (int i : sel.drawn()) {
      drawRows.add(RowFactory.create(o.pool(), id, inst.personIds.get(i)));
    }
    RunContext run = job.run();
    run.recordParameter("method", id);
    run.recordParameter("size", String.valueOf(o.size()));
    run.recordParameter("seed", String.valueOf(o.seed()));
    Where where = Where.of("pool_id", o.pool()).and("method", id);
    List<WriteResult> writes = new ArrayList<>();
    writes.add(job.tables().replaceWhere(run, Tables.PANEL_PROBABILITIES, job.spark().createDataFrame(probabilityRows,
        Tables.PANEL_PROBABILITIES.schema()), where));
    writes.add(job.tables().replaceWhere(run, Tables.PANEL_DRAWS, job.spark().createDataFrame(drawRows, Tables.PANEL_DRAWS.schema()), where));
    return writes;
  }
}
