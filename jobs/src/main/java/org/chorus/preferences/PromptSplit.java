package org.chorus.preferences;

import java.nio.charset.StandardCharsets;
import org.apache.commons.codec.digest.MurmurHash3;

/**
 * The train/test split of a dataset's prompts: a prompt is in the test split when murmur3_x86_32(prompt_id, seed)
 * mod 100 is below the test percentage. Reward training holds out the test prompts, and the training shards put the
 * same prompts in their test split, so a model trained on the shards is never evaluated on its training prompts.
 */
public record PromptSplit(int testPercent, int seed) implements java.io.Serializable {
  public static final PromptSplit DEFAULT = new PromptSplit(20, 17);

  public boolean isTest(String promptId) {
    byte[] b = promptId.getBytes(StandardCharsets.UTF_8);
    return Math.floorMod(MurmurHash3.hash32x86(b, 0, b.length, seed), 100) < testPercent;
  }
}
