package org.chorus.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/** The rules for one preference pair in the generic layout, for batch ingest and live events alike. */
public final class ComparisonRecords {
  private ComparisonRecords() {}

  /**
   * The values of input.comparisons in column order: dataset_id, comparison_id, rater_id, prompt_id, prompt,
   * response_a_id, response_a, response_b_id, response_b, choice, objective, group, weight, data_subset, source.
   */
  public static Object[] generic(ObjectNode json, String dataset) throws BadRecord {
    String choice = JsonFields.text(json, "choice").trim().toLowerCase(Locale.ROOT);
    if (!List.of("a", "b", "tie").contains(choice)) {
      throw new BadRecord("choice must be a, b or tie, got '" + Values.shorten(choice) + "'");
    }
    Double weight = null;
    JsonNode w = json.get("weight");
    if (w != null && !w.isNull()) {
      if (!w.isNumber() || !(w.asDouble() >= 0) || Double.isInfinite(w.asDouble())) {
        throw new BadRecord("weight must be a non-negative number, got " + Values.shorten(w.toString()));
      }
      weight = w.asDouble();
    }
    return pair(dataset, JsonFields.id(json, "comparison_id"), JsonFields.id(json, "rater_id"),
        JsonFields.id(json, "prompt_id"), JsonFields.text(json, "prompt"), JsonFields.id(json, "response_a_id"),
        JsonFields.text(json, "response_a"), JsonFields.id(json, "response_b_id"),
        JsonFields.text(json, "response_b"), choice, JsonFields.optionalText(json, "objective"),
        JsonFields.optionalText(json, "group"), weight, JsonFields.optionalText(json, "data_subset"), "generic");
  }

  /** One pair's values; ids left null are content ids of the texts. Response A and B must differ. */
  public static Object[] pair(String dataset, String comparisonId, String raterId, String promptId, String prompt,
      String aId, String a, String bId, String b, String choice, String objective, String group, Double weight,
      String subset, String source) throws BadRecord {
    String pid = promptId != null ? promptId : Ids.promptId(prompt);
    String ra = aId != null ? aId : Ids.responseId(pid, a);
    String rb = bId != null ? bId : Ids.responseId(pid, b);
    if (ra.equals(rb)) {
      throw new BadRecord("response A and B are the same response (" + Values.shorten(ra) + ")");
    }
    return new Object[] {dataset, comparisonId, raterId, pid, prompt, ra, a, rb, b, choice, objective, group, weight,
        subset, source};
  }
}
