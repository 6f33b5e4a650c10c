/**
 * The opinion landscape of a conversation: Polis's in-conversation rule, sparse PCA, groups (latent classes or
 * Polis's k-means), group-informed consensus, repness, routing priority, Community Notes bridging. Job: OpinionsJob.
 * docs/opinions.md.
 */
package org.chorus.opinions;
