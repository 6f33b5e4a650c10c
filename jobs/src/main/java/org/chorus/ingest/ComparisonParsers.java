package org.chorus.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.function.Consumer;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.tables.TableSchemas;
import org.chorus.records.BadRecord;
import org.chorus.records.ComparisonRecords;

/**
 * Preference pairs in the three layouts of {@code chorus ingest comparisons}. Response A is the chosen response for
 * trl, {@code responses[0]} for hidden-context, and as given for generic.
 */
final class ComparisonParsers {
  private ComparisonParsers() {}

  static final String COMPARISON = "comparison";
  static final String ASSISTANT = "Assistant:";
  static final List<String> FORMATS = List.of("trl", "hidden-context", "generic");

  /** input.comparisons columns plus the order in the input (file index, line) and the raw record. */
  static final StructType ROWS = TableSchemas.input("comparisons").schema()
      .add("_order", DataTypes.LongType, false)
      .add("_raw", DataTypes.StringType, false);

  static final class Parser extends JsonlFileParser {
    private static final long serialVersionUID = 1L;
    private final String format;
    private final String dataset;
    private final List<String> files;
    private final java.util.HashMap<String, String> labels;
    private final boolean originalLabels;

    /**
     * @param originalLabels hidden-context only: each record also gives the pair's original HH-RLHF label
     *     ({@code original_label}) as a second comparison, objective {@code data_subset}
     */
    Parser(QuarantineContext ctx, String format, String dataset, List<String> files, boolean originalLabels) {
      super(ctx, "input.comparisons");
      this.format = format;
      this.dataset = dataset;
      this.files = files;
      this.labels = new java.util.HashMap<>(SourceFiles.labels(files));
      this.originalLabels = originalLabels;
    }

    @Override
    protected void convert(String file, long line, String raw, ObjectNode json, Consumer<Outcome> out)
        throws BadRecord {
      long order = ((long) files.indexOf(file) << 40) | line;
      String stem = labels.get(file); // unique among the files of this ingest: ids never collide across them
      List<Object[]> pairs = switch (format) {
        case "trl" -> List.<Object[]>of(trl(json, stem + ":" + line));
        case "hidden-context" -> hiddenContext(json, stem + ":" + line);
        default -> List.<Object[]>of(generic(json));
      };
      for (Object[] v : pairs) {
        Object[] row = new Object[v.length + 2];
        System.arraycopy(v, 0, row, 0, v.length);
        row[v.length] = order;
        row[v.length + 1] = raw;
        out.accept(new Outcome(COMPARISON, RowFactory.create(row)));
      }
    }

    /** prompt/chosen/rejected, or implicit prompt: the shared prefix up to the last "Assistant:" turn. */
    private Object[] trl(ObjectNode json, String comparisonId) throws BadRecord {
      JsonNode chosenNode = json.get("chosen");
      JsonNode rejectedNode = json.get("rejected");
      if (chosenNode == null || rejectedNode == null) {
        throw new BadRecord("missing field " + (chosenNode == null ? "chosen" : "rejected"));
      }
      String prompt;
      String chosen;
      String rejected;
      if (json.hasNonNull("prompt")) {
        prompt = messages(json.get("prompt"), "prompt");
        chosen = messages(chosenNode, "chosen");
        rejected = messages(rejectedNode, "rejected");
      } else {
        String c = text(json, "chosen");
        String r = text(json, "rejected");
        int cut = c.lastIndexOf(ASSISTANT);
        if (cut < 0) {
          throw new BadRecord("implicit prompt: chosen has no 'Assistant:' turn");
        }
        prompt = c.substring(0, cut + ASSISTANT.length());
        if (!r.startsWith(prompt) || r.lastIndexOf(ASSISTANT) != cut) {
          throw new BadRecord("implicit prompt: chosen and rejected do not share the transcript up to "
              + "the last 'Assistant:' turn");
        }
        chosen = c.substring(prompt.length()).strip();
        rejected = r.substring(prompt.length()).strip();
      }
      return pair(comparisonId, optionalText(json, "rater_id"), null, prompt, null, chosen, null, rejected, "a",
          optionalText(json, "objective"), null, null, null, "trl");
    }

    /**
     * The label under {@code objective}; with original labels also {@code original_label}, the label HH-RLHF's
     * crowdworkers gave under the objective of the pair's {@code data_subset} (comparison id suffixed ":original").
     */
    private List<Object[]> hiddenContext(ObjectNode json, String comparisonId) throws BadRecord {
      String prompt = text(json, "prompt");
      JsonNode responses = json.get("responses");
      if (responses == null || !responses.isArray() || responses.size() != 2 || !responses.get(0).isTextual()
          || !responses.get(1).isTextual()) {
        throw new BadRecord("responses must be an array of two texts");
      }
      String subset = optionalText(json, "data_subset");
      Object[] relabel = pair(comparisonId, null, null, prompt, null, responses.get(0).asText(), null,
          responses.get(1).asText(), binaryChoice(json, "label"), optionalText(json, "objective"), null, null, subset,
          "hidden-context");
      if (!originalLabels) {
        return List.<Object[]>of(relabel);
      }
      if (subset == null) {
        throw new BadRecord("original labels need data_subset, the objective they were given under");
      }
      Object[] original = relabel.clone();
      original[1] = comparisonId + ":original";
      original[9] = binaryChoice(json, "original_label");
      original[10] = subset;
      return List.of(relabel, original);
    }

    private static String binaryChoice(ObjectNode json, String field) throws BadRecord {
      JsonNode label = json.get(field);
      if (label == null || !label.canConvertToInt() || (label.asInt() != 0 && label.asInt() != 1)
          || !label.isIntegralNumber()) {
        throw new BadRecord(field + " must be 0 or 1, got " + label);
      }
      return label.asInt() == 0 ? "a" : "b";
    }

    private Object[] generic(ObjectNode json) throws BadRecord {
      return ComparisonRecords.generic(json, dataset);
    }

    private Object[] pair(String comparisonId, String raterId, String promptId, String prompt, String aId, String a,
        String bId, String b, String choice, String objective, String group, Double weight, String subset,
        String source) throws BadRecord {
      return ComparisonRecords.pair(dataset, comparisonId, raterId, promptId, prompt, aId, a, bId, b, choice,
          objective, group, weight, subset, source);
    }

    /** A text, or a conversational list of {role, content} messages rendered as "role: content" turns. */
    private static String messages(JsonNode node, String field) throws BadRecord {
      if (node.isTextual()) {
        return node.asText();
      }
      if (node.isArray() && node.size() > 0) {
        StringBuilder sb = new StringBuilder();
        for (JsonNode m : node) {
          if (!m.isObject() || !m.hasNonNull("content")) {
            throw new BadRecord(field + ": messages must be objects with role and content");
          }
          if (!m.get("content").isTextual()) {
            throw new BadRecord(field + ": message content must be text, got "
                + m.get("content").getNodeType().toString().toLowerCase(java.util.Locale.ROOT));
          }
          if (sb.length() > 0) {
            sb.append("\n\n");
          }
          if (node.size() > 1 || !field.equals("chosen") && !field.equals("rejected")) {
            sb.append(m.path("role").asText("user")).append(": ");
          }
          sb.append(m.get("content").asText());
        }
        return sb.toString();
      }
      throw new BadRecord(field + " must be text or a non-empty list of messages");
    }
  }
}
