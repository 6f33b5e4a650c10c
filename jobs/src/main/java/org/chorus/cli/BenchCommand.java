package org.chorus.cli;

import java.nio.file.Path;
import java.util.List;
import org.chorus.bench.Benchmarks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus bench}: the benchmark runner behind scripts/benchmark.sh (its own warehouse under --work). */
@Command(name = "bench", hidden = true, description = "Time the jobs on synthetic data; append to BENCHMARKS.md.")
final class BenchCommand extends BaseCommand {
  @Option(names = "--sizes", split = ",", defaultValue = "1M,10M", description = "1M, polis-max (33k x 783 x 2M), 10M, 100M (votes)")
  List<String> sizes;

  @Option(names = "--jobs", split = ",", defaultValue = "synth,ingest", description = "synth, ingest, opinions, "
      + "polis-ari, weights (1M, 10M participants), panel (2000-person pool), aggregate (1M comparisons in one "
      + "prompt, 10M over 1,000 prompts), score (1M, 10M responses by batch size), shards (1M, 10M comparisons), prompts (100k, 1M, 10M "
      + "prompts: dedup + topics)")
  List<String> jobs;

  @Option(names = "--methods", split = ",", defaultValue = "polis,latent", description = "opinions methods to time")
  List<String> methods;

  @Option(names = "--out", defaultValue = "BENCHMARKS.md")
  Path out;

  @Option(names = "--work", defaultValue = "${java.io.tmpdir}/chorus-bench", description = "scratch warehouse")
  Path work;

  @Override
  public Integer call() throws Exception {
    config();
    Benchmarks.run(sizes, jobs, methods, out, work);
    return 0;
  }
}
