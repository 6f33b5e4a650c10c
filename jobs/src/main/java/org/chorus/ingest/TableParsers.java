package org.chorus.ingest;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.util.CollectionAccumulator;
import org.chorus.core.tables.TableSpec;
import org.chorus.records.BadRecord;

/** Parsers of {@code chorus ingest table}: any input table from JSONL, CSV or Parquet, by its schema. */
final class TableParsers {
  private TableParsers() {}

  static final String ROW = "row";

  static StructType rowsSchema(TableSpec spec) {
    return spec.schema().add("_order", DataTypes.LongType, false).add("_raw", DataTypes.StringType, false);
  }

  static Row withOrder(Row row, long order, String raw) {
    Object[] v = new Object[row.length() + 2];
    for (int i = 0; i < row.length(); i++) {
      v[i] = row.get(i);
    }
    v[row.length()] = order;
    v[row.length() + 1] = raw;
    return RowFactory.create(v);
  }

  static final class Jsonl extends JsonlFileParser {
    private static final long serialVersionUID = 1L;
    private final JsonRowConverter converter;
    private final List<String> files;
    private final CollectionAccumulator<String> ignored;

    Jsonl(QuarantineContext ctx, TableSpec spec, String scopeId, List<String> files,
        CollectionAccumulator<String> ignored) {
      super(ctx, spec.name());
      this.converter = new JsonRowConverter(spec, scopeId);
      this.files = files;
      this.ignored = ignored;
    }

    @Override
    protected void convert(String file, long line, String raw, ObjectNode json, Consumer<Outcome> out)
        throws BadRecord {
      JsonRowConverter.Converted c = converter.convert(json);
      c.ignored().forEach(ignored::add);
      out.accept(new Outcome(ROW, withOrder(c.row(), ((long) files.indexOf(file) << 40) | line, raw)));
    }
  }

  static final class Csv extends CsvFileParser {
    private static final long serialVersionUID = 1L;
    private final JsonRowConverter converter;
    private final List<String> files;
    private final CollectionAccumulator<String> ignored;

    Csv(QuarantineContext ctx, CsvHeader header, TableSpec spec, String scopeId, List<String> files,
        CollectionAccumulator<String> ignored) {
      super(ctx, header, spec.name());
      this.converter = new JsonRowConverter(spec, scopeId);
      this.files = files;
      this.ignored = ignored;
    }

    @Override
    protected void convert(String file, long line, String raw, String[] fields, Consumer<Outcome> out)
        throws BadRecord {
      ObjectNode json = JsonNodeFactory.instance.objectNode();
      for (int i = 0; i < fields.length; i++) {
        if (fields[i].isEmpty()) {
          json.putNull(header.name(i));
        } else {
          json.put(header.name(i), fields[i]);
        }
      }
      JsonRowConverter.Converted c = converter.convert(json);
      c.ignored().forEach(ignored::add);
      out.accept(new Outcome(ROW, withOrder(c.row(), ((long) files.indexOf(file) << 40) | line, raw)));
    }
  }
}
