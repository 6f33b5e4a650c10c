package org.chorus.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.chorus.core.ChorusException;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.io.TextFiles;
import org.chorus.text.PiiScrubber;

/**
 * A versioned policy: the rules compiled from one conversation under one selection rule, with the snapshots of the
 * tables they came from. Written as {@code policy.json} (read back for diffs) and {@code policy.md}.
 */
public record Policy(int version, String conversationId, String rule, Double threshold, Double mergeSimilar,
    String createdAt, Map<String, Long> snapshot, List<Integer> groups, int candidates, List<Entry> rules) {

  /** One rule: a statement (or several near-duplicates, the strongest first) and its support. */
  public record Entry(String ruleId, String text, List<Long> statementIds, double support,
      SortedMap<Integer, Double> groupSupport, long votes, double gic) {
    /** The lowest group support (NaN without groups). */
    public double minGroupSupport() {
      return groupSupport.values().stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }
  }

  private static final PiiScrubber SCRUBBER = new PiiScrubber();

  /**
   * Compiles the selected statements, strongest first, into rules; {@code cluster[i]} from {@link NearDuplicates}.
   * A policy is published: a rule's text is the statement with e-mail addresses, phone numbers and personal URLs
   * replaced ({@link PiiScrubber}).
   */
  static List<Entry> entries(List<Candidate> selected, int[] cluster) {
    Map<Integer, List<Candidate>> byCluster = new LinkedHashMap<>();
    for (int i = 0; i < selected.size(); i++) {
      byCluster.computeIfAbsent(cluster[i], k -> new ArrayList<>()).add(selected.get(i));
    }
    List<Entry> out = new ArrayList<>();
    for (List<Candidate> members : byCluster.values()) {
      Candidate lead = members.get(0);
      List<Long> ids = members.stream().map(Candidate::statementId).toList();
      out.add(new Entry("s" + lead.statementId(), SCRUBBER.scrub(lead.text()).text(), ids, lead.support(),
          lead.groupSupport(), lead.overall().total(), lead.gic()));
    }
    return out;
  }

  public ObjectNode toJson(ObjectMapper mapper, Diff diff) {
    ObjectNode root = mapper.createObjectNode();
    root.put("version", version);
    root.put("conversation_id", conversationId);
    root.put("rule", rule);
    putNumber(root, "threshold", threshold);
    putNumber(root, "merge_similar", mergeSimilar);
    root.put("created_at", createdAt);
    ObjectNode snap = root.putObject("snapshot");
    snapshot.forEach(snap::put);
    ArrayNode g = root.putArray("groups");
    groups.forEach(g::add);
    root.put("candidates", candidates);
    ArrayNode list = root.putArray("rules");
    for (Entry e : rules) {
      ObjectNode n = list.addObject();
      n.put("rule_id", e.ruleId());
      n.put("text", e.text());
      ArrayNode ids = n.putArray("statement_ids");
      e.statementIds().forEach(ids::add);
      putNumber(n, "support", e.support());
      ObjectNode gs = n.putObject("group_support");
      e.groupSupport().forEach((k, v) -> putNumber(gs, String.valueOf(k), v));
      n.put("votes", e.votes());
      putNumber(n, "gic", e.gic());
    }
    if (diff != null) {
      root.set("diff", diff.toJson(mapper));
    }
    return root;
  }

  /** Reads {@code policy.json} from a policy directory (or the file itself), on any Hadoop file system. */
  public static Policy read(String dirOrFile, Configuration hadoop) throws IOException {
    String file = dirOrFile.endsWith(".json") ? dirOrFile : dirOrFile.replaceAll("/+$", "") + "/policy.json";
    if (!SourceFiles.exists(file, hadoop)) {
      throw ChorusException.badInput("no policy.json at %s", dirOrFile);
    }
    try {
      return fromJson(new ObjectMapper().readTree(TextFiles.read(file, hadoop)));
    } catch (JsonProcessingException e) {
      throw ChorusException.badInput("%s is not a policy document: %s", file, e.getOriginalMessage());
    }
  }

  public static Policy fromJson(JsonNode root) {
    List<Entry> rules = new ArrayList<>();
    for (JsonNode n : root.path("rules")) {
      List<Long> ids = new ArrayList<>();
      n.path("statement_ids").forEach(x -> ids.add(x.asLong()));
      SortedMap<Integer, Double> gs = new TreeMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = n.path("group_support").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        gs.put(Integer.parseInt(f.getKey()), number(f.getValue()));
      }
      rules.add(new Entry(n.path("rule_id").asText(), n.path("text").asText(), ids, number(n.path("support")), gs,
          n.path("votes").asLong(), number(n.path("gic"))));
    }
    Map<String, Long> snap = new TreeMap<>();
    root.path("snapshot").fields().forEachRemaining(f -> snap.put(f.getKey(), f.getValue().asLong()));
    List<Integer> groups = new ArrayList<>();
    root.path("groups").forEach(x -> groups.add(x.asInt()));
    return new Policy(root.path("version").asInt(), root.path("conversation_id").asText(), root.path("rule").asText(),
        root.path("threshold").isNumber() ? root.path("threshold").asDouble() : null,
        root.path("merge_similar").isNumber() ? root.path("merge_similar").asDouble() : null,
        root.path("created_at").asText(), snap, groups, root.path("candidates").asInt(), rules);
  }

  /** The document for people: the rules in order with their support, then what changed since the previous version. */
  public String toMarkdown(Diff diff) {
    StringBuilder md = new StringBuilder();
    md.append(String.format(Locale.ROOT, "# Policy for conversation %s, version %d%n%n", conversationId, version));
    md.append(String.format(Locale.ROOT, "- Rule: %s%s%n", rule,
        threshold == null ? "" : String.format(Locale.ROOT, ", threshold %s", threshold)));
    if (mergeSimilar != null) {
      md.append(String.format(Locale.ROOT, "- Near-duplicates merged at word similarity %s%n", mergeSimilar));
    }
    md.append(String.format(Locale.ROOT, "- %d rules from %d accepted statements; opinion groups %s%n", rules.size(),
        candidates, groups));
    md.append(String.format(Locale.ROOT, "- Compiled %s from snapshots %s%n%n", createdAt, snapshot));
    md.append("Support is agrees / (agrees + disagrees + passes) among the voters on the statement.\n\n");
    int i = 1;
    for (Entry e : rules) {
      md.append(String.format(Locale.ROOT, "%d. %s%n   - `%s`: support %s of %,d voters%s; statements %s%n", i++,
          oneLine(e.text()), e.ruleId(), pct(e.support()), e.votes(), groupText(e.groupSupport()), e.statementIds()));
    }
    if (diff != null) {
      md.append(diff.toMarkdown());
    }
    return md.toString();
  }

  static String groupText(SortedMap<Integer, Double> groupSupport) {
    if (groupSupport.isEmpty()) {
      return "";
    }
    StringBuilder s = new StringBuilder(" (");
    groupSupport.forEach((g, v) -> s.append(s.length() > 2 ? ", " : "").append("group ").append(g).append(' ')
        .append(pct(v)));
    return s.append(')').toString();
  }

  static String pct(double v) {
    return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
  }

  static String oneLine(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }

  private static void putNumber(ObjectNode n, String key, Double v) {
    if (v == null || v.isNaN()) {
      n.putNull(key);
    } else {
      n.put(key, v);
    }
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }
}
