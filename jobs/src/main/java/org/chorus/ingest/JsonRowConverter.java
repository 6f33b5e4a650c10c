package org.chorus.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.Serializable;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.StructField;
import org.chorus.core.spark.ScalaMaps;
import org.chorus.core.tables.TableSpec;
import org.chorus.records.BadRecord;

/**
 * Turns one JSON object (from JSONL, a CSV row or a Parquet row) into a row of an input table, by column name and
 * type. Required columns must be present; coded columns must hold an allowed value; the scope column is filled from
 * the command's id. Fields the table does not have go into {@code attributes} when the table has that map, so
 * flat demographic columns are kept; otherwise they are reported as ignored.
 */
public final class JsonRowConverter implements Serializable {
  private static final long serialVersionUID = 1L;
  /** Alternative field names accepted for a column. */
  private static final Map<String, String> ALIASES = Map.of("group", "rater_group");

  private final TableSpec spec;
  private final String scopeId;
  private final boolean collectAttributes;

  public JsonRowConverter(TableSpec spec, String scopeId) {
    this.spec = spec;
    this.scopeId = scopeId;
    this.collectAttributes = spec.hasColumn("attributes")
        && spec.schema().apply("attributes").dataType() instanceof MapType;
  }

  /** The converted row, and the names of fields that were ignored. */
  public record Converted(Row row, Set<String> ignored) {}

