package org.chorus.core.tables;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.chorus.core.ChorusException;

/** The tables defined by Avro schemas in the chorus-schemas module ({@code chorus/schemas/<namespace>/<table>.avsc}). */
public final class TableSchemas {
  private static final String ROOT = "chorus/schemas/";
  private static volatile Map<String, TableSpec> specs;

  private TableSchemas() {}

  /** All schema-defined tables by qualified name, in index order (input tables first). */
  public static Map<String, TableSpec> all() {
    if (specs == null) {
      synchronized (TableSchemas.class) {
        if (specs == null) {
          specs = Collections.unmodifiableMap(load());
        }
      }
    }
    return specs;
  }

  public static TableSpec spec(String qualifiedName) {
    TableSpec spec = all().get(qualifiedName);
    if (spec == null) {
      throw ChorusException.badInput("unknown table '%s' (known: %s)", qualifiedName, String.join(", ", all().keySet()));
    }
    return spec;
  }

  public static TableSpec input(String table) {
    return spec("input." + table);
  }

  public static Schema avro(String qualifiedName) {
    return parse(qualifiedName.replace('.', '/'));
  }

  private static Map<String, TableSpec> load() {
    Map<String, TableSpec> out = new LinkedHashMap<>();
    for (String entry : readResource(ROOT + "index.txt").split("\n")) {
      entry = entry.trim();
      if (entry.isEmpty()) {
        continue;
      }
      Schema avro = parse(entry);
      String name = entry.replace('/', '.');
      String scope = avro.getProp("chorus.scope");
      Object partition = avro.getObjectProp("chorus.partition");
      List<String> partitionColumns = new ArrayList<>();
      if (partition instanceof List<?> list) {
        list.forEach(p -> partitionColumns.add(String.valueOf(p)));
      } else {
        partitionColumns.add(scope);
      }
      List<String> keys = new ArrayList<>();
      if (avro.getObjectProp("chorus.key") instanceof List<?> list) {
        list.forEach(k -> keys.add(String.valueOf(k)));
      }
      Map<String, List<String>> allowed = new LinkedHashMap<>();
      for (Schema.Field f : avro.getFields()) {
        if (f.getObjectProp("chorus.allowed") instanceof List<?> list) {
          allowed.put(f.name(), list.stream().map(String::valueOf).toList());
        }
      }
      out.put(name, new TableSpec(name, AvroSparkTypes.structOf(avro), scope, List.copyOf(partitionColumns),
          List.copyOf(keys), Map.copyOf(allowed), avro.getDoc()));
    }
    return out;
  }

  private static Schema parse(String entry) {
    return new Schema.Parser().parse(readResource(ROOT + entry + ".avsc"));
  }

  private static String readResource(String path) {
    try (InputStream in = TableSchemas.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException("schema resource missing from the class path: " + path);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
