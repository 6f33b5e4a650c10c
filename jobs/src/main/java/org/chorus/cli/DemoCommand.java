package org.chorus.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.chorus.core.config.SynthConfig;
import org.chorus.ingest.IngestReport;
import org.chorus.ingest.PolisIngest;
import org.chorus.opinions.OpinionsJob;
import org.chorus.synth.SynthJob;
import org.chorus.synth.SynthParams;
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
    SynthConfig d = config().demo;
    out().printf("Chorus demo: warehouse %s%n", config().warehouseLocation());
    SynthParams params = new SynthParams("demo", "demo", "demo-prompts", d.participants, d.statements, d.groups,
        d.votesPerParticipant, d.comparisons, SynthParams.defaultComparisonPrompts(d.comparisons, d.prompts),
        d.responsesPerPrompt, d.prompts, d.topics, d.seed);
    String export = outDir.resolve("polis-export").toAbsolutePath().toString();
    out().println("1. synth: a synthetic deliberation with known groups, comparisons and prompts");
    SynthJob.run(tables(), params, export, out());
    out().println("2. ingest polis: the same conversation read back from its Polis export");
    IngestReport report = PolisIngest.run(tables(), config(), export, "demo-polis");
    report.print(out());
    out().println("3. opinions: groups (latent classes), consensus, representativeness, bridging, routing");
    OpinionsJob.Result opinions = OpinionsJob.run(tables(), new OpinionsJob.Options("demo", OpinionsJob.Groups.computed,
        OpinionsJob.Method.latent, 8, d.seed), out());
    out().printf("  %,d participants (%,d in conversation), groups %s; Polis consensus %s; bridging %s%n",
        opinions.participants(), opinions.inConversation(), opinions.groupSizes(), opinions.consensusAgree(),
        opinions.topBridging());
    out().println("4. tables:");
    new TablesCommand().print(this);
    out().printf("%nDone in %ds. Query the results, e.g.:%n", Duration.between(start, Instant.now()).toSeconds());
    out().println("  ./chorus sql \"SELECT vote, count(*) FROM input.votes WHERE conversation_id = 'demo' GROUP BY vote\"");
    out().println("  ./chorus sql \"SELECT statement_id, gic, bridging_status FROM derived.statement_stats WHERE "
        + "conversation_id = 'demo' ORDER BY gic DESC LIMIT 5\"");
    out().println("  ./chorus tables");
    return 0;
  }
}
