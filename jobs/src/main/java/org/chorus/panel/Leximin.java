package org.chorus.panel;

import com.google.ortools.linearsolver.MPConstraint;
import com.google.ortools.linearsolver.MPSolver;
import com.google.ortools.linearsolver.MPVariable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.IntStream;

/**
 * MAXIMIN and LEXIMIN selection probabilities by column generation, as in Flanigan, Gölz, Gupta, Hennig and
 * Procaccia, "Fair algorithms for selecting citizens' assemblies" (Nature 596, 2021).
 *
 * <p>The master LP over the panels found so far is: maximise z subject to sum_P lambda_P = 1, lambda >= 0,
 * pi_t = sum_P lambda_P c_{P,t}/n_t >= z for every type not yet fixed, and pi_t >= p_t for every fixed type. Its
 * duals y_t >= 0 (one per type) and mu (for sum lambda = 1) price a panel P at sum_t y_t c_{P,t}/n_t; the pricing
 * step (SCIP, {@link PanelModel#best}) finds the panel of greatest price, and it enters the LP while its price
 * exceeds mu. When no panel does, z is the best minimum over all panels, not only those found: by strict
 * complementary slackness every type with y_t > 0 has pi_t = z in every optimal lottery, so LEXIMIN fixes those
 * types at z and maximises the minimum of the rest, until every type is fixed. MAXIMIN stops after the first
 * stage. Types no feasible panel contains are fixed at 0 from the start.
 *
 * <p>Speed-ups: the master LP is our own primal simplex ({@link MasterSimplex}), kept warm between rounds and
 * stages (GLOP through MPSolver solves every round from scratch: on a 533-type pool LEXIMIN took about 6 minutes
 * with it and under 2 with the warm simplex; GLOP remains the fallback should the simplex fail); and each
 * round adds several panels: after a panel is found, the weights of its types are lowered and the pricing step
 * rerun, keeping every further panel whose price under the true duals still exceeds mu (the heuristic of the
 * paper's own implementation).
 */
public final class Leximin {
  /** Duals at or below this are taken as zero when deciding which types a stage fixes. */
  static final double FIX_EPS = 1e-7;
  /** A panel enters the LP only when its price exceeds mu by more than this. */
  static final double PRICE_EPS = 1e-9;
  /** In the GLOP fallback, a fixed type must keep its stage value less this much (GLOP's tolerance is ~1e-9). */
  static final double FIX_SLACK = 1e-7;

  private Leximin() {}

  /** The lottery and what it took. */
  public record Result(Lottery lottery, double minimum, int stages, int panels, long pricingSolves,
      double pricingSeconds, int lpSolves, double lpSeconds) {}

  public static Result maximin(PanelInstance inst, int extraPanels, Consumer<String> progress) {
    return solve(inst, false, extraPanels, progress, false);
  }

  public static Result leximin(PanelInstance inst, int extraPanels, Consumer<String> progress) {
    return solve(inst, true, extraPanels, progress, false);
  }

