package org.chorus.cli;

import org.chorus.preferences.PromptSplit;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import org.chorus.aggregate.AggregateJob;
import org.chorus.core.job.Progress;
import org.chorus.aggregate.Election;
import org.chorus.synth.SynthConfig;
import org.chorus.ingest.IngestReport;
import org.chorus.ingest.PolisIngest;
import org.chorus.opinions.OpinionsConfig;
import org.chorus.opinions.OpinionsJob;
import org.chorus.panel.PanelConfig;
import org.chorus.panel.PanelJob;
import org.chorus.panel.SyntheticPool;
import org.chorus.policy.PolicyJob;
import org.chorus.prompts.PromptsConfig;
import org.chorus.prompts.PromptsJob;
import org.chorus.report.ReportJob;
import org.chorus.reward.HashedFeatures;
import org.chorus.reward.RewardJob;
import org.chorus.reward.RewardTrainJob;
import org.chorus.reward.RewardNet;
import org.chorus.reward.ScoreJob;
import org.chorus.shards.ShardsJob;
import org.apache.spark.sql.Row;
import org.chorus.policy.PolicyRule;
import org.chorus.synth.SynthJob;
import org.chorus.synth.SynthParams;
import org.chorus.weights.WeightsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code chorus demo}: the whole pipeline on an embedded default. Synthetic data at a small size (chorus.demo), its
 * Polis export ingested back, then every job that exists, then a summary of what was produced and where.
 */
@Command(name = "demo", description = "Run the whole pipeline on synthetic data and print what was produced.")
final class DemoCommand extends BaseCommand {
  @Option(names = "--out", paramLabel = "DIR", defaultValue = "demo-out", description = "files the demo writes (default demo-out)")
  Path outDir;

