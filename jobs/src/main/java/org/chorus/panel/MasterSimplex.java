package org.chorus.panel;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A primal revised simplex for the master LP of the column generation, kept warm between rounds and stages:
 * maximise z subject to sum_j a_{r,j} x_j - z - s_r = L for the open type rows r, sum_j a_{r,j} x_j - s_r = p_r for
 * the rows fixed at p_r, sum_j x_j = 1 for the last row, and x, z, s >= 0 (L is the level of the last stage).
 *
 * <p>Why not GLOP: OR-Tools' MPSolver hands GLOP the whole model again on every solve, and GLOP then solves from
 * scratch (about 2,000 iterations a solve on a 533-type pool), whereas a new panel changes the optimum by a few
 * hundred pivots. Here the basis and an explicit dense inverse survive between solves: adding a column keeps the
 * basis primal feasible, and so does fixing rows (see {@link #fix}), so no phase one is ever needed after the first
 * basis (one panel for the sum row and every slack, z = 0). A 533-type LEXIMIN: GLOP 6 minutes, this 68 s of LP.
 *
 * <p>Numerics: Harris' two-pass ratio test, Devex pricing (Forrest and Goldfarb) that switches to Bland's rule
 * after a run of degenerate pivots (no cycling), and a fresh inverse (Gauss-Jordan with partial pivoting) every
 * {@link #REFACTOR_EVERY} pivots, after a row is fixed, and whenever the residual of the basic solution or of the
 * basic reduced costs exceeds 1e-9.
 */
final class MasterSimplex {
  static final int REFACTOR_EVERY = 1000;
  private static final double OPT_TOL = 1e-11;
  private static final double PIVOT_TOL = 1e-7;
  private static final double FEAS_TOL = 1e-10;
  private static final double RESIDUAL_TOL = 1e-9;
  private static final double DEVEX_RESET = 1e6;
  private static final int DEGENERATE_RUN = 50;

  private final int m;
  private final int slacks;
  /** Structural columns (z's and panels), sparse: row indices and values. */
  private final List<int[]> colRows = new ArrayList<>();
  private final List<double[]> colVals = new ArrayList<>();
  /** The structural index of each panel column, in the order added. */
  private final List<Integer> panels = new ArrayList<>();
  private final double[] b;
  /** Whether a type row is still open (carries z). */
  private final boolean[] open;
  /** Dead columns (earlier z's, now constants) never enter again. */
  private boolean[] dead = new boolean[16];
  /** The structural index of the current z, and the level the earlier z's add up to. */
  private int zColumn;
  private double level;
  private final int[] head;
  private boolean[] basic;
  private final double[][] inverse;
  private final double[] xB;
  private int pivotsSinceInvert;
  private double[] devex = new double[0];

  /**
   * @param typeRows number of type rows; all start open with level 0
   * @param firstRows the type rows of a first panel, whose column is basic in the sum row
   * @param firstVals the panel's entries c_t / n_t in those rows
   */
  MasterSimplex(int typeRows, int[] firstRows, double[] firstVals) {
    this.slacks = typeRows;
    this.m = typeRows + 1;
    this.b = new double[m];
    b[m - 1] = 1;
    int[] zRows = new int[typeRows];
    double[] zVals = new double[typeRows];
    for (int r = 0; r < typeRows; r++) {
      zRows[r] = r;
      zVals[r] = -1;
    }
    open = new boolean[typeRows];
    Arrays.fill(open, true);
    basic = new boolean[slacks + 1];
    zColumn = append(zRows, zVals);
    head = new int[m];
    inverse = new double[m][m];
    xB = new double[m];
    addColumn(firstRows, firstVals);
    for (int r = 0; r < slacks; r++) {
      head[r] = r;
      basic[r] = true;
    }
    head[m - 1] = slacks + panels.get(0);
    basic[slacks + panels.get(0)] = true;
    if (!invert()) {
      throw new IllegalStateException("the first master basis is singular");
    }
  }

  /** Adds a panel column (type rows and values; the sum row's 1 is added here), nonbasic at 0. */
  void addColumn(int[] rows, double[] vals) {
    int[] r = Arrays.copyOf(rows, rows.length + 1);
    double[] v = Arrays.copyOf(vals, vals.length + 1);
    r[rows.length] = m - 1;
    v[vals.length] = 1;
    panels.add(append(r, v));
  }

  private int append(int[] rows, double[] vals) {
    colRows.add(rows);
    colVals.add(vals);
    if (basic.length < slacks + colRows.size()) {
      basic = Arrays.copyOf(basic, 2 * (slacks + colRows.size()));
    }
    if (dead.length < colRows.size()) {
      dead = Arrays.copyOf(dead, 2 * colRows.size());
    }
    return colRows.size() - 1;
  }

  /**
   * Fixes type rows at the current value of z: z so far becomes a constant (moved to the right-hand side; its
   * rows keep exactly the level reached), and a new z column, -1 on the rows still open, measures the rise above
   * that level. The point is unchanged, so the basis stays feasible: where the old z was basic, a column at value
   * 0 takes its place (the new z or a slack, whichever gives the largest pivot), a degenerate pivot.
   */
  void fix(int[] rows) {
    for (int r : rows) {
      open[r] = false;
    }
    int old = zColumn;
    int zPos = -1;
    for (int i = 0; i < m; i++) {
      if (head[i] == slacks + old) {
        zPos = i;
      }
    }
    double v = zPos < 0 ? 0 : Math.max(0, xB[zPos]);
    level += v;
    int[] oldRows = colRows.get(old);
    double[] oldVals = colVals.get(old);
    for (int k = 0; k < oldRows.length; k++) {
      b[oldRows[k]] -= oldVals[k] * v;
    }
    dead[old] = true;
    int n = 0;
    for (int r = 0; r < slacks; r++) {
      n += open[r] ? 1 : 0;
    }
    int[] zRows = new int[n];
    double[] zVals = new double[n];
    n = 0;
    for (int r = 0; r < slacks; r++) {
      if (open[r]) {
        zRows[n] = r;
        zVals[n++] = -1;
      }
    }
    zColumn = append(zRows, zVals);
    if (zPos < 0) {
      return;
    }
    // the replacement's pivot element: (B^-1 a_q)[zPos]; for slack r it is -B^-1[zPos][r]
    double[] pivotRow = inverse[zPos];
    int bestId = slacks + zColumn;
    double bestAbs = 0;
    for (int k = 0; k < n; k++) {
      bestAbs -= pivotRow[zRows[k]];
    }
    bestAbs = Math.abs(bestAbs);
    for (int r = 0; r < slacks; r++) {
      if (!basic[r] && Math.abs(pivotRow[r]) > 10 * bestAbs) {
        bestAbs = Math.abs(pivotRow[r]);
        bestId = r;
      }
    }
    if (bestAbs < PIVOT_TOL) {
      throw new IllegalStateException("no column can replace z in the master basis");
    }
    double[] alpha = new double[m];
    ftran(bestId, alpha);
    pivot(zPos, bestId, alpha, 0);
  }

  /**
   * Runs the simplex to optimality from the current basis. Reduced costs are priced in full at the start, after
   * each fresh inverse, and before optimality is declared; in between they are updated from the pivot row, which the
   * Devex weights need anyway, so a pivot computes one row of B^-1 A rather than that row and all the prices.
   */
  void solve() {
    boolean bland = false;
    int degenerate = 0;
    double[] alpha = new double[m];
    boolean checked = false;
    int vars = slacks + colRows.size();
    if (devex.length < vars) {
      int from = devex.length;
      devex = Arrays.copyOf(devex, 2 * vars);
      Arrays.fill(devex, from, devex.length, 1.0);
    }
    double[] d = new double[vars];
    double[] row = new double[vars];
    boolean fresh = false;
    priceAll(d, vars);
    while (true) {
      if (pivotsSinceInvert >= REFACTOR_EVERY) {
        if (!invert()) {
          throw new IllegalStateException("master basis became singular");
        }
        priceAll(d, vars);
      }
      int entering = -1;
      double bestScore = 0;
      for (int id = 0; id < vars; id++) {
        if (d[id] > OPT_TOL && !basic[id] && !(id >= slacks && dead[id - slacks])
            && (entering < 0 || (!bland && d[id] * d[id] / devex[id] > bestScore))) {
          bestScore = d[id] * d[id] / devex[id];
          entering = id;
        }
      }
      if (entering < 0) {
        if (!fresh) {
          // the updated prices say optimal: price afresh before believing them
          priceAll(d, vars);
          fresh = true;
          continue;
        }
        if (!checked && pivotsSinceInvert > 0 && residual(duals()) > RESIDUAL_TOL) {
          if (!invert()) {
            throw new IllegalStateException("master basis became singular");
          }
          priceAll(d, vars);
          checked = true;
          continue;
        }
        return;
      }
      fresh = false;
      double best = d[entering];
      ftran(entering, alpha);
      // Harris: the largest step within tolerance, then the largest pivot among the rows that block it
      double thetaMax = Double.POSITIVE_INFINITY;
      for (int i = 0; i < m; i++) {
        if (alpha[i] > PIVOT_TOL) {
          thetaMax = Math.min(thetaMax, (Math.max(xB[i], 0) + FEAS_TOL) / alpha[i]);
        }
      }
      if (thetaMax == Double.POSITIVE_INFINITY) {
        throw new IllegalStateException("master LP unbounded (cannot happen: sum of panels is 1)");
      }
      int leave = -1;
      for (int i = 0; i < m; i++) {
        if (alpha[i] > PIVOT_TOL && Math.max(xB[i], 0) / alpha[i] <= thetaMax) {
          if (leave < 0 || (bland ? head[i] < head[leave] : alpha[i] > alpha[leave])) {
            leave = i;
          }
        }
      }
      double theta = Math.max(xB[leave], 0) / alpha[leave];
      pivotRow(leave, vars, row);
      double pivot = alpha[leave];
      double ratio = best / pivot;
      for (int id = 0; id < vars; id++) {
        if (row[id] != 0) {
          d[id] -= ratio * row[id];
        }
      }
      int leaving = head[leave];
      d[entering] = 0;
      d[leaving] = -ratio;
      updateDevex(entering, leaving, pivot, row, vars);
      pivot(leave, entering, alpha, theta);
      if (theta * best < 1e-12) {
        if (++degenerate >= DEGENERATE_RUN) {
          bland = true;
        }
      } else {
        degenerate = 0;
        bland = false;
      }
    }
  }

  /** d_j = c_j - y a_j for every column (0 for basic and dead ones). */
  private void priceAll(double[] d, int vars) {
    double[] y = duals();
    for (int id = 0; id < vars; id++) {
      d[id] = basic[id] || (id >= slacks && dead[id - slacks]) ? 0 : reducedCost(id, y);
    }
  }

  /** Row {@code leave} of B^-1 A over the nonbasic, live columns (0 elsewhere). */
  private void pivotRow(int leave, int vars, double[] out) {
    double[] r = inverse[leave];
    for (int id = 0; id < vars; id++) {
      if (basic[id] || (id >= slacks && dead[id - slacks])) {
        out[id] = 0;
      } else if (id < slacks) {
        out[id] = -r[id];
      } else {
        int[] rows = colRows.get(id - slacks);
        double[] vals = colVals.get(id - slacks);
        double a = 0;
        for (int k = 0; k < rows.length; k++) {
          a += r[rows[k]] * vals[k];
        }
        out[id] = a;
      }
    }
  }

  /** Devex reference weights (Forrest and Goldfarb): w_j = max(w_j, (alpha_rj / alpha_rq)^2 w_q). */
  private void updateDevex(int entering, int leaving, double pivot, double[] row, int vars) {
    double wq = devex[entering];
    boolean reset = false;
    for (int id = 0; id < vars; id++) {
      if (row[id] == 0 || id == entering) {
        continue;
      }
      double ratio = row[id] / pivot;
      devex[id] = Math.max(devex[id], ratio * ratio * wq);
      reset |= devex[id] > DEVEX_RESET;
    }
    devex[leaving] = Math.max(wq / (pivot * pivot), 1);
    if (reset || devex[leaving] > DEVEX_RESET) {
      // a new reference framework once the weights grow too large to compare
      Arrays.fill(devex, 1.0);
    }
  }

  /** The value of z: the level of the rows fixed last plus the current z. */
  double objective() {
    for (int i = 0; i < m; i++) {
      if (head[i] == slacks + zColumn) {
        return level + xB[i];
      }
    }
    return level;
  }

  /** Values of the panel columns (in the order added). */
  double[] panelValues() {
    double[] value = new double[colRows.size()];
    for (int i = 0; i < m; i++) {
      if (head[i] >= slacks) {
        value[head[i] - slacks] = Math.max(0, xB[i]);
      }
    }
    double[] x = new double[panels.size()];
    for (int p = 0; p < x.length; p++) {
      x[p] = value[panels.get(p)];
    }
    return x;
  }

  /**
   * The simplex multipliers: w_r = -y_r >= 0 for the type rows (what a panel's members are worth) and, last,
   * mu = -y_sum (what a panel must be worth to enter).
   */
  double[] prices() {
    double[] y = duals();
    double[] w = new double[m];
    for (int r = 0; r < slacks; r++) {
      w[r] = -y[r];
    }
    w[slacks] = y[slacks];
    return w;
  }

  private double[] duals() {
    double[] y = new double[m];
    for (int i = 0; i < m; i++) {
      if (head[i] == slacks + zColumn) {
        System.arraycopy(inverse[i], 0, y, 0, m);
      }
    }
    return y;
  }

  /** d_j = c_j - y a_j; slack r has column -e_r and cost 0; z (id slacks) has cost 1. */
  private double reducedCost(int id, double[] y) {
    if (id < slacks) {
      return y[id];
    }
    int j = id - slacks;
    int[] rows = colRows.get(j);
    double[] vals = colVals.get(j);
    double d = j == zColumn ? 1 : 0;
    for (int k = 0; k < rows.length; k++) {
      d -= y[rows[k]] * vals[k];
    }
    return d;
  }

  private void ftran(int id, double[] alpha) {
    if (id < slacks) {
      for (int i = 0; i < m; i++) {
        alpha[i] = -inverse[i][id];
      }
      return;
    }
    int[] rows = colRows.get(id - slacks);
    double[] vals = colVals.get(id - slacks);
    for (int i = 0; i < m; i++) {
      double[] row = inverse[i];
      double s = 0;
      for (int k = 0; k < rows.length; k++) {
        s += row[rows[k]] * vals[k];
      }
      alpha[i] = s;
    }
  }

  private void pivot(int leave, int entering, double[] alpha, double theta) {
    for (int i = 0; i < m; i++) {
      xB[i] = i == leave ? theta : Math.max(0, xB[i] - theta * alpha[i]);
    }
    double[] pivotRow = inverse[leave];
    double p = alpha[leave];
    for (int k = 0; k < m; k++) {
      pivotRow[k] /= p;
    }
    for (int i = 0; i < m; i++) {
      double a = alpha[i];
      if (i == leave || a == 0) {
        continue;
      }
      double[] row = inverse[i];
      for (int k = 0; k < m; k++) {
        row[k] -= a * pivotRow[k];
      }
    }
    basic[head[leave]] = false;
    basic[entering] = true;
    head[leave] = entering;
    pivotsSinceInvert++;
  }

  /** max |b - B x_B| and max |reduced cost| over the basic columns. */
  private double residual(double[] y) {
    double[] r = b.clone();
    double worst = 0;
    for (int i = 0; i < m; i++) {
      int id = head[i];
      if (id < slacks) {
        r[id] += xB[i];
      } else {
        int[] rows = colRows.get(id - slacks);
        double[] vals = colVals.get(id - slacks);
        for (int k = 0; k < rows.length; k++) {
          r[rows[k]] -= vals[k] * xB[i];
        }
      }
      worst = Math.max(worst, Math.abs(reducedCost(id, y)));
    }
    for (double v : r) {
      worst = Math.max(worst, Math.abs(v));
    }
    return worst;
  }

  /** A fresh inverse of the basis by Gauss-Jordan with partial pivoting, and x_B = B^-1 b; false if singular. */
  private boolean invert() {
    double[][] a = new double[m][2 * m];
    for (int i = 0; i < m; i++) {
      int id = head[i];
      if (id < slacks) {
        a[id][i] = -1;
      } else {
        int[] rows = colRows.get(id - slacks);
        double[] vals = colVals.get(id - slacks);
        for (int k = 0; k < rows.length; k++) {
          a[rows[k]][i] = vals[k];
        }
      }
      a[i][m + i] = 1;
    }
    for (int c = 0; c < m; c++) {
      int p = c;
      for (int i = c + 1; i < m; i++) {
        if (Math.abs(a[i][c]) > Math.abs(a[p][c])) {
          p = i;
        }
      }
      if (Math.abs(a[p][c]) < 1e-12) {
        return false;
      }
      double[] t = a[p];
      a[p] = a[c];
      a[c] = t;
      double[] pr = a[c];
      double inv = 1 / pr[c];
      for (int k = c; k < 2 * m; k++) {
        pr[k] *= inv;
      }
      for (int i = 0; i < m; i++) {
        double f = a[i][c];
        if (i == c || f == 0) {
          continue;
        }
        double[] row = a[i];
        for (int k = c; k < 2 * m; k++) {
          row[k] -= f * pr[k];
        }
      }
    }
    // a = [I | B^-1] with B^-1's rows indexed by basis position
    for (int i = 0; i < m; i++) {
      System.arraycopy(a[i], m, inverse[i], 0, m);
    }
    for (int i = 0; i < m; i++) {
      double s = 0;
      for (int k = 0; k < m; k++) {
        s += inverse[i][k] * b[k];
      }
      xB[i] = s;
    }
    pivotsSinceInvert = 0;
    return true;
  }
}
