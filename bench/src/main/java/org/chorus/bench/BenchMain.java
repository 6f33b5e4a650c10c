package org.chorus.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/**
 * The benchmark runner behind scripts/benchmark.sh: times the jobs on synthetic data at named sizes in its own
 * warehouse under --work and appends the figures to BENCHMARKS.md. Its own module and jar: benchmarks are not part
 * of the production jar.
 */
@Command(name = "chorus-bench", mixinStandardHelpOptions = true,
    description = "Time the jobs on synthetic data; append to BENCHMARKS.md.")
public final class BenchMain implements Callable<Integer> {
  @Option(names = "--sizes", split = ",", defaultValue = "1M,10M", description = "1M, polis-max (33k x 783 x 2M), 10M, 100M (votes)")
  List<String> sizes;

  @Option(names = "--jobs", split = ",", defaultValue = "synth,ingest", description = "synth, ingest, opinions, "
      + "polis-ari, weights (1M, 10M participants), panel (2000-person pool), aggregate (1M comparisons in one "
      + "prompt, 10M over 1,000 prompts), score (1M, 10M responses by batch size), shards (1M, 10M comparisons), "
      + "prompts (100k, 1M, 10M prompts: dedup + topics)")
  List<String> jobs;

  @Option(names = "--methods", split = ",", defaultValue = "polis,latent", description = "opinions methods to time")
  List<String> methods;

  @Option(names = "--out", defaultValue = "BENCHMARKS.md")
  Path out;

  @Option(names = "--work", defaultValue = "${java.io.tmpdir}/chorus-bench", description = "scratch warehouse")
  Path work;

  @Override
  public Integer call() throws Exception {
    Benchmarks.run(sizes, jobs, methods, out, work);
    return 0;
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new BenchMain()).execute(args));
  }
}
