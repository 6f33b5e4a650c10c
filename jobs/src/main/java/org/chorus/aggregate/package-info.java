/**
 * Preference aggregation under many social-choice methods side by side, weighted and per group, with bootstrap
 * intervals and a comparison of the methods. Job: AggregateJob; math: Election and its methods. docs/aggregate.md.
 */
package org.chorus.aggregate;
