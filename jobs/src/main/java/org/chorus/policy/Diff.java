package org.chorus.policy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What changed between two versions of a policy, rules matched by id ({@code s} + the leading statement id): rules
 * added, rules removed, and rules kept whose statements or support (overall or in a group) changed.
 */
public record Diff(int previousVersion, List<Policy.Entry> added, List<Policy.Entry> removed, List<Change> changed) {

  /** A kept rule with its before and after. */
  public record Change(Policy.Entry before, Policy.Entry after) {
    public double supportDelta() {
      return after.support() - before.support();
    }
  }

  public static Diff between(Policy previous, Policy next) {
    Map<String, Policy.Entry> before = new LinkedHashMap<>();
    previous.rules().forEach(e -> before.put(e.ruleId(), e));
    List<Policy.Entry> added = new ArrayList<>();
    List<Change> changed = new ArrayList<>();
    for (Policy.Entry e : next.rules()) {
      Policy.Entry b = before.remove(e.ruleId());
      if (b == null) {
        added.add(e);
      } else if (differs(b, e)) {
        changed.add(new Change(b, e));
      }
    }
    return new Diff(previous.version(), added, List.copyOf(before.values()), changed);
  }

  private static boolean differs(Policy.Entry a, Policy.Entry b) {
    return !a.statementIds().equals(b.statementIds()) || !Objects.equals(a.text(), b.text())
        || !close(a.support(), b.support()) || !a.groupSupport().keySet().equals(b.groupSupport().keySet())
        || a.groupSupport().entrySet().stream().anyMatch(x -> !close(x.getValue(), b.groupSupport().get(x.getKey())));
  }

  private static boolean close(double a, double b) {
    return Double.isNaN(a) ? Double.isNaN(b) : Math.abs(a - b) <= 1e-12;
  }

  public boolean isEmpty() {
    return added.isEmpty() && removed.isEmpty() && changed.isEmpty();
  }

  ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode d = mapper.createObjectNode();
    d.put("previous_version", previousVersion);
    ArrayNode a = d.putArray("added");
    added.forEach(e -> a.add(e.ruleId()));
    ArrayNode r = d.putArray("removed");
    removed.forEach(e -> r.add(e.ruleId()));
    ArrayNode c = d.putArray("changed");
    for (Change ch : changed) {
      ObjectNode n = c.addObject();
      n.put("rule_id", ch.after().ruleId());
      n.put("support_before", ch.before().support());
      n.put("support_after", ch.after().support());
      ObjectNode gb = n.putObject("group_support_before");
      ch.before().groupSupport().forEach((g, v) -> gb.put(String.valueOf(g), v));
      ObjectNode ga = n.putObject("group_support_after");
      ch.after().groupSupport().forEach((g, v) -> ga.put(String.valueOf(g), v));
      if (!ch.before().statementIds().equals(ch.after().statementIds())) {
        ArrayNode ids = n.putArray("statement_ids_before");
        ch.before().statementIds().forEach(ids::add);
      }
    }
    return d;
  }

  String toMarkdown() {
    StringBuilder md = new StringBuilder(String.format(Locale.ROOT, "%n## Changes since version %d%n%n",
        previousVersion));
    if (isEmpty()) {
      return md.append("No rule added, removed or changed.\n").toString();
    }
    for (Policy.Entry e : added) {
      md.append(String.format(Locale.ROOT, "- added `%s`: %s (support %s)%n", e.ruleId(), Policy.oneLine(e.text()),
          Policy.pct(e.support())));
    }
    for (Policy.Entry e : removed) {
      md.append(String.format(Locale.ROOT, "- removed `%s`: %s (support was %s)%n", e.ruleId(),
          Policy.oneLine(e.text()), Policy.pct(e.support())));
    }
    for (Change c : changed) {
      md.append(String.format(Locale.ROOT, "- changed `%s`: support %s%s → %s%s", c.after().ruleId(),
          Policy.pct(c.before().support()), Policy.groupText(c.before().groupSupport()),
          Policy.pct(c.after().support()), Policy.groupText(c.after().groupSupport())));
      if (!c.before().statementIds().equals(c.after().statementIds())) {
        md.append(String.format(Locale.ROOT, "; statements %s → %s", c.before().statementIds(),
            c.after().statementIds()));
      }
      if (!Objects.equals(c.before().text(), c.after().text())) {
        md.append(String.format(Locale.ROOT, "; text was: %s", Policy.oneLine(c.before().text())));
      }
      md.append('\n');
    }
    return md.toString();
  }
}
