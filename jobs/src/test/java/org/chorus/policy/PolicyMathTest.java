package org.chorus.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class PolicyMathTest {
  static Candidate candidate(long id, String text, long[] overall, long[]... groups) {
    TreeMap<Integer, Candidate.Votes> g = new TreeMap<>();
    for (int i = 0; i < groups.length; i++) {
      g.put(i, new Candidate.Votes(groups[i][0], groups[i][1], groups[i][2]));
    }
    return new Candidate(id, text, new Candidate.Votes(overall[0], overall[1], overall[2]), g, 0.5, null, null);
  }

  @Test
  void bothGroupsNeedsEveryGroupStrictlyAboveTheThreshold() {
    Candidate c = candidate(1, "x", new long[] {10, 3, 1}, new long[] {7, 2, 1}, new long[] {3, 1, 0});
    assertThat(c.groupSupport()).containsEntry(0, 0.7).containsEntry(1, 0.75);
    assertThat(c.support()).isCloseTo(10.0 / 14, within(1e-15));
    assertThat(PolicyRule.BOTH_GROUPS.selects(c, 0.69)).isTrue();
    assertThat(PolicyRule.BOTH_GROUPS.selects(c, 0.7)).as("exceeds, not equals").isFalse();
    // a group that never voted on the statement cannot support it
    Candidate unseen = candidate(2, "y", new long[] {5, 0, 0}, new long[] {5, 0, 0}, new long[] {0, 0, 0});
    assertThat(PolicyRule.BOTH_GROUPS.selects(unseen, 0.1)).isFalse();
    assertThat(PolicyRule.BOTH_GROUPS.select(List.of(unseen, c), 0.6)).extracting(Candidate::statementId)
        .containsExactly(1L);
  }

  @Test
  void ruleTextsArePublishedWithoutPersonalData() {
    Candidate c = candidate(7, "Ask ada@example.org or +44 7700 900042", new long[] {10, 3, 1}, new long[] {7, 2, 1},
        new long[] {3, 1, 0});
    assertThat(Policy.entries(List.of(c), new int[] {0})).singleElement()
        .satisfies(e -> assertThat(e.text()).isEqualTo("Ask [email] or [phone]"));
  }

  @Test
  void weightedJaccardByHand() {
    Set<String> a = NearDuplicates.words("The AI should be kind!");
    Set<String> b = NearDuplicates.words("AI should be very KIND, and fair");
    assertThat(a).containsExactlyInAnyOrder("ai", "kind");
    assertThat(b).containsExactlyInAnyOrder("ai", "kind", "fair");
    Map<String, Double> idf = NearDuplicates.idf(List.of(a, b));
    // ln(3/3) + 1 = 1 for the shared words, ln(3/2) + 1 for "fair"
    assertThat(idf.get("fair")).isCloseTo(Math.log(1.5) + 1, within(1e-15));
    assertThat(NearDuplicates.jaccard(a, b, idf)).isCloseTo(2 / (3 + Math.log(1.5)), within(1e-15));
    // clusters join transitively and are numbered by their first member
    int[] c = NearDuplicates.clusters(List.of("red apples", "green pears", "red apples sweet", "sweet red apples",
        "green pears too"), 0.5);
    assertThat(c).containsExactly(0, 1, 0, 0, 1);
  }

  @Test
  void diffFindsAddedRemovedAndChangedRules() {
    Policy.Entry a = new Policy.Entry("s1", "a", List.of(1L), 0.8, new TreeMap<>(Map.of(0, 0.8)), 10, 0.5);
    Policy.Entry b = new Policy.Entry("s2", "b", List.of(2L), 0.9, new TreeMap<>(Map.of(0, 0.9)), 10, 0.5);
    Policy.Entry b2 = new Policy.Entry("s2", "b", List.of(2L), 0.9, new TreeMap<>(Map.of(0, 0.85)), 12, 0.5);
    Policy.Entry c = new Policy.Entry("s3", "c", List.of(3L), 0.7, new TreeMap<>(Map.of(0, 0.7)), 10, 0.5);
    Policy v1 = new Policy(1, "x", "gic", 0.5, null, "t", Map.of(), List.of(0), 3, List.of(a, b));
    Policy v2 = new Policy(2, "x", "gic", 0.5, null, "t", Map.of(), List.of(0), 3, List.of(b2, c));
    Diff d = Diff.between(v1, v2);
    assertThat(d.added()).extracting(Policy.Entry::ruleId).containsExactly("s3");
    assertThat(d.removed()).extracting(Policy.Entry::ruleId).containsExactly("s1");
    assertThat(d.changed()).extracting(ch -> ch.after().ruleId()).containsExactly("s2");
    assertThat(Diff.between(v2, v2).isEmpty()).isTrue();
    // a document written and read back is the same policy
    var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
    assertThat(Policy.fromJson(v2.toJson(mapper, d))).isEqualTo(v2);
  }
}
