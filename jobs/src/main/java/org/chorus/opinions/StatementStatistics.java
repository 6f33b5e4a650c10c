package org.chorus.opinions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.core.spark.ScalaMaps;

/** Per-statement and per-group statistics from vote counts, by Polis's formulas ({@link PolisMath}). */
final class StatementStatistics {
  private final long[] ids;
  private final int[] moderated;
  private final boolean[] meta;
  private final long[] ta;
  private final long[] td;
  private final long[] tn;
  private long[][] na;
  private long[][] nd;
  private long[][] ns;
  private final double[] gic;
  private final double[] extremity;
  private final double[] priority;
  private final double[][] xy;
  private final Map<Long, String> consensusDirection = new HashMap<>();
  private final Map<Long, Integer> consensusRank = new HashMap<>();
  private final List<Long> consensusAgree;
  private final List<Integer> groupIds;
  private final List<List<PolisMath.Repness>> repness = new ArrayList<>();
  private final List<Map<Long, Integer>> ranks = new ArrayList<>();

  private StatementStatistics(long[] ids, int[] moderated, boolean[] meta, long[] ta, long[] td, long[] tn,
      double[] gic, double[] extremity, double[] priority, double[][] xy, List<Long> consensusAgree,
      List<Integer> groupIds) {
    this.ids = ids;
    this.moderated = moderated;
    this.meta = meta;
    this.ta = ta;
    this.td = td;
    this.tn = tn;
    this.gic = gic;
    this.extremity = extremity;
    this.priority = priority;
    this.xy = xy;
    this.consensusAgree = consensusAgree;
    this.groupIds = groupIds;
  }

  static StatementStatistics compute(long[] ids, int[] moderated, boolean[] meta, boolean[] active, double[] mean,
      double[][] loadings, long[][] na, long[][] nd, long[][] ns, long[] ta, long[] td, long[] tn,
      List<Integer> groupIds) {
    int m = ids.length;
    int g = groupIds.size();
    double[] gic = new double[m];
    double[] extremity = new double[m];
    double[] priority = new double[m];
    double[][] xy = new double[m][];
    List<PolisMath.ConsensusStats> cons = new ArrayList<>();
    for (int j = 0; j < m; j++) {
      long[] a = new long[g];
      long[] s = new long[g];
      long ga = 0;
      long gd = 0;
      long gs = 0;
      for (int k = 0; k < g; k++) {
        a[k] = na[k][j];
        s[k] = ns[k][j];
        ga += na[k][j];
        gd += nd[k][j];
        gs += ns[k][j];
      }
      gic[j] = PolisMath.groupInformedConsensus(a, s);
      if (active[j]) {
        double[] pc = new double[Math.min(2, loadings[j].length)];
        System.arraycopy(loadings[j], 0, pc, 0, pc.length);
        extremity[j] = PolisMath.extremity(mean[j], pc, m);
        double scale = (1 - mean[j]) * Math.sqrt(m);
        xy[j] = new double[] {scale * pc[0], pc.length > 1 ? scale * pc[1] : 0};
        cons.add(new PolisMath.ConsensusStats(ids[j], ga, gd, gs));
      }
      priority[j] = PolisMath.priority(ta[j], tn[j] - ta[j] - td[j], tn[j], extremity[j], meta[j]);
    }
    List<List<Long>> selected = PolisMath.selectConsensus(cons, 5);
    StatementStatistics out = new StatementStatistics(ids, moderated, meta, ta, td, tn, gic, extremity, priority, xy,
        selected.get(0), groupIds);
    out.na = na;
    out.nd = nd;
    out.ns = ns;
    for (int r = 0; r < selected.get(0).size(); r++) {
      out.consensusDirection.put(selected.get(0).get(r), "agree");
      out.consensusRank.put(selected.get(0).get(r), r + 1);
    }
    for (int r = 0; r < selected.get(1).size(); r++) {
      out.consensusDirection.putIfAbsent(selected.get(1).get(r), "disagree");
      out.consensusRank.putIfAbsent(selected.get(1).get(r), r + 1);
    }
    for (int k = 0; k < g; k++) {
      List<PolisMath.Repness> group = new ArrayList<>();
      List<PolisMath.Repness> candidates = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        long restA = 0;
        long restD = 0;
        long restS = 0;
        for (int o = 0; o < g; o++) {
          if (o != k) {
            restA += na[o][j];
            restD += nd[o][j];
            restS += ns[o][j];
          }
        }
        PolisMath.Repness r = PolisMath.repness(ids[j], na[k][j], nd[k][j], ns[k][j], restA, restD, restS);
        group.add(r);
        if (active[j]) {
          candidates.add(r);
        }
      }
      Map<Long, Integer> rank = new HashMap<>();
      for (PolisMath.Selected s : PolisMath.selectRepresentative(candidates, 5)) {
        rank.put(s.stats().statementId(), s.rank());
      }
      out.repness.add(group);
      out.ranks.add(rank);
    }
    return out;
  }

  List<Long> consensusAgree() {
    return consensusAgree;
  }

  List<Row> statementRows(String conv, Bridging.Fit bridging) {
    List<Row> rows = new ArrayList<>();
    for (int j = 0; j < ids.length; j++) {
      Map<Integer, Long> agree = new java.util.TreeMap<>();
      Map<Integer, Long> disagree = new java.util.TreeMap<>();
      Map<Integer, Long> pass = new java.util.TreeMap<>();
      for (int k = 0; k < groupIds.size(); k++) {
        agree.put(groupIds.get(k), na[k][j]);
        disagree.put(groupIds.get(k), nd[k][j]);
        pass.put(groupIds.get(k), ns[k][j] - na[k][j] - nd[k][j]);
      }
      rows.add(RowFactory.create(conv, ids[j], moderated[j], meta[j], ta[j], td[j], tn[j] - ta[j] - td[j],
          ScalaMaps.of(agree), ScalaMaps.of(disagree), ScalaMaps.of(pass), gic[j],
          extremity[j], priority[j], consensusDirection.get(ids[j]), consensusRank.get(ids[j]),
          xy[j] == null ? null : xy[j][0], xy[j] == null ? null : xy[j][1], bridging.intercept(j),
          bridging.factor(j), bridging.status(j), bridging.ratings(j)));
    }
    return rows;
  }

  List<Row> repnessRows(String conv) {
    List<Row> rows = new ArrayList<>();
    for (int k = 0; k < groupIds.size(); k++) {
      for (PolisMath.Repness r : repness.get(k)) {
        boolean agree = r.agreeDirection();
        rows.add(RowFactory.create(conv, groupIds.get(k), r.statementId(), agree ? "agree" : "disagree", r.na(), r.nd(),
            r.ns(), agree ? r.pa() : r.pd(), agree ? r.pat() : r.pdt(), agree ? r.ra() : r.rd(),
            agree ? r.rat() : r.rdt(), ranks.get(k).get(r.statementId())));
      }
    }
    return rows;
  }
}
