package org.chorus.landing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.chorus.records.BadRecord;
import org.chorus.records.ComparisonRecords;
import org.chorus.records.JsonFields;
import org.chorus.records.PolisRecords;
import org.chorus.records.Utf8;
import org.chorus.records.Values;

/**
 * Kafka record → {@link LandingEvent}, through the rules batch ingest applies ({@code org.chorus.records}): a vote
 * event is checked by the same code as a line of a Polis votes.csv, a statement as a line of comments.csv, a
 * comparison as a line of {@code chorus ingest comparisons --format generic}. The event layouts are documented in
 * {@code schemas/src/main/resources/chorus/schemas/events/}.
 */
final class EventRules {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The kinds of event, each with its table and the field that names its scope. */
  enum Kind {
    VOTE("input.votes", "conversation_id"),
    STATEMENT("input.statements", "conversation_id"),
    COMPARISON("input.comparisons", "dataset_id");

    final String table;
    final String scopeField;

    Kind(String table, String scopeField) {
      this.table = table;
      this.scopeField = scopeField;
    }
  }

  private EventRules() {}

  static LandingEvent parse(Kind kind, byte[] bytes, String topic, int partition, long offset) {
    String text;
    try {
      text = Utf8.decodeStrict(bytes == null ? new byte[0] : bytes);
    } catch (Utf8.InvalidUtf8Exception e) {
      return bad(kind, topic, e.getMessage(), Utf8.lossy(bytes), topic, partition, offset);
    }
    JsonNode node;
    try {
      node = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      return bad(kind, topic, "unparseable JSON: " + e.getOriginalMessage(), text, topic, partition, offset);
    }
    if (node == null || !node.isObject()) {
      return bad(kind, topic, "not a JSON object", text, topic, partition, offset);
    }
    ObjectNode json = (ObjectNode) node;
    String scope = JsonFields.optionalText(json, kind.scopeField);
    try {
      scope = Values.scopeId(JsonFields.text(json, kind.scopeField), kind.scopeField);
      return switch (kind) {
        case VOTE -> vote(json, scope, text, topic, partition, offset);
        case STATEMENT -> statement(json, scope, text, topic, partition, offset);
        case COMPARISON -> new LandingEvent(kind.table, scope, ComparisonRecords.generic(json, scope), null, null,
            text, topic, partition, offset);
      };
    } catch (BadRecord e) {
      String s = scope == null || scope.isBlank() || scope.length() > Values.MAX_ID_BYTES ? topic : scope.trim();
      return bad(kind, s, e.getMessage(), text, topic, partition, offset);
    }
  }

  private static LandingEvent vote(ObjectNode json, String conversation, String raw, String topic, int partition,
      long offset) throws BadRecord {
    PolisRecords.Vote v = PolisRecords.vote(JsonFields.text(json, "participant_id"),
        JsonFields.text(json, "statement_id"), JsonFields.text(json, "vote"),
        JsonFields.optionalScalar(json, "timestamp"));
    Object[] row = {conversation, v.participantId(), v.statementId(), v.vote(), v.votedAtMillis()};
    return new LandingEvent(Kind.VOTE.table, conversation, row, v.votedAtMillis(), null, raw, topic, partition,
        offset);
  }

  private static LandingEvent statement(ObjectNode json, String conversation, String raw, String topic,
      int partition, long offset) throws BadRecord {
    PolisRecords.Statement s = PolisRecords.statement(JsonFields.text(json, "statement_id"),
        JsonFields.optionalScalar(json, "author_id"), JsonFields.text(json, "text"),
        JsonFields.optionalScalar(json, "moderated"), JsonFields.optionalScalar(json, "timestamp"));
    boolean meta = Values.optionalBoolean(JsonFields.optionalScalar(json, "is_meta"), "is_meta");
    boolean seed = Values.optionalBoolean(JsonFields.optionalScalar(json, "is_seed"), "is_seed");
    Object[] row = {conversation, s.statementId(), s.authorId(), s.text(), s.moderated(), meta, seed,
        s.createdAtMillis(), null, null, null};
    return new LandingEvent(Kind.STATEMENT.table, conversation, row, s.createdAtMillis(), null, raw, topic,
        partition, offset);
  }

  private static LandingEvent bad(Kind kind, String scope, String reason, String raw, String topic, int partition,
      long offset) {
    return new LandingEvent(kind.table, scope, null, null, reason, raw, topic, partition, offset);
  }
}
