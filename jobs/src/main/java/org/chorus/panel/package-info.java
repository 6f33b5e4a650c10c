/**
 * Fair panel selection from a sortition pool: LEXIMIN and MAXIMIN by column generation, NASH, LEGACY; per-person
 * probabilities and a seeded draw. Jobs: PanelJob, SyntheticPoolJob. docs/panel.md.
 */
package org.chorus.panel;
