package org.chorus.cli;

import java.util.List;
import java.util.Map;
import org.chorus.reward.RewardJob;
import org.chorus.shards.ShardsJob;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus shards}: preference pairs as Parquet training shards with a manifest and a dataset card. */
@Command(name = "shards", description = "Write a dataset's preference pairs as Parquet training shards (Hugging Face "
    + "layout, manifest.json, README.md), decontaminated against evaluation sets.")
final class ShardsCommand extends BaseCommand {
  @Option(names = "--dataset", required = true, paramLabel = "ID") String dataset;

  @Option(names = "--out", required = true, paramLabel = "DIR") String out;

  @Option(names = "--method", paramLabel = "M",
      description = "labels: the comparisons' majority (default), maxmin (pairs every group agrees on), or an "
          + "aggregation method's labels from derived.pair_labels")
  String method;

  @Option(names = "--exclude", paramLabel = "FILE", split = ",",
      description = "evaluation sets (JSONL, .gz ok, or Parquet) whose prompts must not appear (repeatable)")
  List<String> exclude = List.of();

  @Option(names = "--near-threshold", defaultValue = "0.8", paramLabel = "J",
      description = "word 3-gram Jaccard at or above which a prompt is a near match (default: ${DEFAULT-VALUE})")
  double nearThreshold;

  @Option(names = "--shard-rows", defaultValue = "100000", paramLabel = "N") long shardRows;

  @Option(names = "--test-percent", defaultValue = "20", paramLabel = "P") int testPercent;

  @Option(names = "--model", paramLabel = "DIR", description = "add chosen_score and rejected_score from this model")
  String model;

  @Override
  public Integer call() {
    ShardsJob.Result r = ShardsJob.run(tables(), dataset, out, new ShardsJob.Options(method, exclude, nearThreshold,
        shardRows, new RewardJob.Split(testPercent, RewardJob.Split.DEFAULT.seed()), model));
    out().printf("shards %s: %,d labelled pairs; %,d duplicates dropped; %,d exact and %,d near matches of %,d "
        + "evaluation prompts dropped%n", dataset, r.pairs(), r.duplicates(), r.excludedExact(), r.excludedNear(),
        r.evalPrompts());
    for (Map.Entry<String, Long> e : r.rows().entrySet()) {
      out().printf("  %-5s %,d rows in %d files%n", e.getKey(), e.getValue(), r.files().get(e.getKey()));
    }
    out().println("  " + r.manifest());
    return 0;
  }
}
