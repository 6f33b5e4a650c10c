package org.chorus.opinions;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.struct;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.chorus.core.ChorusException;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code chorus opinions}: the opinion landscape of one conversation. Reads input.votes and input.statements (and
 * input.participants for {@code --groups export}), writes derived.participant_groups, derived.statement_stats and
 * derived.group_repness. The vote matrix stays sparse throughout: rows of (statement index, vote) per participant.
 */
public final class OpinionsJob {
  private static final Logger LOG = LoggerFactory.getLogger(OpinionsJob.class);

  private OpinionsJob() {}

  public enum Groups { computed, export }

  public enum Method {
    /** Polis: k-means k=100 on the 2-D projection, then k=2..5 on the base centres by silhouette. */
    polis,
    /** Latent classes: a mixture of per-statement vote distributions fitted by EM, K by BIC. */
    latent
  }

  public record Options(String conversation, Groups groups, Method method, int maxGroups, long seed) {}

  public record Result(long participants, long inConversation, int statements, Map<Integer, Long> groupSizes,
      List<WriteResult> writes, List<Long> consensusAgree, List<Long> topBridging, Map<String, Double> seconds) {}

  public static Result run(ChorusTables tables, Options o, PrintStream out) {
    SparkSession spark = tables.spark();
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    RunContext run = new RunContext("opinions", o.conversation());
    String conv = o.conversation();

    // Statements: small, on the driver.
    List<Row> statementRows = tables.read(run, "input.statements")
        .filter(col("conversation_id").equalTo(conv))
        .select("statement_id", "moderated", "is_meta").orderBy("statement_id").collectAsList();
    if (statementRows.isEmpty()) {
      throw ChorusException.badInput("conversation '%s' has no statements: ingest it first", conv);
    }
    int m = statementRows.size();
    long[] statementIds = new long[m];
    int[] moderated = new int[m];
    boolean[] meta = new boolean[m];
    boolean[] active = new boolean[m];
    Map<Long, Integer> index = new HashMap<>();
    for (int j = 0; j < m; j++) {
      Row r = statementRows.get(j);
      statementIds[j] = r.getLong(0);
      moderated[j] = r.getInt(1);
      meta[j] = r.getBoolean(2);
      active[j] = moderated[j] != -1 && !meta[j];
      index.put(statementIds[j], j);
    }
    int zeroed = m - countTrue(active);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    Broadcast<Map<Long, Integer>> bIndex = jsc.broadcast(index);
    Broadcast<boolean[]> bActive = jsc.broadcast(active);

    // The sparse matrix, one row per participant.
    Dataset<Row> votes = tables.read(run, "input.votes").filter(col("conversation_id").equalTo(conv))
        .select("participant_id", "statement_id", "vote");
    JavaRDD<VoteMatrix.Row> rows = votes.groupBy("participant_id")
        .agg(collect_list(struct(col("statement_id"), col("vote"))).as("v"))
        .javaRDD()
        .map(r -> toRow(r, bIndex.value()));
    rows.persist(StorageLevel.MEMORY_AND_DISK_SER());

    // In-conversation participants (Polis's rule), on vote counts gathered to the driver.
    List<scala.Tuple2<String, Integer>> counts = rows.map(r -> new scala.Tuple2<>(r.participant, r.size())).collect();
    long[] n = new long[counts.size()];
    for (int i = 0; i < n.length; i++) {
      n[i] = counts.get(i)._2();
    }
    boolean[] inMask = PolisMath.inConversation(n, m);
    Set<String> inConv = new HashSet<>();
    for (int i = 0; i < n.length; i++) {
      if (inMask[i]) {
        inConv.add(counts.get(i)._1());
      }
    }
    Broadcast<Set<String>> bIn = jsc.broadcast(inConv);
    JavaRDD<VoteMatrix.Row> inRows = rows.filter(r -> bIn.value().contains(r.participant));

    // Column means over in-conversation votes, then the principal components.
    double[] sums = inRows.treeAggregate(new double[2 * m], (acc, r) -> {
      for (int e = 0; e < r.statements.length; e++) {
        acc[r.statements[e]] += r.votes[e];
        acc[m + r.statements[e]] += 1;
      }
      return acc;
    }, OpinionsJob::addInto, 2);
    double[] mean = new double[m];
    for (int j = 0; j < m; j++) {
      mean[j] = active[j] && sums[m + j] > 0 ? sums[j] / sums[m + j] : 0;
    }
    Broadcast<double[]> bMean = jsc.broadcast(mean);
    int components = o.method() == Method.latent && o.groups() == Groups.computed ? 6 : 2;
    components = Math.max(1, Math.min(components, countTrue(active)));
    SparsePca.Components pca = SparsePca.fit(inRows, bMean, bActive, m, components, o.seed(), 200, 1e-10);
    LOG.info("PCA: {} components after {} iterations, eigenvalues {}", components, pca.iterations(),
        java.util.Arrays.toString(pca.eigenvalues()));
    Broadcast<double[][]> bW = jsc.broadcast(pca.loadings());
    int k = components;
    List<scala.Tuple2<String, double[]>> projections = inRows.map(r -> new scala.Tuple2<>(r.participant,
        SparsePca.project(r, bW.value(), bMean.value(), bActive.value(), m,
            r.size() - votedInactive(r, bActive.value()) + zeroed, k))).collect();

    seconds.put("matrix and pca", (System.nanoTime() - t0) / 1e9);
    long t1 = System.nanoTime();
    // Groups.
    Map<String, Integer> groupOf = new HashMap<>();
    String methodName;
    if (o.groups() == Groups.export) {
      methodName = "export";
      for (Row r : tables.read(run, "input.participants").filter(col("scope").equalTo(conv))
          .filter(col("export_group_id").isNotNull()).select("participant_id", "export_group_id").collectAsList()) {
        groupOf.put(r.getString(0), r.getInt(1));
      }
      if (groupOf.isEmpty()) {
        throw ChorusException.badInput("conversation '%s' has no Polis group-id in input.participants: use --groups "
            + "computed", conv);
      }
    } else if (o.method() == Method.polis || countTrue(active) < 2) {
      methodName = "polis";
      groupOf.putAll(PolisClustering.groups(projections, 2, o.maxGroups(), o.seed()));
    } else {
      methodName = "latent";
      JavaRDD<VoteMatrix.Row> activeRows = inRows.map(r -> onlyActive(r, bActive.value()))
          .persist(StorageLevel.MEMORY_AND_DISK_SER());
      groupOf.putAll(LatentClasses.fit(activeRows, projections, m, o.maxGroups(), o.seed(), out).groups());
      activeRows.unpersist();
    }
    Map<Integer, Long> sizes = new java.util.TreeMap<>();
    groupOf.values().forEach(g -> sizes.merge(g, 1L, Long::sum));
    List<Integer> groupIds = new ArrayList<>(sizes.keySet());

    seconds.put("groups", (System.nanoTime() - t1) / 1e9);
    long t2 = System.nanoTime();
    // Vote counts per statement, overall and per group (Spark aggregation, a few rows per statement back).
    StructType groupSchema = new StructType().add("participant_id", DataTypes.StringType)
        .add("group_id", DataTypes.IntegerType);
    List<Row> groupRows = new ArrayList<>();
    groupOf.forEach((p, g) -> groupRows.add(RowFactory.create(p, g)));
    Dataset<Row> groupsDf = spark.createDataFrame(groupRows, groupSchema);
    Dataset<Row> perGroup = votes.join(org.apache.spark.sql.functions.broadcast(groupsDf), "participant_id")
        .groupBy("statement_id", "group_id")
        .agg(sum(when(col("vote").equalTo(1), 1L).otherwise(0L)).as("na"),
            sum(when(col("vote").equalTo(-1), 1L).otherwise(0L)).as("nd"),
            org.apache.spark.sql.functions.count(lit(1)).as("ns"));
    Dataset<Row> overall = votes.groupBy("statement_id")
        .agg(sum(when(col("vote").equalTo(1), 1L).otherwise(0L)).as("na"),
            sum(when(col("vote").equalTo(-1), 1L).otherwise(0L)).as("nd"),
            org.apache.spark.sql.functions.count(lit(1)).as("ns"));
    int g = groupIds.size();
    long[][] na = new long[g][m];
    long[][] nd = new long[g][m];
    long[][] ns = new long[g][m];
    for (Row r : perGroup.collectAsList()) {
      Integer j = index.get(r.getLong(0));
      int gi = groupIds.indexOf(r.getInt(1));
      na[gi][j] = r.getLong(2);
      nd[gi][j] = r.getLong(3);
      ns[gi][j] = r.getLong(4);
    }
    long[] ta = new long[m];
    long[] td = new long[m];
    long[] tn = new long[m];
    for (Row r : overall.collectAsList()) {
      int j = index.get(r.getLong(0));
      ta[j] = r.getLong(1);
      td[j] = r.getLong(2);
      tn[j] = r.getLong(3);
    }

    // Statement statistics (Polis formulas, plain Java).
    StatementStatistics stats = StatementStatistics.compute(statementIds, moderated, meta, active, mean,
        pca.loadings(), na, nd, ns, ta, td, tn, groupIds);

    // Bridging: Community Notes' matrix factorisation on agree/disagree votes.
    seconds.put("statistics", (System.nanoTime() - t2) / 1e9);
    long t3 = System.nanoTime();
    Bridging.Fit bridging = Bridging.fit(votes, index, o.seed());
    seconds.put("bridging", (System.nanoTime() - t3) / 1e9);
    LOG.info("bridging: {} iterations, loss {}", bridging.iterations(), bridging.loss());

    // Write.
    List<Row> pgRows = new ArrayList<>();
    Map<String, double[]> xy = new HashMap<>();
    projections.forEach(t -> xy.put(t._1(), t._2()));
    for (int i = 0; i < n.length; i++) {
      String p = counts.get(i)._1();
      double[] pr = xy.get(p);
      pgRows.add(RowFactory.create(conv, p, groupOf.get(p), pr == null ? null : pr[0],
          pr == null || pr.length < 2 ? null : pr[1], inMask[i], (int) n[i], methodName,
          bridging.participantIntercept(p), bridging.participantFactor(p)));
    }
    List<WriteResult> writes = new ArrayList<>();
    writes.add(tables.replace(run, OpinionTables.PARTICIPANT_GROUPS,
        spark.createDataFrame(pgRows, OpinionTables.PARTICIPANT_GROUPS.schema()), List.of(conv)));
    writes.add(tables.replace(run, OpinionTables.STATEMENT_STATS,
        spark.createDataFrame(stats.statementRows(conv, bridging), OpinionTables.STATEMENT_STATS.schema()),
        List.of(conv)));
    writes.add(tables.replace(run, OpinionTables.GROUP_REPNESS,
        spark.createDataFrame(stats.repnessRows(conv), OpinionTables.GROUP_REPNESS.schema()), List.of(conv)));
    rows.unpersist();
    bridging.unpersist();
    seconds.put("total", (System.nanoTime() - t0) / 1e9);
    return new Result(n.length, inConv.size(), m, sizes, writes, stats.consensusAgree(),
        bridging.topHelpful(statementIds, 5), seconds);
  }

