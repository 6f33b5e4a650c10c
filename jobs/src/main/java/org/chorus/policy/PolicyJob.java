package org.chorus.policy;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.not;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.chorus.core.ChorusException;
import org.chorus.core.io.PathSegments;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.io.TextFiles;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.spark.ScalaMaps;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.Tables;
import org.chorus.core.tables.Where;
import org.chorus.core.tables.WriteResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * {@code chorus policy}: the accepted statements of a conversation that pass a consensus rule become the rules of a
 * versioned policy. Reads derived.statement_stats (from {@code chorus opinions}) and input.statements; writes
 * derived.policy_rules and {@code policy.json} + {@code policy.md}, with a diff against the previous version.
 */
public final class PolicyJob implements Job<PolicyJob.Options, PolicyJob.Result> {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyJob.class);


  /**
   * @param threshold null: the rule's default
   * @param out null: {@code <warehouse>/policies/<conversation>/<policy_key>/v<N>}, the next version there
   * @param previous null: the previous version in the default location when {@code out} is null
   * @param mergeSimilar null: one rule per statement; else the word-similarity threshold for near-duplicates
   */
  public record Options(String conversation, PolicyRule rule, Double threshold, String out, String previous,
      Double mergeSimilar) implements JobOptions {
    /** The rule at its default threshold, written as the next version in the default location. */
    public static Options of(String conversation, PolicyRule rule) {
      return new Options(conversation, rule, null, null, null, null);
    }

    public Options withThreshold(Double t) {
      return new Options(conversation, rule, t, out, previous, mergeSimilar);
    }

    public Options withOut(String dir) {
      return new Options(conversation, rule, threshold, dir, previous, mergeSimilar);
    }

    public Options withPrevious(String dir) {
      return new Options(conversation, rule, threshold, out, dir, mergeSimilar);
    }

    public Options withMergeSimilar(Double j) {
      return new Options(conversation, rule, threshold, out, previous, j);
    }

    @Override
    public String scope() {
      return conversation;
    }

    @Override
    public List<String> problems() {
      return new Checks().id(conversation, "--conversation")
          .require(rule.hasThreshold() || threshold == null,
              "--threshold does not apply to --rule %s (it selects bridging status helpful)", rule.id())
          .require(threshold == null || (threshold >= 0 && threshold <= 1), "--threshold must be within [0, 1], got %s",
              threshold)
          .require(mergeSimilar == null || (mergeSimilar > 0 && mergeSimilar <= 1),
              "--merge-similar must be within (0, 1], got %s", mergeSimilar)
          .problems();
    }
  }

  /**
   * @param policyKey rule@threshold: with the conversation, the policy's name in derived.policy_rules
   * @param write null when the rules had not changed: then {@code policy} is the existing version, nothing written
   */
  public record Result(String policyKey, Policy policy, Diff diff, String outDir, String previousDir,
      WriteResult write) implements JobResult {
    @Override
    public List<WriteResult> writes() {
      return write == null ? List.of() : List.of(write);
    }

    @Override
    public List<String> files() {
      return write == null ? List.of() : List.of(outDir + "/policy.json", outDir + "/policy.md");
    }

    /** True when the rules were those of the latest version, which was reported instead of writing a new one. */
    public boolean unchanged() {
      return write == null;
    }

    @Override
    public Map<String, Object> figures() {
      Map<String, Object> f = new LinkedHashMap<>();
      f.put("version", policy.version());
      f.put("unchanged", unchanged());
      f.put("rule", policy.rule());
      f.put("threshold", policy.threshold());
      f.put("rules", policy.rules().size());
      f.put("candidates", policy.candidates());
      f.put("groups", policy.groups());
      if (diff != null) {
        f.put("previous_version", diff.previousVersion());
        f.put("added", diff.added().size());
        f.put("removed", diff.removed().size());
        f.put("changed", diff.changed().size());
      }
      return f;
    }

    @Override
    public void print(PrintStream out) {
      Policy p = policy;
      if (unchanged()) {
        out.printf("policy %s, rule %s%s: the rules are those of version %d (%d rules); no new version written%n",
            p.conversationId(), p.rule(), p.threshold() == null ? "" : " > " + p.threshold(), p.version(),
            p.rules().size());
        out.println("  latest version: " + outDir + "/policy.json");
        return;
      }
      out.printf("policy %s, rule %s%s, version %d: %d rules from %d accepted statements (groups %s)%n",
          p.conversationId(), p.rule(), p.threshold() == null ? "" : " > " + p.threshold(), p.version(),
          p.rules().size(), p.candidates(), p.groups());
      int shown = Math.min(5, p.rules().size());
      for (int i = 0; i < shown; i++) {
        Policy.Entry e = p.rules().get(i);
        double lowest = e.minGroupSupport();
        out.printf("  %-8s support %5.1f%%  lowest group %s  statements %s%n", e.ruleId(), 100 * e.support(),
            Double.isNaN(lowest) ? "  -  " : String.format("%5.1f%%", 100 * lowest), e.statementIds());
      }
      if (p.rules().size() > shown) {
        out.printf("  ... %d more in policy.md%n", p.rules().size() - shown);
      }
      if (diff != null) {
        out.printf("  since version %d (%s): %d added, %d removed, %d changed%n", diff.previousVersion(), previousDir,
            diff.added().size(), diff.removed().size(), diff.changed().size());
      }
      out.println("  " + write);
      out.println("  wrote " + outDir + "/policy.json and policy.md");
    }
  }

  @Override
  public String name() {
    return "policy";
  }

  /** Where a version goes and which earlier version it is compared with (null: none). */
  record Location(String outDir, String previousDir) {}

  @Override
  public Result run(JobContext job, Options o) {
    Configuration hadoop = job.spark().sparkContext().hadoopConfiguration();
    String conv = o.conversation();
    PolicyRule rule = o.rule();
    Double threshold = rule.hasThreshold() ? (o.threshold() != null ? o.threshold() : rule.defaultThreshold()) : null;
    String key = rule.id() + (threshold == null ? "" : "@" + plain(threshold));
    RunContext run = job.run();
    run.recordParameter("rule", rule.id());
    run.recordParameter("threshold", threshold == null ? "" : plain(threshold));
    if (o.mergeSimilar() != null) {
      run.recordParameter("merge-similar", plain(o.mergeSimilar()));
    }
    List<Candidate> candidates = candidates(job.tables(), run, conv);
    List<Candidate> selected = rule.select(candidates, threshold == null ? Double.NaN : threshold);
    int[] cluster = new int[selected.size()];
    if (o.mergeSimilar() != null) {
      cluster = NearDuplicates.clusters(selected.stream().map(Candidate::text).toList(), o.mergeSimilar());
    } else {
      java.util.Arrays.setAll(cluster, i -> i);
    }
    List<Policy.Entry> entries = Policy.entries(selected, cluster);
    Location where = location(job, o, key, hadoop);
    try {
      Policy previous = where.previousDir() == null ? null : Policy.read(where.previousDir(), hadoop);
      Policy policy = new Policy(previous == null ? 1 : previous.version() + 1, conv, rule.id(), threshold,
          o.mergeSimilar(), run.startedAt().toString(), new TreeMap<>(run.reads()), Candidate.groupIds(candidates),
          candidates.size(), entries);
      Diff diff = previous == null ? null : Diff.between(previous, policy);
      if (diff != null && diff.isEmpty() && o.out() == null && sameRules(previous, policy)) {
        LOG.info("policy {} {}: rules unchanged since v{}, no new version", conv, key, previous.version());
        return new Result(key, previous, null, where.previousDir(), null, null);
      }
      WriteResult write = job.tables().replaceWhere(run, Tables.POLICY_RULES, job.spark().createDataFrame(rows(policy, key),
          Tables.POLICY_RULES.schema()), Where.of("conversation_id", conv).and("policy_key", key));
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      TextFiles.write(where.outDir() + "/policy.json", mapper.writeValueAsString(policy.toJson(mapper, diff)) + "\n",
          hadoop);
      TextFiles.write(where.outDir() + "/policy.md", policy.toMarkdown(diff), hadoop);
      LOG.info("policy {} {} v{}: {} rules from {} candidates, written to {}", conv, key, policy.version(),
          entries.size(), candidates.size(), where.outDir());
      return new Result(key, policy, diff, where.outDir(), where.previousDir(), write);
    } catch (IOException e) {
      throw ChorusException.badInput("cannot write or read the policy files (%s): %s", where.outDir(),
          e.getMessage());
    }
  }

  /**
   * --out and --previous as given; by default the next version under
   * {@code <warehouse>/policies/<conversation>/<policy_key>/}, compared with the latest one there.
   */
  static Location location(JobContext job, Options o, String key, Configuration hadoop) {
    if (o.out() != null) {
      return new Location(o.out(), o.previous());
    }
    String base = job.tables().warehouse() + "/policies/" + PathSegments.encode(o.conversation()) + "/"
        + PathSegments.encode(key);
    int last = 0;
    try {
      for (String d : TextFiles.subdirectories(base, hadoop)) {
        if (d.matches("v\\d+") && SourceFiles.exists(base + "/" + d + "/policy.json", hadoop)) {
          last = Math.max(last, Integer.parseInt(d.substring(1)));
        }
      }
    } catch (IOException e) {
      throw ChorusException.badInput("cannot list the policy versions in %s: %s", base, e.getMessage());
    }
    String previous = o.previous() != null ? o.previous() : last > 0 ? base + "/v" + last : null;
    return new Location(base + "/v" + (last + 1), previous);
  }

  /** The same rules in the same order under the same settings: a new version would say nothing new. */
  static boolean sameRules(Policy previous, Policy next) {
    return previous.rules().stream().map(Policy.Entry::ruleId).toList()
        .equals(next.rules().stream().map(Policy.Entry::ruleId).toList())
        && java.util.Objects.equals(previous.mergeSimilar(), next.mergeSimilar());
  }


  /** The accepted (moderated = 1), non-meta statements of the conversation with their text and statistics. */
  static List<Candidate> candidates(ChorusTables tables, RunContext run, String conv) {
    Dataset<Row> stats = tables.read(run, "derived.statement_stats").filter(col("conversation_id").equalTo(conv));
    Dataset<Row> texts = tables.read(run, "input.statements").filter(col("conversation_id").equalTo(conv))
        .select("statement_id", "text");
    List<Row> rows = stats.filter(col("moderated").equalTo(1).and(not(col("is_meta"))))
        .join(texts, "statement_id")
        .select("statement_id", "text", "n_agree", "n_disagree", "n_pass", "group_agree", "group_disagree",
            "group_pass", "gic", "bridging_status", "bridging_intercept")
        .collectAsList();
    if (rows.isEmpty()) {
      boolean any = !stats.limit(1).isEmpty();
      throw ChorusException.badInput(any
          ? "conversation '%s' has no accepted statement (moderated = 1, not meta) in derived.statement_stats"
          : "conversation '%s' has no rows in derived.statement_stats: run chorus opinions --conversation %1$s first",
          conv);
    }
    List<Candidate> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new Candidate(r.getLong(0), r.getString(1), new Candidate.Votes(r.getLong(2), r.getLong(3), r.getLong(4)),
          Candidate.groups(javaMap(r, 5), javaMap(r, 6), javaMap(r, 7)), r.getDouble(8),
          r.isNullAt(9) ? null : r.getString(9), r.isNullAt(10) ? null : r.getDouble(10)));
    }
    return out;
  }

  private static Map<Integer, Long> javaMap(Row r, int i) {
    return CollectionConverters.asJava(r.<Integer, Long>getMap(i));
  }

  private static List<Row> rows(Policy p, String key) {
    List<Row> rows = new ArrayList<>();
    Timestamp at = Timestamp.from(java.time.Instant.parse(p.createdAt()));
    int position = 1;
    for (Policy.Entry e : p.rules()) {
      rows.add(RowFactory.create(p.conversationId(), key, p.rule(), p.threshold(), p.version(), position++,
          e.ruleId(), e.text(), CollectionConverters.asScala(e.statementIds()).toSeq(), nullIfNaN(e.support()),
          ScalaMaps.of(withNulls(e.groupSupport())), nullIfNaN(e.minGroupSupport()), e.votes(), e.gic(), at));
    }
    return rows;
  }

  private static Map<Integer, Double> withNulls(Map<Integer, Double> m) {
    Map<Integer, Double> out = new TreeMap<>();
    m.forEach((k, v) -> out.put(k, nullIfNaN(v)));
    return out;
  }

  private static Double nullIfNaN(double v) {
    return Double.isNaN(v) ? null : v;
  }

  static String plain(double v) {
    return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
  }
}
