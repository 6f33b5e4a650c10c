package org.chorus.panel;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.spark.ScalaMaps;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;
import org.chorus.core.tables.WriteResult;

/**
 * A seeded synthetic volunteer pool and its quotas ({@link SyntheticPool}) written to input.pool and input.quotas,
 * as {@code chorus ingest sortition} would write a real one: the demo's and the benchmarks' pools.
 */
public final class SyntheticPoolJob implements Job<SyntheticPoolJob.Options, SyntheticPoolJob.Result> {
  /** The two pools there are: random quotas over random people, or the layout of the paper's example_large_200. */
  public enum Layout { RANDOM, EXAMPLE_LARGE_200 }

  /**
   * @param people pool size
   * @param panelSize the panel the quotas are made for
   * @param categories quota categories, each with {@code levels} features
   */
  public record Options(String pool, Layout layout, int people, int panelSize, int categories, int levels, long seed)
      implements JobOptions {
    /** Random: three categories of three features, seed 1. */
    public static Options of(String pool, int people, int panelSize) {
      return new Options(pool, Layout.RANDOM, people, panelSize, 3, 3, 1);
    }

    /** {@link SyntheticPool#exampleLarge200Layout()}: 2,000 people, panels of 200. */
    public static Options exampleLarge200(String pool) {
      return new Options(pool, Layout.EXAMPLE_LARGE_200, 2000, 200, 2, 2, 0);
    }

    public Options withShape(int c, int l) {
      return new Options(pool, layout, people, panelSize, c, l, seed);
    }

    public Options withSeed(long s) {
      return new Options(pool, layout, people, panelSize, categories, levels, s);
    }

    @Override
    public String scope() {
      return pool;
    }

    @Override
    public List<String> problems() {
      return new Checks().id(pool, "pool").atLeast(panelSize, 1, "panel size")
          .require(people >= panelSize, "the pool (%d) must be at least the panel (%d)", people, panelSize)
          .atLeast(categories, 1, "categories").atLeast(levels, 2, "levels").problems();
    }
  }

  public record Result(String pool, int people, int quotas, List<WriteResult> writes) implements JobResult {
    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("people", people);
      f.put("quotas", quotas);
      return f;
    }

    @Override
    public void print(PrintStream out) {
      out.printf("synthetic pool %s: %,d people, %d quotas%n", pool, people, quotas);
      JobResult.printWrites(writes, out);
    }
  }

  @Override
  public String name() {
    return "synth pool";
  }

  @Override
  public Result run(JobContext job, Options o) {
    SyntheticPool.Pool pool = o.layout() == Layout.EXAMPLE_LARGE_200 ? SyntheticPool.exampleLarge200Layout()
        : SyntheticPool.generate(o.people(), o.panelSize(), o.categories(), o.levels(), o.seed());
    List<Row> members = new ArrayList<>();
    for (PanelInstance.Person p : pool.people()) {
      members.add(RowFactory.create(o.pool(), p.id(), ScalaMaps.of(p.attributes())));
    }
    List<Row> quotas = new ArrayList<>();
    for (PanelInstance.Quota q : pool.quotas()) {
      quotas.add(RowFactory.create(o.pool(), q.category(), q.feature(), q.min(), q.max(), q.minFlex(), q.maxFlex()));
    }
    TableSpec poolSpec = TableSchemas.input("pool");
    TableSpec quotaSpec = TableSchemas.input("quotas");
    List<WriteResult> writes = new ArrayList<>();
    writes.add(job.replace(poolSpec, job.spark().createDataFrame(members, poolSpec.schema()), List.of(o.pool())));
    writes.add(job.replace(quotaSpec, job.spark().createDataFrame(quotas, quotaSpec.schema()), List.of(o.pool())));
    return new Result(o.pool(), members.size(), quotas.size(), writes);
  }
}
