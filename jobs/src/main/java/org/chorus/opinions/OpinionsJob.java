package org.chorus.opinions;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.collect_list;
import static org.apache.spark.sql.functions.count;
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
import java.util.TreeMap;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RelationalGroupedDataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.chorus.core.ChorusException;
import org.chorus.core.job.Cached;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.tables.Tables;
import org.chorus.core.tables.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code chorus opinions}: the opinion landscape of one conversation. Reads input.votes and input.statements (and
 * input.participants for {@code --groups export}), writes derived.participant_groups, derived.statement_stats and
 * derived.group_repness. The vote matrix stays sparse throughout: rows of (statement index, vote) per participant.
 */
public final class OpinionsJob implements Job<OpinionsJob.Options, OpinionsJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(OpinionsJob.class);

  public enum Groups { computed, export }

  public enum Method {
    /** Polis: k-means k=100 on the 2-D projection, then k=2..5 on the base centres by silhouette. */
    polis,
    /** Latent classes: a mixture of per-statement vote distributions fitted by EM, K by BIC. */
    latent
  }

  /** Options of one run; {@link #of} takes the defaults from {@code chorus.opinions}. */
  public record Options(String conversation, Groups groups, Method method, int maxGroups, long seed)
      implements JobOptions {
    public static Options of(String conversation, OpinionsConfig defaults) {
      return new Options(conversation, defaults.groups(), defaults.method(), defaults.maxGroups(), defaults.seed());
    }

    public Options withGroups(Groups g) {
      return new Options(conversation, g, method, maxGroups, seed);
    }

    public Options withMethod(Method m) {
      return new Options(conversation, groups, m, maxGroups, seed);
    }

    public Options withMaxGroups(int k) {
      return new Options(conversation, groups, method, k, seed);
    }

    public Options withSeed(long s) {
      return new Options(conversation, groups, method, maxGroups, s);
    }

    /** The largest number of groups tried: Polis's clustering stops at 5. */
    int groupLimit() {
      return method == Method.polis ? Math.min(5, maxGroups) : maxGroups;
    }

    @Override
    public String scope() {
      return conversation;
    }

    @Override
    public List<String> problems() {
      return new Checks().id(conversation, "--conversation")
          .require(groups != null && method != null, "--groups and --method must be given")
          .require(maxGroups >= 2 && maxGroups <= 50, "--max-groups must be in [2, 50], got %d", maxGroups)
          .problems();
    }
  }

  public record Result(String conversation, String groupsFrom, long participants, long inConversation,
      int statements, Map<Integer, Long> groupSizes, List<WriteResult> writes, List<Long> consensusAgree,
      List<Long> topBridging, Map<String, Double> seconds) implements JobResult {
    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("participants", participants);
      f.put("in_conversation", inConversation);
      f.put("statements", statements);
      f.put("groups_from", groupsFrom);
      f.put("group_sizes", groupSizes);
      f.put("consensus_agree", consensusAgree);
      f.put("bridging_helpful", topBridging);
      f.put("seconds_by_step", seconds);
      return f;
    }

    @Override
    public void print(PrintStream out) {
      out.printf("opinions %s: %,d participants (%,d in conversation), %d statements%n", conversation, participants,
          inConversation, statements);
      StringBuilder sizes = new StringBuilder();
      for (Map.Entry<Integer, Long> e : groupSizes.entrySet()) {
        sizes.append(sizes.length() == 0 ? "" : ", ").append("group ").append(e.getKey()).append(": ")
            .append(String.format("%,d", e.getValue()));
      }
      out.printf("  groups (%s): %s%n", groupsFrom.equals("export") ? "from the export" : groupsFrom, sizes);
      out.printf("  consensus (Polis, agree): %s%n", consensusAgree);
      out.printf("  bridging (helpful, by intercept): %s%n", topBridging);
      out.printf("  seconds: %s%n", seconds);
      JobResult.printWrites(writes, out);
    }
  }

  /** The conversation's statements, small, on the driver: ids in order and which columns the matrix zeroes. */
  record Statements(long[] ids, int[] moderated, boolean[] meta, boolean[] active, Map<Long, Integer> index) {
    int size() {
      return ids.length;
    }

    int zeroed() {
      return size() - countTrue(active);
    }
  }

  /** Who is in the conversation: vote counts per participant (in row order) and Polis's in-conversation rule. */
  record Membership(List<scala.Tuple2<String, Integer>> counts, long[] n, boolean[] inMask, Set<String> inConv) {}

  /** The principal components, column means and each in-conversation participant's projection. */
  record Landscape(double[] mean, SparsePca.Components pca, List<scala.Tuple2<String, double[]>> projections) {}

  @Override
  public String name() {
    return "opinions";
  }

  @Override
  public Result run(JobContext ctx, Options o) {
    Map<String, Double> seconds = new LinkedHashMap<>();
    long t0 = System.nanoTime();
    String conv = o.conversation();
    Statements st = readStatements(ctx, conv);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(ctx.spark().sparkContext());
    Dataset<Row> votes = ctx.read("input.votes").filter(col("conversation_id").equalTo(conv))
        .select("participant_id", "statement_id", "vote");
    Broadcast<Map<Long, Integer>> bIndex = jsc.broadcast(st.index());
    try (Cached<JavaRDD<VoteMatrix.Row>> rows = Cached.of(voteRows(votes, bIndex),
        StorageLevel.MEMORY_AND_DISK_SER())) {
      Membership members = membership(rows.get(), st.size());
      JavaRDD<VoteMatrix.Row> inRows = rows.get().filter(inConversation(jsc.broadcast(members.inConv())));
      Landscape land = landscape(jsc, inRows, st, o);
      seconds.put("matrix and pca", (System.nanoTime() - t0) / 1e9);
      long t1 = System.nanoTime();
      String groupsFrom = groupsFrom(o, st);
      Map<String, Integer> groupOf = groups(ctx, o, groupsFrom, inRows, land, st, jsc);
      Map<Integer, Long> sizes = groupSizes(groupOf);
      seconds.put("groups", (System.nanoTime() - t1) / 1e9);
      long t2 = System.nanoTime();
      StatementStatistics stats = statementStatistics(ctx.spark(), votes, groupOf, st, land,
          new ArrayList<>(sizes.keySet()));
      seconds.put("statistics", (System.nanoTime() - t2) / 1e9);
      long t3 = System.nanoTime();
      Bridging.Fit bridging = Bridging.fit(votes, st.index(), o.seed());
      try {
        seconds.put("bridging", (System.nanoTime() - t3) / 1e9);
        LOG.info("bridging: {} iterations, loss {}", bridging.iterations(), bridging.loss());
        List<WriteResult> writes = write(ctx, conv, participantGroups(conv, members, land, groupOf, groupsFrom,
            bridging), stats, bridging);
        seconds.put("total", (System.nanoTime() - t0) / 1e9);
        return new Result(conv, groupsFrom, members.n().length, members.inConv().size(), st.size(), sizes, writes,
            stats.consensusAgree(), bridging.topHelpful(st.ids(), 5), seconds);
      } finally {
        bridging.unpersist();
      }
    }
  }

  static Statements readStatements(JobContext ctx, String conv) {
    List<Row> statementRows = ctx.read("input.statements")
        .filter(col("conversation_id").equalTo(conv))
        .select("statement_id", "moderated", "is_meta").orderBy("statement_id").collectAsList();
    if (statementRows.isEmpty()) {
      throw ChorusException.badInput("conversation '%s' has no statements: ingest it first", conv);
    }
    int m = statementRows.size();
    long[] ids = new long[m];
    int[] moderated = new int[m];
    boolean[] meta = new boolean[m];
    boolean[] active = new boolean[m];
    Map<Long, Integer> index = new HashMap<>();
    for (int j = 0; j < m; j++) {
      Row r = statementRows.get(j);
      ids[j] = r.getLong(0);
      moderated[j] = r.getInt(1);
      meta[j] = r.getBoolean(2);
      active[j] = moderated[j] != -1 && !meta[j];
      index.put(ids[j], j);
    }
    return new Statements(ids, moderated, meta, active, index);
  }

  /** The sparse matrix, one row per participant. */
  static JavaRDD<VoteMatrix.Row> voteRows(Dataset<Row> votes, Broadcast<Map<Long, Integer>> bIndex) {
    return votes.groupBy("participant_id")
        .agg(collect_list(struct(col("statement_id"), col("vote"))).as("v"))
        .javaRDD()
        .map(r -> toRow(r, bIndex.value()));
  }

  /** In-conversation participants (Polis's rule), on vote counts gathered to the driver. */
  static Membership membership(JavaRDD<VoteMatrix.Row> rows, int m) {
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
    return new Membership(counts, n, inMask, inConv);
  }

  private static org.apache.spark.api.java.function.Function<VoteMatrix.Row, Boolean> inConversation(
      Broadcast<Set<String>> bIn) {
    return r -> bIn.value().contains(r.participant);
  }

  /** Column means over in-conversation votes, then the principal components and every projection. */
  static Landscape landscape(JavaSparkContext jsc, JavaRDD<VoteMatrix.Row> inRows, Statements st, Options o) {
    int m = st.size();
    boolean[] active = st.active();
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
    Broadcast<boolean[]> bActive = jsc.broadcast(active);
    int components = o.method() == Method.latent && o.groups() == Groups.computed ? 6 : 2;
    components = Math.max(1, Math.min(components, countTrue(active)));
    SparsePca.Components pca = SparsePca.fit(inRows, bMean, bActive, m, components, o.seed(), 200, 1e-10);
    LOG.info("PCA: {} components after {} iterations, eigenvalues {}", components, pca.iterations(),
        java.util.Arrays.toString(pca.eigenvalues()));
    Broadcast<double[][]> bW = jsc.broadcast(pca.loadings());
    int k = components;
    int zeroed = st.zeroed();
    List<scala.Tuple2<String, double[]>> projections = inRows.map(r -> new scala.Tuple2<>(r.participant,
        SparsePca.project(r, bW.value(), bMean.value(), bActive.value(), m,
            r.size() - votedInactive(r, bActive.value()) + zeroed, k))).collect();
    return new Landscape(mean, pca, projections);
  }

  /** Where the groups come from: the export's group-id, Polis's clustering or latent classes. */
  static String groupsFrom(Options o, Statements st) {
    if (o.groups() == Groups.export) {
      return "export";
    }
    return o.method() == Method.polis || countTrue(st.active()) < 2 ? "polis" : "latent";
  }

  static Map<String, Integer> groups(JobContext ctx, Options o, String from, JavaRDD<VoteMatrix.Row> inRows,
      Landscape land, Statements st, JavaSparkContext jsc) {
    Map<String, Integer> groupOf = new HashMap<>();
    if (from.equals("export")) {
      for (Row r : ctx.read("input.participants").filter(col("scope").equalTo(o.conversation()))
          .filter(col("export_group_id").isNotNull()).select("participant_id", "export_group_id").collectAsList()) {
        groupOf.put(r.getString(0), r.getInt(1));
      }
      if (groupOf.isEmpty()) {
        throw ChorusException.badInput("conversation '%s' has no Polis group-id in input.participants: use --groups "
            + "computed", o.conversation());
      }
    } else if (from.equals("polis")) {
      groupOf.putAll(PolisClustering.groups(land.projections(), 2, o.groupLimit(), o.seed()));
    } else {
      Broadcast<boolean[]> bActive = jsc.broadcast(st.active());
      try (Cached<JavaRDD<VoteMatrix.Row>> activeRows = Cached.of(inRows.map(r -> onlyActive(r, bActive.value())),
          StorageLevel.MEMORY_AND_DISK_SER())) {
        groupOf.putAll(LatentClasses.fit(activeRows.get(), land.projections(), st.size(), o.groupLimit(), o.seed(),
            ctx.progress()).groups());
      }
    }
    return groupOf;
  }

  static Map<Integer, Long> groupSizes(Map<String, Integer> groupOf) {
    Map<Integer, Long> sizes = new TreeMap<>();
    groupOf.values().forEach(g -> sizes.merge(g, 1L, Long::sum));
    return sizes;
  }

  /** Vote counts per statement, overall and per group (a few rows per statement back), then the Polis formulas. */
  static StatementStatistics statementStatistics(SparkSession spark, Dataset<Row> votes, Map<String, Integer> groupOf,
      Statements st, Landscape land, List<Integer> groupIds) {
    StructType groupSchema = new StructType().add("participant_id", DataTypes.StringType)
        .add("group_id", DataTypes.IntegerType);
    List<Row> groupRows = new ArrayList<>();
    groupOf.forEach((p, g) -> groupRows.add(RowFactory.create(p, g)));
    Dataset<Row> groupsDf = spark.createDataFrame(groupRows, groupSchema);
    Dataset<Row> perGroup = voteCounts(votes.join(broadcast(groupsDf), "participant_id")
        .groupBy("statement_id", "group_id"));
    Dataset<Row> overall = voteCounts(votes.groupBy("statement_id"));
    int m = st.size();
    int g = groupIds.size();
    long[][] na = new long[g][m];
    long[][] nd = new long[g][m];
    long[][] ns = new long[g][m];
    for (Row r : perGroup.collectAsList()) {
      Integer j = st.index().get(r.getLong(0));
      int gi = groupIds.indexOf(r.getInt(1));
      na[gi][j] = r.getLong(2);
      nd[gi][j] = r.getLong(3);
      ns[gi][j] = r.getLong(4);
    }
    long[] ta = new long[m];
    long[] td = new long[m];
    long[] tn = new long[m];
    for (Row r : overall.collectAsList()) {
      int j = st.index().get(r.getLong(0));
      ta[j] = r.getLong(1);
      td[j] = r.getLong(2);
      tn[j] = r.getLong(3);
    }
    return StatementStatistics.compute(st.ids(), st.moderated(), st.meta(), st.active(), land.mean(),
        land.pca().loadings(), na, nd, ns, ta, td, tn, groupIds);
  }

  private static Dataset<Row> voteCounts(RelationalGroupedDataset grouped) {
    return grouped.agg(sum(when(col("vote").equalTo(1), 1L).otherwise(0L)).as("na"),
        sum(when(col("vote").equalTo(-1), 1L).otherwise(0L)).as("nd"),
        count(lit(1)).as("ns"));
  }

  static List<Row> participantGroups(String conv, Membership members, Landscape land, Map<String, Integer> groupOf,
      String groupsFrom, Bridging.Fit bridging) {
    List<Row> pgRows = new ArrayList<>();
    Map<String, double[]> xy = new HashMap<>();
    land.projections().forEach(t -> xy.put(t._1(), t._2()));
    for (int i = 0; i < members.n().length; i++) {
      String p = members.counts().get(i)._1();
      double[] pr = xy.get(p);
      pgRows.add(RowFactory.create(conv, p, groupOf.get(p), pr == null ? null : pr[0],
          pr == null || pr.length < 2 ? null : pr[1], members.inMask()[i], (int) members.n()[i], groupsFrom,
          bridging.participantIntercept(p), bridging.participantFactor(p)));
    }
    return pgRows;
  }

  static List<WriteResult> write(JobContext ctx, String conv, List<Row> participantGroups, StatementStatistics stats,
      Bridging.Fit bridging) {
    SparkSession spark = ctx.spark();
    List<WriteResult> writes = new ArrayList<>();
    writes.add(ctx.replace(Tables.PARTICIPANT_GROUPS,
        spark.createDataFrame(participantGroups, Tables.PARTICIPANT_GROUPS.schema()), List.of(conv)));
    writes.add(ctx.replace(Tables.STATEMENT_STATS,
        spark.createDataFrame(stats.statementRows(conv, bridging), Tables.STATEMENT_STATS.schema()),
        List.of(conv)));
    writes.add(ctx.replace(Tables.GROUP_REPNESS,
        spark.createDataFrame(stats.repnessRows(conv), Tables.GROUP_REPNESS.schema()), List.of(conv)));
    return writes;
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
