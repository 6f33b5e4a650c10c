/**
 * Preference pairs as Parquet training shards in the Hugging Face layout with a manifest and a dataset card,
 * deduplicated and decontaminated. Job: ShardsJob. docs/shards.md.
 */
package org.chorus.shards;
