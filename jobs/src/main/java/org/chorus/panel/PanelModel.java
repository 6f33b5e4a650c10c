package org.chorus.panel;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPObjective;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPSolverParameters;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.List;

/**
 * The set of feasible panels as an integer program over type counts (SCIP): c_t in [0, n_t] panel members of type
 * t, sum c_t = k, and min <= (members with feature f) <= max for every quota. {@link #best} is the pricing step of
 * the column generation: the feasible panel of greatest total weight. One model is built and only its objective
 * changes between calls; it is solved to optimality (relative gap 0), since a pricing step that stops early could
 * end the column generation before the optimum.
 */
final class PanelModel implements AutoCloseable {
  private final PanelInstance inst;
  private final MPSolver solver;
  private final MPVariable[] count;
  private final MPSolverParameters params;
  private long solves;
  private long nanos;

  PanelModel(PanelInstance inst) {
    this.inst = inst;
    this.solver = Solvers.create("SCIP");
    int types = inst.types();
    count = new MPVariable[types];
    for (int t = 0; t < types; t++) {
      count[t] = solver.makeIntVar(0, inst.typeSize[t], "c" + t);
    }
    MPConstraint size = solver.makeConstraint(inst.k, inst.k, "k");
    for (MPVariable v : count) {
      size.setCoefficient(v, 1);
    }
    for (int c = 0; c < inst.categories.size(); c++) {
      MPConstraint[] quota = new MPConstraint[inst.quota[c].length];
      for (int f = 0; f < quota.length; f++) {
        quota[f] = solver.makeConstraint(inst.quota[c][f].min(), inst.quota[c][f].max(), "q" + c + "_" + f);
      }
      for (int t = 0; t < types; t++) {
        quota[inst.typeFeature[t][c]].setCoefficient(count[t], 1);
      }
    }
    params = new MPSolverParameters();
    params.setDoubleParam(MPSolverParameters.DoubleParam.RELATIVE_MIP_GAP, 0.0);
  }

  /** The feasible panel (type counts) of greatest sum of weight[t] * c_t, or null when no panel meets the quotas. */
  int[] best(double[] weight) {
    MPObjective objective = solver.objective();
    for (int t = 0; t < count.length; t++) {
      objective.setCoefficient(count[t], weight[t]);
    }
    objective.setMaximization();
    long start = System.nanoTime();
    MPSolver.ResultStatus status = solver.solve(params);
    nanos += System.nanoTime() - start;
    solves++;
    if (status == MPSolver.ResultStatus.INFEASIBLE) {
      return null;
    }
    if (status != MPSolver.ResultStatus.OPTIMAL) {
      throw new IllegalStateException("SCIP pricing ended with status " + status);
    }
    int[] counts = new int[count.length];
    for (int t = 0; t < count.length; t++) {
      counts[t] = (int) Math.round(count[t].solutionValue());
    }
    if (!inst.meetsQuotas(counts)) {
      throw new IllegalStateException("SCIP returned a panel that breaks a quota");
    }
    return counts;
  }

  /** Whether any panel meets the quotas. */
  boolean feasible() {
    return best(new double[count.length]) != null;
  }

  long solves() {
    return solves;
  }

  double seconds() {
    return nanos / 1e9;
  }

  @Override
  public void close() {
    solver.delete();
  }

  /** One relaxed quota bound. */
  record Change(String category, String feature, String bound, int from, int to) {
    @Override
    public String toString() {
      return category + "/" + feature + " " + bound + " " + from + "->" + to;
    }
  }

  /**
   * The smallest relaxation of the quotas that admits a panel: fewest total units by which mins are lowered and
   * maxes raised, each bound moving no further than its min_flex / max_flex (0 and k where the file has none).
   * Returns the changes (empty when the quotas are already feasible), or null when even the flex bounds admit no
   * panel of size k.
   */
  static List<Change> smallestRelaxation(PanelInstance inst) {
    MPSolver s = Solvers.create("SCIP");
    try {
      int types = inst.types();
      MPVariable[] c = new MPVariable[types];
      MPConstraint size = s.makeConstraint(inst.k, inst.k, "k");
      for (int t = 0; t < types; t++) {
        c[t] = s.makeIntVar(0, inst.typeSize[t], "c" + t);
        size.setCoefficient(c[t], 1);
      }
      MPObjective objective = s.objective();
      List<MPVariable[]> slack = new ArrayList<>();
      for (int cat = 0; cat < inst.categories.size(); cat++) {
        for (int f = 0; f < inst.quota[cat].length; f++) {
          PanelInstance.Quota q = inst.quota[cat][f];
          int minFloor = q.minFlex() == null ? 0 : Math.min(q.minFlex(), q.min());
          int maxCeil = q.maxFlex() == null ? Math.max(inst.k, q.max()) : Math.max(q.maxFlex(), q.max());
          MPVariable lower = s.makeIntVar(0, q.min() - minFloor, "lo" + cat + "_" + f);
          MPVariable raise = s.makeIntVar(0, maxCeil - q.max(), "hi" + cat + "_" + f);
          // count + lower >= min ; count - raise <= max
          MPConstraint atLeast = s.makeConstraint(q.min(), MPSolver.infinity(), "min" + cat + "_" + f);
          MPConstraint atMost = s.makeConstraint(-MPSolver.infinity(), q.max(), "max" + cat + "_" + f);
          atLeast.setCoefficient(lower, 1);
          atMost.setCoefficient(raise, -1);
          for (int t = 0; t < types; t++) {
            if (inst.typeFeature[t][cat] == f) {
              atLeast.setCoefficient(c[t], 1);
              atMost.setCoefficient(c[t], 1);
            }
          }
          objective.setCoefficient(lower, 1);
          objective.setCoefficient(raise, 1);
          slack.add(new MPVariable[] {lower, raise});
        }
      }
      objective.setMinimization();
      MPSolver.ResultStatus status = s.solve();
      if (status == MPSolver.ResultStatus.INFEASIBLE) {
        return null;
      }
      if (status != MPSolver.ResultStatus.OPTIMAL) {
        throw new IllegalStateException("SCIP relaxation ended with status " + status);
      }
      List<Change> changes = new ArrayList<>();
      int i = 0;
      for (int cat = 0; cat < inst.categories.size(); cat++) {
        for (int f = 0; f < inst.quota[cat].length; f++) {
          PanelInstance.Quota q = inst.quota[cat][f];
          long lower = Math.round(slack.get(i)[0].solutionValue());
          long raise = Math.round(slack.get(i)[1].solutionValue());
          if (lower > 0) {
            changes.add(new Change(q.category(), q.feature(), "min", q.min(), (int) (q.min() - lower)));
          }
          if (raise > 0) {
            changes.add(new Change(q.category(), q.feature(), "max", q.max(), (int) (q.max() + raise)));
          }
          i++;
        }
      }
      return changes;
    } finally {
      s.delete();
    }
  }
}
