package org.chorus.cli;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.to_json;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.chorus.records.CsvParser;

/** Prints a DataFrame or string rows as csv, json lines or an aligned table. Results stream to the driver. */
final class ResultPrinter {
  private ResultPrinter() {}

  static long print(Dataset<Row> df, OutputFormat format, PrintStream out) {
    long n = 0;
    if (format == OutputFormat.json) {
      Iterator<String> it = df.toJSON().toLocalIterator();
      while (it.hasNext()) {
        out.println(it.next());
        n++;
      }
      return n;
    }
    List<Column> asText = new ArrayList<>();
    for (StructField f : df.schema().fields()) {
      DataType t = f.dataType();
      Column c = col("`" + f.name() + "`");
      boolean complex = t instanceof StructType || t instanceof MapType || t instanceof ArrayType;
      asText.add((complex ? to_json(c) : c.cast("string")).as(f.name()));
    }
    Dataset<Row> text = df.select(asText.toArray(new Column[0]));
    List<String> columns = List.of(df.columns());
    Iterator<Row> rows = text.toLocalIterator();
    List<List<String>> cells = new ArrayList<>();
    while (rows.hasNext()) {
      Row r = rows.next();
      List<String> line = new ArrayList<>(r.length());
      for (int i = 0; i < r.length(); i++) {
        line.add(r.isNullAt(i) ? null : r.getString(i));
      }
      if (format == OutputFormat.csv) {
        if (n == 0) {
          printCsv(columns, out);
        }
        printCsv(line, out);
      } else {
        cells.add(line);
      }
      n++;
    }
    if (format == OutputFormat.csv && n == 0) {
      printCsv(columns, out);
    }
    if (format == OutputFormat.table) {
      printTable(columns, cells, out);
    }
    return n;
  }

  static void printCsv(List<String> values, PrintStream out) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      sb.append(CsvParser.quote(values.get(i)));
    }
    out.println(sb);
  }

  static void printTable(List<String> columns, List<List<String>> rows, PrintStream out) {
    int[] width = new int[columns.size()];
    for (int i = 0; i < width.length; i++) {
      width[i] = columns.get(i).length();
    }
    for (List<String> r : rows) {
      for (int i = 0; i < width.length; i++) {
        width[i] = Math.min(80, Math.max(width[i], display(r.get(i)).length()));
      }
    }
    out.println(line(columns, width));
    StringBuilder rule = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      rule.append(i == 0 ? "" : "-+-").append("-".repeat(width[i]));
    }
    out.println(rule);
    for (List<String> r : rows) {
      out.println(line(r, width));
    }
    out.printf("(%d row%s)%n", rows.size(), rows.size() == 1 ? "" : "s");
  }

  private static String display(String v) {
    if (v == null) {
      return "NULL";
    }
    String s = v.replace("\n", "\\n").replace("\r", "\\r").replace("\t", " ");
    return s.length() > 80 ? s.substring(0, 79) + "…" : s;
  }

  private static String line(List<String> values, int[] width) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < width.length; i++) {
      String v = display(values.get(i));
      sb.append(i == 0 ? "" : " | ").append(v).append(" ".repeat(Math.max(0, width[i] - v.length())));
    }
    return sb.toString().stripTrailing();
  }
}
