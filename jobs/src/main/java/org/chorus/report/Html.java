package org.chorus.report;

import java.util.List;

/** HTML pieces for the report; every text from the data goes through {@link #escape}. */
final class Html {
  private Html() {}

  static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder(s.length() + 16);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '<' -> sb.append("&lt;");
        case '>' -> sb.append("&gt;");
        case '&' -> sb.append("&amp;");
        case '"' -> sb.append("&quot;");
        case '\'' -> sb.append("&#39;");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }

  /** A table; header and cells are escaped. */
  static String table(List<String> header, List<List<String>> rows) {
    StringBuilder sb = new StringBuilder("<table><thead><tr>");
    header.forEach(h -> sb.append("<th>").append(escape(h)).append("</th>"));
    sb.append("</tr></thead><tbody>");
    for (List<String> r : rows) {
      sb.append("<tr>");
      r.forEach(c -> sb.append("<td>").append(escape(c)).append("</td>"));
      sb.append("</tr>");
    }
    return sb.append("</tbody></table>").toString();
  }

  static final String STYLE = """
      body{font-family:sans-serif;margin:2em auto;max-width:1100px;color:#222;line-height:1.4}
      h1{margin-bottom:0}h2{border-bottom:1px solid #ccc;padding-bottom:.2em;margin-top:2em}
      .meta{color:#666}.reading{font-style:italic;color:#333;margin:.3em 0 1.5em}
      .missing{color:#888}figure{margin:1em 0}svg{max-width:100%;height:auto}
      table{border-collapse:collapse;margin:.5em 0 1.5em;font-size:.9em}
      th,td{border:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}th{background:#f4f4f4}
      """;
}
