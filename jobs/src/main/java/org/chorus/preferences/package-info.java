/**
 * Preference-pair logic that the reward and shards capabilities share (as {@code math} holds shared math): the
 * labelled pairs of a dataset ({@link org.chorus.preferences.PreferencePairs}) and the prompt split
 * ({@link org.chorus.preferences.PromptSplit}). Imports no capability.
 */
package org.chorus.preferences;