  static Result solve(PanelInstance inst, boolean lexicographic, int extraPanels, Consumer<String> progress,
      boolean glop) {
    int types = inst.types();
    try (PanelModel pricing = new PanelModel(inst)) {
      Columns columns = Columns.covering(inst, pricing);
      boolean[] fixed = new boolean[types];
      double[] fixedAt = new double[types];
      int open = 0;
      for (int t = 0; t < types; t++) {
        fixed[t] = !columns.reachable[t];
        open += fixed[t] ? 0 : 1;
      }
      int stages = 0;
      int lpSolves = 0;
      long lpNanos = 0;
      double firstMinimum = Double.NaN;
      Master master = null;
      double[] weight = new double[types];
      MasterLp lp = glop ? new GlopMaster(inst, columns, fixed, fixedAt) : new SimplexMaster(inst, columns);
      try {
        while (open > 0) {
          stages++;
          while (true) {
            long start = System.nanoTime();
            try {
              master = lp.solve();
            } catch (IllegalStateException e) {
              if (!(lp instanceof SimplexMaster)) {
                throw e;
              }
              progress.accept("warning: " + e.getMessage() + "; the master LP continues in GLOP");
              lp.close();
              lp = new GlopMaster(inst, columns, fixed, fixedAt);
              master = lp.solve();
            }
            lpNanos += System.nanoTime() - start;
            lpSolves++;
            double[] y = master.y;
            double maxY = 0;
            for (int t = 0; t < types; t++) {
              maxY = Math.max(maxY, y[t] / inst.typeSize[t]);
            }
            if (maxY <= 0) {
              break;
            }
            int added = 0;
            for (int t = 0; t < types; t++) {
              weight[t] = y[t] / inst.typeSize[t] / maxY;
            }
            for (int round = 0; round <= extraPanels; round++) {
              int[] panel = pricing.best(weight);
              if (price(panel, y, inst) <= master.mu + PRICE_EPS || !columns.add(panel)) {
                break;
              }
              lp.add(panel);
              added++;
              // the next panel of the round: the types just seated weigh less (as in the paper's implementation)
              for (int t = 0; t < types; t++) {
                weight[t] *= 1 - 0.2 * panel[t] / (double) inst.typeSize[t];
              }
            }
            if (added == 0) {
              break;
            }
          }
          double value = master.value;
          if (stages == 1) {
            firstMinimum = value;
            progress.accept(String.format("maximin %.6f (%d panels, %d pricing solves)", value,
                columns.panels.size(), pricing.solves()));
          }
          if (!lexicographic) {
            break;
          }
          // fix the types whose dual is positive at the stage value; at least the one with the largest dual
          int best = -1;
          for (int t = 0; t < types; t++) {
            if (!fixed[t] && (best < 0 || master.y[t] > master.y[best])) {
              best = t;
            }
          }
          List<Integer> fixing = new ArrayList<>();
          for (int t = 0; t < types; t++) {
            if (!fixed[t] && (master.y[t] > FIX_EPS || t == best)) {
              fixed[t] = true;
              fixedAt[t] = value;
              fixing.add(t);
            }
          }
          lp.fix(fixing, value);
          open -= fixing.size();
          if (stages % 10 == 0 || open == 0) {
            progress.accept(String.format("leximin stage %d: fixed %d types at %.6f, %d open (%d panels)", stages,
                fixing.size(), value, open, columns.panels.size()));
          }
        }
      } finally {
        lp.close();
      }
      Lottery lottery = Lottery.of(columns.panels.subList(0, master.lambda.length), master.lambda);
      return new Result(lottery, firstMinimum, stages, columns.panels.size(), pricing.solves(), pricing.seconds(),
          lpSolves, lpNanos / 1e9);
    }
  }

  /** The master LP over the panels found so far: panels are added, types fixed at a stage's value. */
  interface MasterLp extends AutoCloseable {
    void add(int[] panel);

    void fix(List<Integer> types, double value);

    Master solve();

    @Override
    void close();
  }

  /** The master LP in {@link MasterSimplex}, whose rows are the types some feasible panel contains. */
  static final class SimplexMaster implements MasterLp {
    private final PanelInstance inst;
    private final int[] row;
    private final int[] typeOfRow;
    private final MasterSimplex simplex;

    SimplexMaster(PanelInstance inst, Columns columns) {
      this.inst = inst;
      row = new int[inst.types()];
      int rows = 0;
      for (int t = 0; t < row.length; t++) {
        row[t] = columns.reachable[t] ? rows++ : -1;
      }
      typeOfRow = new int[rows];
      for (int t = 0; t < row.length; t++) {
        if (row[t] >= 0) {
          typeOfRow[row[t]] = t;
        }
      }
      int[] first = columns.panels.get(0);
      simplex = new MasterSimplex(rows, rows(first), values(first));
      for (int[] panel : columns.panels.subList(1, columns.panels.size())) {
        add(panel);
      }
    }

    private int[] rows(int[] panel) {
      return IntStream.range(0, panel.length).filter(t -> panel[t] > 0).map(t -> row[t]).toArray();
    }

    private double[] values(int[] panel) {
      return IntStream.range(0, panel.length).filter(t -> panel[t] > 0)
          .mapToDouble(t -> panel[t] / (double) inst.typeSize[t]).toArray();
    }

    @Override
    public void add(int[] panel) {
      simplex.addColumn(rows(panel), values(panel));
    }

    @Override
    public void fix(List<Integer> types, double value) {
      simplex.fix(types.stream().mapToInt(t -> row[t]).toArray());
    }

    @Override
    public Master solve() {
      simplex.solve();
      double[] w = simplex.prices();
      double[] y = new double[inst.types()];
      for (int r = 0; r < typeOfRow.length; r++) {
        y[typeOfRow[r]] = Math.max(0, w[r]);
      }
      return new Master(simplex.objective(), simplex.panelValues(), y, w[typeOfRow.length]);
    }

    @Override
    public void close() {}
  }

  /**
   * The master LP in GLOP, should the simplex above fail. MPSolver hands GLOP the whole model on every solve, so each
   * solve starts from scratch: correct, but slower as the panels grow.
   */
  static final class GlopMaster implements MasterLp {
    private final PanelInstance inst;
    private final Columns columns;
    private final boolean[] fixed;
    private final double[] fixedAt;
    private MPSolver lp;
    private MPVariable z;
    private MPConstraint sum;
    private MPConstraint[] cover;
    private final List<MPVariable> lambda = new ArrayList<>();

