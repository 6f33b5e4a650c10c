/**
 * Prompt corpus curation: exact and near duplicates, topics, coverage of a policy's rules, boundary cases. Job:
 * PromptsJob. docs/prompts.md.
 */
package org.chorus.prompts;
