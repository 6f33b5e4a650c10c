package org.chorus.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import java.util.Iterator;
import java.util.function.Consumer;
import org.chorus.core.io.RawRecord;
import org.chorus.core.io.RecordReader;
import org.chorus.records.BadRecord;
import org.chorus.records.JsonFields;

/** JSON Lines (optionally compressed): one object per line; bad UTF-8 and unparseable JSON are quarantined. */
public abstract class JsonlFileParser implements FileParser {
  private static final long serialVersionUID = 1L;
  private transient ObjectMapper mapper;

  protected final QuarantineContext ctx;
  private final String targetTable;

  protected JsonlFileParser(QuarantineContext ctx, String targetTable) {
    this.ctx = ctx;
    this.targetTable = targetTable;
  }

  protected abstract void convert(String file, long line, String raw, ObjectNode json, Consumer<Outcome> out)
      throws BadRecord;

  @Override
  public Iterator<Outcome> parse(String file, InputStream in) {
    RecordReader reader = RecordReader.lines(in);
    return new RecordOutcomes(reader, (rec, out) -> handle(file, rec, out));
  }

  private void handle(String file, RawRecord rec, Consumer<Outcome> out) {
    String location = Quarantine.line(rec.line());
    String text = Quarantine.decodeOrQuarantine(ctx, file, targetTable, location, rec.bytes(), out);
    if (text == null) {
      return;
    }
    JsonNode node;
    try {
      node = mapper().readTree(text);
    } catch (JsonProcessingException e) {
      out.accept(Quarantine.outcome(ctx, file, targetTable, location,
          "unparseable JSON: " + e.getOriginalMessage(), text));
      return;
    }
    if (node == null || !node.isObject()) {
      out.accept(Quarantine.outcome(ctx, file, targetTable, location, "not a JSON object", text));
      return;
    }
    try {
      convert(file, rec.line(), text, (ObjectNode) node, out);
    } catch (BadRecord e) {
      out.accept(Quarantine.outcome(ctx, file, targetTable, location, e.getMessage(), text));
    }
  }

  protected ObjectMapper mapper() {
    if (mapper == null) {
      // a second value or anything else after the object is an error, not silently ignored
      mapper = new ObjectMapper().enable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
    return mapper;
  }

  protected static String text(ObjectNode json, String field) throws BadRecord {
    return JsonFields.text(json, field);
  }

  protected static String id(ObjectNode json, String field) throws BadRecord {
    return JsonFields.id(json, field);
  }

  protected static String optionalText(ObjectNode json, String field) {
    return JsonFields.optionalText(json, field);
  }
}