    GlopMaster(PanelInstance inst, Columns columns, boolean[] fixed, double[] fixedAt) {
      this.inst = inst;
      this.columns = columns;
      this.fixed = fixed;
      this.fixedAt = fixedAt;
      build();
    }

    private void build() {
      if (lp != null) {
        lp.delete();
      }
      lambda.clear();
      int types = inst.types();
      lp = Solvers.create("GLOP");
      z = lp.makeNumVar(-MPSolver.infinity(), MPSolver.infinity(), "z");
      sum = lp.makeConstraint(1, 1, "sum");
      cover = new MPConstraint[types];
      for (int t = 0; t < types; t++) {
        if (!columns.reachable[t]) {
          continue;
        }
        if (fixed[t]) {
          cover[t] = lp.makeConstraint(Math.max(0, fixedAt[t] - FIX_SLACK), MPSolver.infinity(), "t" + t);
        } else {
          cover[t] = lp.makeConstraint(0, MPSolver.infinity(), "t" + t);
          cover[t].setCoefficient(z, -1);
        }
      }
      lp.objective().setCoefficient(z, 1);
      lp.objective().setMaximization();
      for (int[] panel : columns.panels) {
        add(panel);
      }
    }

    @Override
    public void add(int[] panel) {
      MPVariable v = lp.makeNumVar(0, MPSolver.infinity(), "");
      sum.setCoefficient(v, 1);
      for (int t = 0; t < panel.length; t++) {
        if (panel[t] > 0) {
          cover[t].setCoefficient(v, panel[t] / (double) inst.typeSize[t]);
        }
      }
      lambda.add(v);
    }

    @Override
    public void fix(List<Integer> types, double value) {
      for (int t : types) {
        cover[t].setCoefficient(z, 0);
        cover[t].setLb(Math.max(0, value - FIX_SLACK));
      }
    }

    @Override
    public Master solve() {
      MPSolver.ResultStatus status = lp.solve();
      if (status == MPSolver.ResultStatus.ABNORMAL) {
        // seen after many changes to the model: the same LP built afresh solves
        build();
        status = lp.solve();
      }
      if (status != MPSolver.ResultStatus.OPTIMAL) {
        throw new IllegalStateException("GLOP master LP ended with status " + status);
      }
      double[] l = new double[lambda.size()];
      for (int i = 0; i < l.length; i++) {
        l[i] = Math.max(0, lambda.get(i).solutionValue());
      }
      double[] y = new double[inst.types()];
      for (int t = 0; t < y.length; t++) {
        y[t] = cover[t] == null ? 0 : Math.max(0, -cover[t].dualValue());
      }
      return new Master(z.solutionValue(), l, y, sum.dualValue());
    }

    @Override
    public void close() {
      lp.delete();
    }
  }

  /** One solve of the master LP: the lottery weights, its value z, the type duals y and mu. */
  record Master(double value, double[] lambda, double[] y, double mu) {}

  static double price(int[] panel, double[] y, PanelInstance inst) {
    double s = 0;
    for (int t = 0; t < panel.length; t++) {
      if (panel[t] > 0) {
        s += y[t] * panel[t] / inst.typeSize[t];
      }
    }
    return s;
  }

  /** The panels found so far, without repeats, and which types any feasible panel contains. */
  static final class Columns {
    final List<int[]> panels = new ArrayList<>();
    final boolean[] reachable;
    private final Set<List<Integer>> seen = new HashSet<>();

    private Columns(int types) {
      reachable = new boolean[types];
    }

    boolean add(int[] panel) {
      if (!seen.add(Arrays.stream(panel).boxed().toList())) {
        return false;
      }
      panels.add(panel);
      return true;
    }

    /**
     * Starting panels that between them contain every type some feasible panel contains: repeatedly the panel
     * with the most not-yet-covered types (each weighted 1/n_t). When the best panel covers no new type, the rest
     * are in no feasible panel.
     */
    static Columns covering(PanelInstance inst, PanelModel pricing) {
      int types = inst.types();
      Columns columns = new Columns(types);
      double[] weight = new double[types];
      while (true) {
        boolean any = false;
        for (int t = 0; t < types; t++) {
          weight[t] = columns.reachable[t] ? 0 : 1.0 / inst.typeSize[t];
          any |= !columns.reachable[t];
        }
        if (!any) {
          break;
        }
        int[] panel = pricing.best(weight);
        if (panel == null) {
          throw new IllegalStateException("no panel meets the quotas");
        }
        boolean covers = false;
        for (int t = 0; t < types; t++) {
          if (panel[t] > 0 && !columns.reachable[t]) {
            columns.reachable[t] = true;
            covers = true;
          }
        }
        if (!covers) {
          break;
        }
        columns.add(panel);
      }
      return columns;
    }
  }
}
