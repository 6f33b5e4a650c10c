/**
 * Raking weights to population margins with survey diagnostics (Kish design effect, ESS, ASMD); checked against R's
 * survey::rake. Job: WeightsJob; math: Raking. docs/weights.md.
 */
package org.chorus.weights;
