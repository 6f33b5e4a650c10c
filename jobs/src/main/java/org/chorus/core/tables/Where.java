package org.chorus.core.tables;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.spark.sql.Column;

/**
 * The rows one write replaces: a conjunction of "column is one of these string values" terms (e.g. {@code
 * conversation_id = 'bg2050' AND policy_key = 'x'}). The same condition is needed three ways: as a Spark column for
 * the staged write, as an Iceberg expression for the publishing commit (which replaces those rows on whatever the
 * table holds by then), and as text in the staged snapshot so that a later process can finish a killed run's
 * publishing. Values are always values, never spliced into SQL.
 */
public record Where(Map<String, List<String>> terms) {
  private static final ObjectMapper JSON = new ObjectMapper();

  public Where {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("a write must name the rows it replaces");
    }
    terms.forEach((c, v) -> {
      if (v.isEmpty()) {
        throw new IllegalArgumentException("no values for " + c);
      }
    });
    terms = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(terms));
  }

  public static Where of(String column, String value) {
    return in(column, List.of(value));
  }

  public static Where in(String column, Collection<String> values) {
    Map<String, List<String>> t = new LinkedHashMap<>();
    t.put(column, List.copyOf(values));
    return new Where(t);
  }

  public Where and(String column, String value) {
    return andIn(column, List.of(value));
  }

  public Where andIn(String column, Collection<String> values) {
    Map<String, List<String>> t = new LinkedHashMap<>(terms);
    t.put(column, List.copyOf(values));
    return new Where(t);
  }

  public Column column() {
    Column out = null;
    for (Map.Entry<String, List<String>> e : terms.entrySet()) {
      Column c = e.getValue().size() == 1 ? col(e.getKey()).equalTo(lit(e.getValue().get(0)))
          : col(e.getKey()).isin(e.getValue().toArray());
      out = out == null ? c : out.and(c);
    }
    return out;
  }

  public Expression expression() {
    Expression out = Expressions.alwaysTrue();
    for (Map.Entry<String, List<String>> e : terms.entrySet()) {
      Expression c = e.getValue().size() == 1 ? Expressions.equal(e.getKey(), e.getValue().get(0))
          : Expressions.in(e.getKey(), e.getValue().toArray());
      out = Expressions.and(out, c);
    }
    return out;
  }

  public String encode() {
    try {
      return JSON.writeValueAsString(terms);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Where decode(String json) {
    try {
      Map<String, List<String>> t = JSON.readValue(json, new TypeReference<LinkedHashMap<String, List<String>>>() {});
      return new Where(t);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable write condition " + json, e);
    }
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    terms.forEach((c, v) -> parts.add(c + (v.size() == 1 ? " = " + v.get(0) : " in " + v)));
    return String.join(" and ", parts);
  }
}
