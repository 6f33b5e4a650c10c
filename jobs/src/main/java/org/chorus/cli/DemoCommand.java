package org.chorus.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.apache.spark.sql.Row;
import org.chorus.aggregate.AggregateJob;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobOptions;
import org.chorus.core.job.JobResult;
import org.chorus.core.job.Progress;
import org.chorus.ingest.IngestReport;
import org.chorus.ingest.PolisIngest;
import org.chorus.opinions.OpinionsConfig;
import org.chorus.opinions.OpinionsJob;
import org.chorus.panel.PanelConfig;
import org.chorus.panel.PanelJob;
import org.chorus.panel.SyntheticPoolJob;
import org.chorus.policy.PolicyJob;
import org.chorus.policy.PolicyRule;
import org.chorus.prompts.PromptsConfig;
import org.chorus.prompts.PromptsJob;
import org.chorus.report.ReportJob;
import org.chorus.reward.RewardJob;
import org.chorus.reward.RewardTrainJob;
import org.chorus.reward.ScoreJob;
import org.chorus.shards.ShardsJob;
import org.chorus.synth.SynthConfig;
import org.chorus.synth.SynthJob;
import org.chorus.synth.SynthParams;
import org.chorus.weights.WeightsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chorus demo}: the whole pipeline on an embedded default, as a list of (job, options) steps run the way every
 * command runs a job ({@link org.chorus.core.job.JobRunner}). Synthetic data at a small size (chorus.demo), its Polis
 * export ingested back, then every job, then a summary of what was produced and where.
 */
@Command(name = "demo", description = "Run the whole pipeline on synthetic data and print what was produced.")
final class DemoCommand extends BaseCommand {
  static final String MARGINS = "dimension,value,share\n"
      + "age_bracket,18-29,0.20\nage_bracket,30-44,0.25\nage_bracket,45-59,0.26\nage_bracket,60+,0.29\n"
      + "gender,female,0.51\ngender,male,0.48\ngender,other,0.01\n"
      + "education,secondary,0.62\neducation,tertiary,0.38\n";

  @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out", description = "files the demo writes (default demo-out)")
  Path outDir;

  /**
   * One step: a title (null: the step continues the one before, under its number), a job with its options, and the
   * line that sums up its result (null: none).
   */
  record Step<O extends JobOptions, R extends JobResult>(String title, boolean showProgress, Job<O, R> job, O options,
      Function<R, String> summary) {
    static <O extends JobOptions, R extends JobResult> Step<O, R> of(String title, Job<O, R> job, O options,
        Function<R, String> summary) {
      return new Step<>(title, false, job, options, summary);
    }

    static <O extends JobOptions, R extends JobResult> Step<O, R> then(Job<O, R> job, O options,
        Function<R, String> summary) {
      return new Step<>(null, false, job, options, summary);
    }

    Step<O, R> shown() {
      return new Step<>(title, true, job, options, summary);
    }

    String run(BaseCommand command) {
      R result = command.run(showProgress ? Progress.to(command.out()) : Progress.log(), job, options);
      return summary == null ? null : summary.apply(result);
    }
  }

  @Override
  public Integer call() {
    Instant start = Instant.now();
    out().printf("Chorus demo: warehouse %s%n", config().warehouseLocation());
    int n = 0;
    for (Step<?, ?> step : steps(config(), outDir.toAbsolutePath(), writeMargins())) {
      if (step.title() != null) {
        out().printf("%d. %s%n", ++n, step.title());
      }
      String line = step.run(this);
      if (line != null) {
        out().println(line);
      }
    }
    out().printf("%d. tables:%n", ++n);
    new TablesCommand().print(this);
    out().printf("%nDone in %ds. Query the results, e.g.:%n", Duration.between(start, Instant.now()).toSeconds());
    queries(outDir.toAbsolutePath().resolve("shards").toString()).forEach(q -> out().println("  " + q));
    return 0;
  }

