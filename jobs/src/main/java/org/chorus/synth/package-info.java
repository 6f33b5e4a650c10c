/**
 * Synthetic deliberations with known ground truth (latent groups, statement profiles, item strengths, planted prompt
 * topics and duplicates) in input.* and truth.*. Job: SynthJob; model: SynthModel.
 */
package org.chorus.synth;
