package org.chorus.prompts;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.chorus.core.ChorusException;
import org.chorus.core.job.JobContext;

/**
 * The rules of one policy as {@code chorus policy} committed them to derived.policy_rules (the table is the contract
 * between the two capabilities): the current version of one conversation's policy key, in rule order.
 *
 * @param name {@code conversation/policy_key}
 */
record PolicyRules(String name, int version, List<String> ids, List<String> texts) {
  /**
   * @param reference {@code CONVERSATION/POLICY_KEY} (e.g. {@code ccai/both-groups@0.7}), or {@code CONVERSATION}
   *     when the conversation has one policy
   */
  static PolicyRules read(JobContext job, String reference) {
    int slash = reference.indexOf('/');
    String conversation = slash < 0 ? reference : reference.substring(0, slash);
    Dataset<Row> rules = job.read("derived.policy_rules").filter(col("conversation_id").equalTo(conversation));
    List<String> keys = rules.select("policy_key").distinct().orderBy("policy_key").as(
        org.apache.spark.sql.Encoders.STRING()).collectAsList();
    String key = slash < 0 ? null : reference.substring(slash + 1);
    if (key == null && keys.size() == 1) {
      key = keys.get(0);
    }
    if (key == null || !keys.contains(key)) {
      throw ChorusException.badInput("no policy '%s' in derived.policy_rules (policies of conversation '%s': %s); "
          + "give --policy CONVERSATION/KEY", reference, conversation, keys.isEmpty() ? "none" : String.join(", ",
          keys));
    }
    List<String> ids = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    int version = 0;
    for (Row r : rules.filter(col("policy_key").equalTo(key)).select("rule_id", "text", "version")
        .orderBy("position").collectAsList()) {
      ids.add(r.getString(0));
      texts.add(r.getString(1));
      version = r.getInt(2);
    }
    return new PolicyRules(conversation + "/" + key, version, ids, texts);
  }

  int size() {
    return ids.size();
  }
}
