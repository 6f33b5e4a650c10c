package org.chorus.shards;

import java.util.List;
import org.chorus.core.config.ChorusConfig;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobCommand;
import org.chorus.preferences.PromptSplit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code chorus shards}: preference pairs as Parquet training shards with a manifest and a dataset card. */
@Command(name = "shards", description = "Write a dataset's preference pairs as Parquet training shards (Hugging Face "
    + "layout, manifest.json, README.md), decontaminated against evaluation sets.")
public final class ShardsCommand extends JobCommand<ShardsJob.Options, ShardsJob.Result> {
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

  @Option(names = "--raw-ids", description = "publish rater ids as the warehouse holds them (default: pseudonymous "
      + "ids, a keyed hash with the key from CHORUS_PSEUDONYM_KEY)")
  boolean rawIds;

  @Option(names = "--raw-text", description = "publish texts as the warehouse holds them (default: e-mail "
      + "addresses, phone numbers and personal URLs replaced, counted in the manifest)")
  boolean rawText;

  @Option(names = "--shard-rows", defaultValue = "100000", paramLabel = "N") long shardRows;

  @Option(names = "--test-percent", defaultValue = "20", paramLabel = "P") int testPercent;

  @Option(names = "--model", paramLabel = "DIR", description = "add chosen_score and rejected_score of this model from derived.rm_scores (run chorus score "
          + "--model DIR --dataset ID first)")
  String model;

  @Override
  protected Job<ShardsJob.Options, ShardsJob.Result> job() {
    return new ShardsJob();
  }

  @Override
  protected ShardsJob.Options options(ChorusConfig config) {
    return ShardsJob.Options.of(dataset, out).withMethod(method).withExclude(exclude, nearThreshold)
        .withShardRows(shardRows).withSplit(new PromptSplit(testPercent, PromptSplit.DEFAULT.seed()))
        .withScoresOf(model).withRawIds(rawIds).withRawText(rawText);
  }
}