  @Override
  public Integer call() {
    Instant start = Instant.now();
    SynthConfig d = SynthConfig.demo(config());
    out().printf("Chorus demo: warehouse %s%n", config().warehouseLocation());
    SynthParams params = new SynthParams("demo", "demo", "demo-prompts", d.participants, d.statements, d.groups,
        d.votesPerParticipant, d.comparisons, SynthParams.defaultComparisonPrompts(d.comparisons, d.prompts),
        d.responsesPerPrompt, d.prompts, d.topics, d.seed);
    String export = outDir.resolve("polis-export").toAbsolutePath().toString();
    out().println("1. synth: a synthetic deliberation with known groups, comparisons and prompts");
    run(Progress.to(out()), new SynthJob(), new SynthJob.Options(params, export));
    out().println("2. ingest polis: the same conversation read back from its Polis export");
    IngestReport report = run(new PolisIngest(), new PolisIngest.Options(export, "demo-polis"));
    report.print(out());
    out().println("3. opinions: groups (latent classes), consensus, representativeness, bridging, routing");
    OpinionsJob.Result opinions = run(Progress.to(out()), new OpinionsJob(), OpinionsJob.Options.of("demo", OpinionsConfig.from(config()))
        .withGroups(OpinionsJob.Groups.computed).withMethod(OpinionsJob.Method.latent).withSeed(d.seed));
    out().printf("  %,d participants (%,d in conversation), groups %s; Polis consensus %s; bridging %s%n",
        opinions.participants(), opinions.inConversation(), opinions.groupSizes(), opinions.consensusAgree(),
        opinions.topBridging());
    out().println("4. weights: the participants raked to population margins (age, gender, education)");
    Path margins = outDir.resolve("margins.csv").toAbsolutePath();
    try {
      Files.createDirectories(outDir);
      Files.writeString(margins, "dimension,value,share\n"
          + "age_bracket,18-29,0.20\nage_bracket,30-44,0.25\nage_bracket,45-59,0.26\nage_bracket,60+,0.29\n"
          + "gender,female,0.51\ngender,male,0.48\ngender,other,0.01\n"
          + "education,secondary,0.62\neducation,tertiary,0.38\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    WeightsJob.Result w = run(new WeightsJob(), WeightsJob.Options.of(margins.toString(), "demo"));
    out().printf("  %,d participants, %s after %d sweeps; design effect %.3f, effective sample size %,.0f%n",
        w.participants(), w.raking().converged() ? "converged" : "NOT converged", w.raking().sweeps(),
        w.designEffect(), w.effectiveSampleSize());
    out().println("5. panel: LEXIMIN selection of 40 from a synthetic 400-person volunteer pool, vs LEGACY");
    SyntheticPool.generate(400, 40, 3, 3, d.seed).write(tables(), "demo-pool");
    PanelJob.Result panel = run(new PanelJob(), PanelJob.Options.of("demo-pool", 40, PanelConfig.from(config())).withMethod(PanelJob.Method.LEXIMIN).withSeed(d.seed).withLegacyDraws(2000));
    run(new PanelJob(), PanelJob.Options.of("demo-pool", 40, PanelConfig.from(config())).withMethod(PanelJob.Method.LEGACY).withSeed(d.seed).withLegacyDraws(2000));
    out().printf("  %d types; minimum probability LEXIMIN %.4f vs LEGACY %.4f; Gini %.1f%% vs %.1f%%; drawn panel of "
        + "%d meets every quota%n", panel.types(), panel.stats().min(), panel.legacy().stats().min(),
        100 * panel.stats().gini(), 100 * panel.legacy().stats().gini(), panel.panel().size());
    out().println("6. aggregate: the comparisons under every method, weighted, per opinion group, 20 bootstrap draws");
    AggregateJob.Result agg = run(new AggregateJob(), AggregateJob.Options.of("demo").withPopulation("demo").withGroupsFrom("demo").withBootstrap(20).withBtPrior(0).withSeed(d.seed));
    DoubleSummaryStatistics tau = agg.comparison().stream().filter(r -> !r.isNullAt(3))
        .mapToDouble(r -> r.getDouble(3)).summaryStatistics();
    out().printf("  %,d comparisons over %,d prompts; Kendall tau between methods %.2f..%.2f; the group BT "
        + "honours least: %s%n", agg.comparisons(), agg.prompts(), tau.getMin(), tau.getMax(),
        AggregateJob.worst(agg.honoured().get("bt")));
    out().println("7. policy: the statements every opinion group agrees with (share > 0.6 in each group), versioned");
    PolicyJob.Result policy = run(new PolicyJob(), PolicyJob.Options.of("demo", PolicyRule.BOTH_GROUPS)
        .withThreshold(0.6));
    out().printf("  version %d: %d rules from %d accepted statements%s; %s/policy.md%n", policy.policy().version(),
        policy.policy().rules().size(), policy.policy().candidates(), policy.diff() == null ? ""
            : String.format("; since version %d: %d added, %d removed, %d changed", policy.diff().previousVersion(),
                policy.diff().added().size(), policy.diff().removed().size(), policy.diff().changed().size()),
        policy.outDir());
    out().println("8. reward train: a reward model from the comparisons' majority labels (DJL, PyTorch, CPU)");
    String modelDir = outDir.resolve("reward-model").toAbsolutePath().toString();
    RewardJob.TrainResult rm = run(new RewardTrainJob(), RewardTrainJob.Options.of("demo", modelDir)
        .with(RewardJob.TrainOptions.DEFAULT.withBootstrap(100)));
    Row all = rm.eval().stream().filter(r -> r.getString(3).equals("all")).findFirst().orElse(null);
    out().printf("  model %s: %,d training pairs; %s%n", rm.model().modelId(), rm.trainPairs(), all == null
        ? "no held-out comparison to evaluate on" : String.format(java.util.Locale.ROOT,
            "held-out accuracy %.3f (95%% %.3f-%.3f) vs length baseline %.3f", all.getDouble(4), all.getDouble(6),
            all.getDouble(7), all.getDouble(8)));
    out().println("9. score: every response of the dataset scored on the executors");
    ScoreJob.Result scored = run(new ScoreJob(), ScoreJob.Options.of(modelDir, "demo"));
    out().printf("  %,d responses in %.1f s%n", scored.responses(), scored.seconds());
    out().println("10. shards: Parquet training shards with a manifest and a dataset card");
    String shardsDir = outDir.resolve("shards").toAbsolutePath().toString();
    ShardsJob.Result shards = run(new ShardsJob(), ShardsJob.Options.of("demo", shardsDir).withScoresOf(modelDir));
    out().printf("  %,d labelled pairs -> %s rows; %s%n", shards.pairs(), shards.rows(), shards.manifest());
    out().println("11. prompts: duplicates, topics and policy coverage of the prompt corpus; boundary cases");
    PromptsJob.Result corpus = run(new PromptsJob(), PromptsJob.Options.of("demo-prompts",
        PromptsConfig.from(config())).withClusters(d.topics).withPolicy("demo/" + policy.policyKey()));
    long unexercised = corpus.rules().stream().filter(r -> r.topics().isEmpty()).count();
    out().printf("  %,d prompts: %,d exact and %,d near duplicates; %d topics (%s, ...); %d of %d policy rules "
        + "exercised by some topic%n", corpus.prompts(), corpus.exactDuplicates(), corpus.nearDuplicates(),
        corpus.k(), corpus.topics().stream().filter(t -> t.id() >= 0).findFirst().map(t -> String.join(", ", t.terms()))
            .orElse(""), corpus.rules().size() - unexercised,
        corpus.rules().size());
    PromptsJob.Result cases = run(new PromptsJob(), PromptsJob.Options.of("demo", PromptsConfig.from(config())));
    out().printf("  boundary cases of the comparisons' prompts: %s%n", cases.boundary());
    out().println("12. report: charts of all of it in one self-contained page");
    ReportJob.Result page = run(new ReportJob(), ReportJob.Options.of(outDir.resolve("report").toAbsolutePath()
        .toString()).withConversation("demo").withPopulation("demo").withPool("demo-pool").withDataset("demo")
        .withPrompts("demo-prompts").withShards(shardsDir));
    out().printf("  %d charts in %d sections: %s%n", page.charts(), page.sections().size(), page.file());
    out().println("13. tables:");
    new TablesCommand().print(this);
    out().printf("%nDone in %ds. Query the results, e.g.:%n", Duration.between(start, Instant.now()).toSeconds());
    out().println("  ./chorus sql \"SELECT vote, count(*) FROM input.votes WHERE conversation_id = 'demo' GROUP BY vote\"");
    out().println("  ./chorus sql \"SELECT statement_id, gic, bridging_status FROM derived.statement_stats WHERE "
        + "conversation_id = 'demo' ORDER BY gic DESC LIMIT 5\"");
    out().println("  ./chorus sql \"SELECT metric, dimension, level, value FROM derived.weighting_diagnostics WHERE "
        + "population_id = 'demo'\"");
    out().println("  ./chorus sql \"SELECT * FROM derived.panel_draws WHERE pool_id = 'demo-pool'\"");
    out().println("  ./chorus sql \"SELECT method_a, method_b, kendall_tau, label_flip_share FROM "
        + "derived.method_comparison WHERE dataset_id = 'demo'\"");
    out().println("  ./chorus sql \"SELECT position, rule_id, support, group_support FROM derived.policy_rules WHERE "
        + "conversation_id = 'demo'\"");
    out().println("  ./chorus sql \"SELECT * FROM derived.rm_eval WHERE dataset_id = 'demo'\"");
    out().println("  ./chorus sql \"SELECT kind, cluster_id, rule_id, label, prompts, flag FROM derived.coverage WHERE "
        + "dataset_id = 'demo-prompts'\"");
    out().println("  ./chorus sql \"SELECT reason, count(*) FROM derived.boundary_cases GROUP BY reason\"");
    out().println("  ./chorus sql \"SELECT * FROM parquet.`" + shardsDir + "/data/train-00000-of-00001.parquet` LIMIT 3\"");
    out().println("  ./chorus tables");
    return 0;
  }
}