  private Path writeMargins() {
    Path margins = outDir.resolve("margins.csv").toAbsolutePath();
    try {
      Files.createDirectories(outDir);
      Files.writeString(margins, MARGINS);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return margins;
  }

  /** The pipeline: every job once (panel twice, prompts twice), each on what the steps before it wrote. */
  static List<Step<?, ?>> steps(ChorusConfig config, Path out, Path margins) {
    SynthConfig d = SynthConfig.demo(config);
    String modelDir = out.resolve("reward-model").toString();
    String shardsDir = out.resolve("shards").toString();
    return List.of(
        Step.of("synth: a synthetic deliberation with known groups, comparisons and prompts", new SynthJob(),
            new SynthJob.Options(SynthParams.from("demo", d).build(), out.resolve("polis-export").toString()),
            null).shown(),
        Step.of("ingest polis: the same conversation read back from its Polis export", new PolisIngest(),
            new PolisIngest.Options(out.resolve("polis-export").toString(), "demo-polis"), DemoCommand::ingested),
        Step.of("opinions: groups (latent classes), consensus, representativeness, bridging, routing",
            new OpinionsJob(), OpinionsJob.Options.of("demo", OpinionsConfig.from(config))
                .withGroups(OpinionsJob.Groups.computed).withMethod(OpinionsJob.Method.latent).withSeed(d.seed),
            r -> String.format("  %,d participants (%,d in conversation), groups %s; Polis consensus %s; bridging %s",
                r.participants(), r.inConversation(), r.groupSizes(), r.consensusAgree(), r.topBridging())).shown(),
        Step.of("weights: the participants raked to population margins (age, gender, education)", new WeightsJob(),
            WeightsJob.Options.of(margins.toString(), "demo"), r -> String.format("  %,d participants, %s after %d "
                + "sweeps; design effect %.3f, effective sample size %,.0f", r.participants(), r.raking().converged()
                ? "converged" : "NOT converged", r.raking().sweeps(), r.designEffect(), r.effectiveSampleSize())),
        Step.of("panel: LEXIMIN selection of 40 from a synthetic 400-person volunteer pool, vs LEGACY",
            new SyntheticPoolJob(), SyntheticPoolJob.Options.of("demo-pool", 400, 40).withSeed(d.seed), null),
        Step.then(new PanelJob(), PanelJob.Options.of("demo-pool", 40, PanelConfig.from(config)).withSeed(d.seed)
            .withLegacyDraws(2000), DemoCommand::panel),
        Step.then(new PanelJob(), PanelJob.Options.of("demo-pool", 40, PanelConfig.from(config))
            .withMethod(PanelJob.Method.LEGACY).withSeed(d.seed).withLegacyDraws(2000), null),
        Step.of("aggregate: the comparisons under every method, weighted, per opinion group, 20 bootstrap draws",
            new AggregateJob(), AggregateJob.Options.of("demo").withPopulation("demo").withGroupsFrom("demo")
                .withBootstrap(20).withSeed(d.seed), DemoCommand::aggregated),
        Step.of("policy: the statements every opinion group agrees with (share > 0.6 in each group), versioned",
            new PolicyJob(), PolicyJob.Options.of("demo", PolicyRule.BOTH_GROUPS).withThreshold(0.6),
            DemoCommand::policy),
        Step.of("reward train: a reward model from the comparisons' majority labels (DJL, PyTorch, CPU)",
            new RewardTrainJob(), RewardTrainJob.Options.of("demo", modelDir).with(RewardJob.TrainOptions.DEFAULT
                .withBootstrap(100)), DemoCommand::rewardModel),
        Step.of("score: every response of the dataset scored on the executors", new ScoreJob(),
            ScoreJob.Options.of(modelDir, "demo"), r -> String.format("  %,d responses in %.1f s", r.responses(),
                r.seconds())),
        Step.of("shards: Parquet training shards with a manifest and a dataset card",
            new ShardsJob(), ShardsJob.Options.of("demo", shardsDir).withScoresOf(modelDir),
            r -> String.format("  %,d labelled pairs -> %s rows; %s", r.pairs(), r.rows(), r.manifest())),
        Step.of("prompts: duplicates, topics and policy coverage of the prompt corpus; boundary cases",
            new PromptsJob(), PromptsJob.Options.of("demo-prompts", PromptsConfig.from(config)).withClusters(d.topics)
                .withPolicy("demo/both-groups@0.6"), DemoCommand::corpus),
        Step.then(new PromptsJob(), PromptsJob.Options.of("demo", PromptsConfig.from(config)),
            r -> "  boundary cases of the comparisons' prompts: " + r.boundary()),
        Step.of("report: charts of all of it in one self-contained page", new ReportJob(),
            ReportJob.Options.of(out.resolve("report").toString()).withConversation("demo").withPopulation("demo")
                .withPool("demo-pool").withDataset("demo").withPrompts("demo-prompts").withShards(shardsDir),
            r -> String.format("  %d charts in %d sections: %s", r.charts(), r.sections().size(), r.file())));
  }

  static String ingested(IngestReport r) {
    return String.format("  %,d records read, %,d accepted, %,d quarantined; %s", r.totalRead(), r.totalAccepted(),
        r.totalQuarantined(), r.write("input.votes"));
  }

  static String panel(PanelJob.Result r) {
    return String.format("  %d types; minimum probability LEXIMIN %.4f vs LEGACY %.4f; Gini %.1f%% vs %.1f%%; drawn "
        + "panel of %d meets every quota", r.types(), r.stats().min(), r.legacy().stats().min(),
        100 * r.stats().gini(), 100 * r.legacy().stats().gini(), r.panel().size());
  }

  static String aggregated(AggregateJob.Result r) {
    DoubleSummaryStatistics tau = r.comparison().stream().filter(c -> !c.isNullAt(3))
        .mapToDouble(c -> c.getDouble(3)).summaryStatistics();
    return String.format("  %,d comparisons over %,d prompts; Kendall tau between methods %.2f..%.2f; the group BT "
        + "honours least: %s", r.comparisons(), r.prompts(), tau.getMin(), tau.getMax(),
        AggregateJob.worst(r.honoured().get("bt")));
  }

  static String policy(PolicyJob.Result r) {
    return String.format("  version %d: %d rules from %d accepted statements%s; %s/policy.md", r.policy().version(),
        r.policy().rules().size(), r.policy().candidates(), r.diff() == null ? ""
            : String.format("; since version %d: %d added, %d removed, %d changed", r.diff().previousVersion(),
                r.diff().added().size(), r.diff().removed().size(), r.diff().changed().size()), r.outDir());
  }

  static String rewardModel(RewardJob.TrainResult r) {
    Row all = r.eval().stream().filter(e -> e.getString(3).equals("all")).findFirst().orElse(null);
    return String.format("  model %s: %,d training pairs; %s", r.model().modelId(), r.trainPairs(), all == null
        ? "no held-out comparison to evaluate on" : String.format(Locale.ROOT, "held-out accuracy %.3f (95%% "
            + "%.3f-%.3f) vs length baseline %.3f", all.getDouble(4), all.getDouble(6), all.getDouble(7),
            all.getDouble(8)));
  }

  static String corpus(PromptsJob.Result r) {
    long unexercised = r.rules().stream().filter(x -> x.topics().isEmpty()).count();
    return String.format("  %,d prompts: %,d exact and %,d near duplicates; %d topics (%s, ...); %d of %d policy "
        + "rules exercised by some topic", r.prompts(), r.exactDuplicates(), r.nearDuplicates(), r.k(),
        r.topics().stream().filter(t -> t.id() >= 0).findFirst().map(t -> String.join(", ", t.terms())).orElse(""),
        r.rules().size() - unexercised, r.rules().size());
  }

  static List<String> queries(String shardsDir) {
    return List.of(
        "./chorus sql \"SELECT vote, count(*) FROM input.votes WHERE conversation_id = 'demo' GROUP BY vote\"",
        "./chorus sql \"SELECT statement_id, gic, bridging_status FROM derived.statement_stats WHERE "
            + "conversation_id = 'demo' ORDER BY gic DESC LIMIT 5\"",
        "./chorus sql \"SELECT metric, dimension, level, value FROM derived.weighting_diagnostics WHERE "
            + "population_id = 'demo'\"",
        "./chorus sql \"SELECT * FROM derived.panel_draws WHERE pool_id = 'demo-pool'\"",
        "./chorus sql \"SELECT method_a, method_b, kendall_tau, label_flip_share FROM derived.method_comparison "
            + "WHERE dataset_id = 'demo'\"",
        "./chorus sql \"SELECT position, rule_id, support, group_support FROM derived.policy_rules WHERE "
            + "conversation_id = 'demo'\"",
        "./chorus sql \"SELECT * FROM derived.rm_eval WHERE dataset_id = 'demo'\"",
        "./chorus sql \"SELECT kind, cluster_id, rule_id, label, prompts, flag FROM derived.coverage WHERE "
            + "dataset_id = 'demo-prompts'\"",
        "./chorus sql \"SELECT reason, count(*) FROM derived.boundary_cases GROUP BY reason\"",
        "./chorus sql \"SELECT * FROM parquet.`" + shardsDir + "/data/train-00000-of-00001.parquet` LIMIT 3\"",
        "./chorus sql \"SELECT job, run_id, seconds FROM derived.job_runs ORDER BY started_at\"",
        "./chorus tables");
  }
}
