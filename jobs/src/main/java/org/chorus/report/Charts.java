package org.chorus.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.awt.Rectangle;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryLabelPositions;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** JFreeChart charts drawn to inline SVG (JFreeSVG) in one house style. */
final class Charts {
  static final Paint[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
      new Color(0xbcbd22), new Color(0x17becf)};
  private static int drawn;

  private Charts() {}

  /** The chart as an {@code <svg>} element; definitions get a prefix of their own so charts share a page. */
  static synchronized String svg(JFreeChart chart, int width, int height) {
    SVGGraphics2D g = new SVGGraphics2D(width, height);
    g.setDefsKeyPrefix("c" + (++drawn) + "_");
    chart.draw(g, new Rectangle(0, 0, width, height));
    return g.getSVGElement();
  }

  private static JFreeChart style(JFreeChart c) {
    c.setBackgroundPaint(Color.WHITE);
    c.getTitle().setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
    if (c.getPlot() instanceof CategoryPlot p) {
      p.setBackgroundPaint(Color.WHITE);
      p.setRangeGridlinePaint(new Color(0xdddddd));
      if (p.getRenderer() instanceof BarRenderer r) {
        r.setBarPainter(new StandardBarPainter());
        r.setShadowVisible(false);
        r.setItemMargin(0.02);
      }
      for (int i = 0; i < PALETTE.length; i++) {
        p.getRenderer().setSeriesPaint(i, PALETTE[i]);
      }
    } else if (c.getPlot() instanceof XYPlot p) {
      p.setBackgroundPaint(Color.WHITE);
      p.setRangeGridlinePaint(new Color(0xdddddd));
      p.setDomainGridlinePaint(new Color(0xdddddd));
      for (int i = 0; i < PALETTE.length; i++) {
        p.getRenderer().setSeriesPaint(i, PALETTE[i]);
      }
    }
    return c;
  }

  /** Bars: rows are series (legend), columns are categories (axis). values.get(series).get(category). */
  static JFreeChart bars(String title, String categoryAxis, String valueAxis,
      Map<String, Map<String, Double>> values, boolean horizontal) {
    DefaultCategoryDataset d = new DefaultCategoryDataset();
    values.forEach((series, byCategory) -> byCategory.forEach((category, v) -> d.addValue(v, series, category)));
    JFreeChart c = ChartFactory.createBarChart(title, categoryAxis, valueAxis, d,
        horizontal ? PlotOrientation.HORIZONTAL : PlotOrientation.VERTICAL, values.size() > 1, false, false);
    if (!horizontal && d.getColumnCount() > 8) {
      ((CategoryPlot) c.getPlot()).getDomainAxis().setCategoryLabelPositions(CategoryLabelPositions.UP_45);
    }
    return style(c);
  }

  private static XYSeriesCollection series(Map<String, List<double[]>> points) {
    XYSeriesCollection d = new XYSeriesCollection();
    points.forEach((name, xy) -> {
      XYSeries s = new XYSeries(name, false, true);
      xy.forEach(p -> s.add(p[0], p[1]));
      d.addSeries(s);
    });
    return d;
  }

  /** Points: one series per key, each a list of (x, y). */
  static JFreeChart scatter(String title, String xAxis, String yAxis, Map<String, List<double[]>> points) {
    XYSeriesCollection d = series(points);
    JFreeChart c = ChartFactory.createScatterPlot(title, xAxis, yAxis, d, PlotOrientation.VERTICAL, true, false,
        false);
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) ((XYPlot) c.getPlot()).getRenderer();
    for (int i = 0; i < points.size(); i++) {
      r.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2, -2, 4, 4));
    }
    return style(c);
  }

  /** Lines: one series per key through its (x, y) points in order. */
  static JFreeChart lines(String title, String xAxis, String yAxis, Map<String, List<double[]>> points) {
    XYSeriesCollection d = series(points);
    JFreeChart c = ChartFactory.createXYLineChart(title, xAxis, yAxis, d, PlotOrientation.VERTICAL, true, false,
        false);
    XYLineAndShapeRenderer r = (XYLineAndShapeRenderer) ((XYPlot) c.getPlot()).getRenderer();
    for (int i = 0; i < points.size(); i++) {
      r.setSeriesStroke(i, new BasicStroke(2f));
    }
    return style(c);
  }

  /** A matrix of values in [-1, 1] as coloured cells (red negative, blue positive) with the value printed. */
  static JFreeChart matrix(String title, List<String> labels, double[][] values) {
    int n = labels.size();
    double[][] xyz = new double[3][n * n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        xyz[0][i * n + j] = i;
        xyz[1][i * n + j] = j;
        xyz[2][i * n + j] = values[i][j];
      }
    }
    org.jfree.data.xy.DefaultXYZDataset d = new org.jfree.data.xy.DefaultXYZDataset();
    d.addSeries("value", xyz);
    org.jfree.chart.renderer.xy.XYBlockRenderer r = new org.jfree.chart.renderer.xy.XYBlockRenderer();
    org.jfree.chart.renderer.LookupPaintScale scale = new org.jfree.chart.renderer.LookupPaintScale(-1.0001, 1.0001,
        Color.LIGHT_GRAY);
    for (int k = -10; k <= 10; k++) {
      float t = Math.abs(k) / 10f;
      Color c = k < 0 ? new Color(1f, 1f - 0.6f * t, 1f - 0.6f * t) : new Color(1f - 0.6f * t, 1f - 0.4f * t, 1f);
      scale.add(k / 10.0 - 0.05, c);
    }
    r.setPaintScale(scale);
    String[] names = labels.toArray(new String[0]);
    org.jfree.chart.axis.SymbolAxis x = new org.jfree.chart.axis.SymbolAxis(null, names);
    org.jfree.chart.axis.SymbolAxis y = new org.jfree.chart.axis.SymbolAxis(null, names);
    x.setVerticalTickLabels(true);
    XYPlot plot = new XYPlot(d, x, y, r);
    plot.setBackgroundPaint(Color.WHITE);
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        if (!Double.isNaN(values[i][j])) {
          plot.addAnnotation(new org.jfree.chart.annotations.XYTextAnnotation(String.format("%.2f", values[i][j]),
              i, j));
        }
      }
    }
    JFreeChart c = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 15), plot, false);
    c.setBackgroundPaint(Color.WHITE);
    return c;
  }
}
