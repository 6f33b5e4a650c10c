/**
 * Reward models: trained from pair labels with DJL (PyTorch), evaluated per group, and scoring every response on the
 * executors. Jobs: RewardTrainJob, RewardEvalJob, ScoreJob. docs/reward.md.
 */
package org.chorus.reward;
