/**
 * Consensus statements compiled into a versioned policy (derived.policy_rules, policy.json, policy.md) with a diff
 * between versions. Job: PolicyJob. docs/policy.md.
 */
package org.chorus.policy;