  public Converted convert(ObjectNode json) throws BadRecord {
    Map<String, JsonNode> byColumn = new LinkedHashMap<>();
    Map<String, String> extra = new LinkedHashMap<>();
    Set<String> ignored = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> it = json.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String name = ALIASES.getOrDefault(e.getKey(), e.getKey());
      if (spec.hasColumn(name)) {
        byColumn.put(name, e.getValue());
      } else if (collectAttributes && !e.getValue().isNull() && !e.getValue().isContainerNode()) {
        String v = e.getValue().asText();
        if (!v.isEmpty()) {
          extra.put(e.getKey(), v);
        }
      } else {
        ignored.add(e.getKey());
      }
    }
    StructField[] fields = spec.schema().fields();
    Object[] values = new Object[fields.length];
    for (int i = 0; i < fields.length; i++) {
      StructField f = fields[i];
      JsonNode node = byColumn.get(f.name());
      if (f.name().equals(spec.scopeColumn())) {
        values[i] = scope(node);
        continue;
      }
      Object v = node == null || node.isNull() || (node.isTextual() && node.asText().isEmpty() && !isString(f))
          ? null
          : value(node, f);
      if (f.name().equals("attributes") && collectAttributes) {
        @SuppressWarnings("unchecked")
        Map<String, String> attrs = v == null ? new LinkedHashMap<>() : new LinkedHashMap<>((Map<String, String>) v);
        attrs.putAll(extra);
        v = ScalaMaps.of(attrs);
      }
      if (v == null && !f.nullable()) {
        v = defaultFor(f);
        if (v == null) {
          throw new BadRecord("missing required field " + f.name());
        }
      }
      List<String> allowed = spec.allowedValues().get(f.name());
      if (v != null && allowed != null && !allowed.contains(String.valueOf(v))) {
        throw new BadRecord(f.name() + " '" + v + "' is not one of " + allowed);
      }
      if (v instanceof String s && !f.nullable() && s.isBlank() && spec.keyColumns().contains(f.name())) {
        throw new BadRecord("empty " + f.name());
      }
      values[i] = v;
    }
    return new Converted(RowFactory.create(values), ignored);
  }

  private String scope(JsonNode node) throws BadRecord {
    String given = node == null || node.isNull() ? null : node.asText().trim();
    if (scopeId == null) {
      if (given == null || given.isEmpty()) {
        throw new BadRecord("missing " + spec.scopeColumn() + " (or give --dataset)");
      }
      return given;
    }
    if (given != null && !given.isEmpty() && !given.equals(scopeId)) {
      throw new BadRecord(spec.scopeColumn() + " '" + given + "' differs from the id given ('" + scopeId + "')");
    }
    return scopeId;
  }

  private static boolean isString(StructField f) {
    return f.dataType().equals(DataTypes.StringType);
  }

  private static Object defaultFor(StructField f) {
    if (f.dataType().equals(DataTypes.BooleanType) && f.name().equals("consent")) {
      return true;
    }
    if (f.dataType().equals(DataTypes.BooleanType)) {
      return false;
    }
    if (f.name().equals("source") && f.dataType().equals(DataTypes.StringType)) {
      return "table";
    }
    if (f.name().equals("moderated")) {
      return 0;
    }
    if (f.dataType() instanceof MapType) {
      return ScalaMaps.of(Map.of());
    }
    return null;
  }

  static Object value(JsonNode node, StructField f) throws BadRecord {
    DataType t = f.dataType();
    String name = f.name();
    if (t.equals(DataTypes.StringType)) {
      if (node.isContainerNode()) {
        throw new BadRecord(name + " must be text, got " + node.getNodeType().name().toLowerCase());
      }
      return node.asText();
    }
    if (t.equals(DataTypes.LongType) || t.equals(DataTypes.IntegerType)) {
      long v;
      if (node.isIntegralNumber() && node.canConvertToLong()) {
        v = node.asLong();
      } else if (node.isTextual()) {
        try {
          v = Long.parseLong(node.asText().trim());
        } catch (NumberFormatException e) {
          throw new BadRecord("non-numeric " + name + " '" + node.asText() + "'");
        }
      } else if (node.isNumber() && node.asDouble() == Math.rint(node.asDouble())) {
        v = (long) node.asDouble();
      } else {
        throw new BadRecord("non-numeric " + name + " '" + node + "'");
      }
      if (t.equals(DataTypes.IntegerType)) {
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
          throw new BadRecord(name + " out of range: " + v);
        }
        return (int) v;
      }
      return v;
    }
    if (t.equals(DataTypes.DoubleType) || t.equals(DataTypes.FloatType)) {
      double d;
      if (node.isNumber()) {
        d = node.asDouble();
      } else if (node.isTextual()) {
        try {
          d = Double.parseDouble(node.asText().trim());
        } catch (NumberFormatException e) {
          throw new BadRecord("non-numeric " + name + " '" + node.asText() + "'");
        }
      } else {
        throw new BadRecord("non-numeric " + name + " '" + node + "'");
      }
      if (Double.isNaN(d) || Double.isInfinite(d)) {
        throw new BadRecord("non-finite " + name);
      }
      return t.equals(DataTypes.FloatType) ? (Object) (float) d : (Object) d;
    }
    if (t.equals(DataTypes.BooleanType)) {
      if (node.isBoolean()) {
        return node.asBoolean();
      }
      switch (node.asText().trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "t", "1", "yes":
          return true;
        case "false", "f", "0", "no":
          return false;
        default:
          throw new BadRecord("bad " + name + " '" + node.asText() + "' (expected true or false)");
      }
    }
    if (t.equals(DataTypes.TimestampType)) {
      if (node.isNumber()) {
        if (!node.canConvertToLong() || node.isFloatingPointNumber() && node.asDouble() != Math.rint(node.asDouble())) {
          throw new BadRecord(name + " out of range or not whole milliseconds: " + node);
        }
        return CsvFileParser.epochMillis(node.asLong(), name); // epoch milliseconds
      }
      return parseTimestamp(node.asText().trim(), name);
    }
    if (t instanceof MapType) {
      JsonNode obj = node;
      if (node.isTextual()) {
        try {
          obj = new com.fasterxml.jackson.databind.ObjectMapper().readTree(node.asText());
        } catch (Exception e) {
          throw new BadRecord(name + " must be a JSON object");
        }
      }
      if (!obj.isObject()) {
        throw new BadRecord(name + " must be an object of text values");
      }
      Map<String, String> m = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (!e.getValue().isNull()) {
          m.put(e.getKey(), e.getValue().asText());
        }
      }
      return m;
    }
    throw new BadRecord("unsupported column type " + t.simpleString() + " for " + name);
  }

  static Timestamp parseTimestamp(String s, String name) throws BadRecord {
    if (s.matches("-?[0-9]+")) {
      if (!s.matches("-?[0-9]{1,18}")) {
        throw new BadRecord(name + " out of range: " + CsvFileParser.shorten(s));
      }
      return CsvFileParser.epochMillis(Long.parseLong(s), name);
    }
    try {
      return Timestamp.from(OffsetDateTime.parse(s).toInstant());
    } catch (DateTimeParseException e1) {
      try {
        return Timestamp.from(Instant.parse(s));
      } catch (DateTimeParseException e2) {
        try {
          return Timestamp.from(LocalDateTime.parse(s.replace(' ', 'T')).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e3) {
          throw new BadRecord("unparseable timestamp " + name + " '" + s + "'");
        }
      }
    }
  }

  /** Column names of the spec, for messages. */
  public List<String> columns() {
    return new ArrayList<>(List.of(spec.schema().fieldNames()));
  }
}
