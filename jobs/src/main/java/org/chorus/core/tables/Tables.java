package org.chorus.core.tables;

/**
 * Every table of the contract as a typed constant, declared once in {@code schemas/} (one Avro schema per table, a
 * one-line doc per column): jobs write and read tables through these, never through a schema of their own, so a
 * table renamed or dropped in {@code schemas/} fails the build, and {@code TableSchemasTest} checks each table's
 * id, key and partition columns against its columns.
 *
 * <p>One id column per concept: {@code conversation_id}, {@code dataset_id}, {@code pool_id},
 * {@code population_id}; {@code scope} only where a row may belong to any of them (input.participants,
 * input.quarantine, derived.job_runs).
 */
public final class Tables {
  private Tables() {}

  public static final TableSpec PARTICIPANTS = TableSchemas.spec("input.participants");
  public static final TableSpec STATEMENTS = TableSchemas.spec("input.statements");
  public static final TableSpec VOTES = TableSchemas.spec("input.votes");
  public static final TableSpec CONVERSATIONS = TableSchemas.spec("input.conversations");
  public static final TableSpec COMPARISONS = TableSchemas.spec("input.comparisons");
  public static final TableSpec PROMPTS = TableSchemas.spec("input.prompts");
  public static final TableSpec RESPONSES = TableSchemas.spec("input.responses");
  public static final TableSpec RATINGS = TableSchemas.spec("input.ratings");
  public static final TableSpec POOL = TableSchemas.spec("input.pool");
  public static final TableSpec QUOTAS = TableSchemas.spec("input.quotas");
  public static final TableSpec QUARANTINE = TableSchemas.spec("input.quarantine");
  public static final TableSpec TRUTH_PARTICIPANT_GROUPS = TableSchemas.spec("truth.participant_groups");
  public static final TableSpec TRUTH_STATEMENT_PROFILES = TableSchemas.spec("truth.statement_profiles");
  public static final TableSpec TRUTH_ITEM_STRENGTHS = TableSchemas.spec("truth.item_strengths");
  public static final TableSpec TRUTH_PROMPT_LABELS = TableSchemas.spec("truth.prompt_labels");
  public static final TableSpec JOB_RUNS = TableSchemas.spec("derived.job_runs");
  public static final TableSpec ITEM_SCORES = TableSchemas.spec("derived.item_scores");
  public static final TableSpec PAIR_LABELS = TableSchemas.spec("derived.pair_labels");
  public static final TableSpec METHOD_COMPARISON = TableSchemas.spec("derived.method_comparison");
  public static final TableSpec POLICY_RULES = TableSchemas.spec("derived.policy_rules");
  public static final TableSpec PARTICIPANT_WEIGHTS = TableSchemas.spec("derived.participant_weights");
  public static final TableSpec WEIGHTING_DIAGNOSTICS = TableSchemas.spec("derived.weighting_diagnostics");
  public static final TableSpec RM_EVAL = TableSchemas.spec("derived.rm_eval");
  public static final TableSpec RM_SCORES = TableSchemas.spec("derived.rm_scores");
  public static final TableSpec PROMPT_DUPLICATES = TableSchemas.spec("derived.prompt_duplicates");
  public static final TableSpec PROMPT_CLUSTERS = TableSchemas.spec("derived.prompt_clusters");
  public static final TableSpec COVERAGE = TableSchemas.spec("derived.coverage");
  public static final TableSpec BOUNDARY_CASES = TableSchemas.spec("derived.boundary_cases");
  public static final TableSpec PARTICIPANT_GROUPS = TableSchemas.spec("derived.participant_groups");
  public static final TableSpec STATEMENT_STATS = TableSchemas.spec("derived.statement_stats");
  public static final TableSpec GROUP_REPNESS = TableSchemas.spec("derived.group_repness");
  public static final TableSpec PANEL_PROBABILITIES = TableSchemas.spec("derived.panel_probabilities");
  public static final TableSpec PANEL_DRAWS = TableSchemas.spec("derived.panel_draws");
}