  /** Votes on zeroed (moderated-out, meta) columns: those columns count as observed 0 for everyone anyway. */
  private static int votedInactive(VoteMatrix.Row r, boolean[] active) {
    int c = 0;
    for (int j : r.statements) {
      c += active[j] ? 0 : 1;
    }
    return c;
  }

  static VoteMatrix.Row onlyActive(VoteMatrix.Row r, boolean[] active) {
    int k = 0;
    int[] idx = new int[r.statements.length];
    byte[] v = new byte[r.statements.length];
    for (int e = 0; e < r.statements.length; e++) {
      if (active[r.statements[e]]) {
        idx[k] = r.statements[e];
        v[k++] = r.votes[e];
      }
    }
    return new VoteMatrix.Row(r.participant, java.util.Arrays.copyOf(idx, k), java.util.Arrays.copyOf(v, k));
  }

  static VoteMatrix.Row toRow(Row r, Map<Long, Integer> index) {
    List<Row> cells = r.getList(1);
    int[] idx = new int[cells.size()];
    byte[] v = new byte[cells.size()];
    int k = 0;
    for (Row c : cells) {
      Integer j = index.get(c.getLong(0));
      if (j == null) {
        continue;
      }
      idx[k] = j;
      v[k] = (byte) c.getInt(1);
      k++;
    }
    return new VoteMatrix.Row(r.getString(0), java.util.Arrays.copyOf(idx, k), java.util.Arrays.copyOf(v, k));
  }

  static double[] addInto(double[] a, double[] b) {
    for (int i = 0; i < a.length; i++) {
      a[i] += b[i];
    }
    return a;
  }

  private static int countTrue(boolean[] b) {
    int c = 0;
    for (boolean x : b) {
      c += x ? 1 : 0;
    }
    return c;
  }
}
