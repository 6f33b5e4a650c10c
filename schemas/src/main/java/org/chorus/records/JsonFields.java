package org.chorus.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Fields of a JSON object as text, with the rules every JSON reader of Chorus applies. */
public final class JsonFields {
  private JsonFields() {}

  /** A required scalar as text (numbers and booleans as written); objects and arrays are rejected. */
  public static String text(ObjectNode json, String field) throws BadRecord {
    JsonNode n = json.get(field);
    if (n == null || n.isNull()) {
      throw new BadRecord("missing field " + field);
    }
    if (n.isContainerNode()) {
      throw new BadRecord("field " + field + " must be text");
    }
    return n.asText();
  }

  /** A required, non-blank id (numbers are accepted and written as text). */
  public static String id(ObjectNode json, String field) throws BadRecord {
    String v = text(json, field).trim();
    if (v.isEmpty()) {
      throw new BadRecord("empty " + field);
    }
    return v;
  }

  /** A scalar as text, or null when absent, null, empty or not a scalar. */
  public static String optionalText(ObjectNode json, String field) {
    JsonNode n = json.get(field);
    return n == null || n.isNull() || n.isContainerNode() || n.asText().isEmpty() ? null : n.asText();
  }

  /** A scalar as text or null when absent or null; objects and arrays are rejected. */
  public static String optionalScalar(ObjectNode json, String field) throws BadRecord {
    JsonNode n = json.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isContainerNode()) {
      throw new BadRecord("field " + field + " must be text");
    }
    return n.asText();
  }
}
