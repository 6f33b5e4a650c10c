package org.chorus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;
import org.junit.jupiter.api.Test;

class TableSchemasTest {
  @Test
  void everyInputTableOfTheDesignHasADocumentedSchema() {
    for (String t : List.of("participants", "statements", "votes", "comparisons", "prompts", "ratings", "responses",
        "pool", "quotas", "quarantine")) {
      TableSpec spec = TableSchemas.input(t);
      assertThat(spec.doc()).as(t).isNotBlank();
      assertThat(spec.hasColumn(spec.scopeColumn())).as(t).isTrue();
      assertThat(spec.partitionColumns()).as(t).contains(spec.scopeColumn());
      for (StructField f : spec.schema().fields()) {
        assertThat(f.getComment().isDefined()).as(t + "." + f.name() + " documented").isTrue();
      }
      for (String k : spec.keyColumns()) {
        assertThat(spec.hasColumn(k)).as(t + " key " + k).isTrue();
      }
    }
  }

  @Test
  void everyDerivedTableIsDeclaredInSchemasWithOneIdColumnPerConcept() {
    List<String> derived = TableSchemas.all().keySet().stream().filter(t -> t.startsWith("derived.")).toList();
    assertThat(derived).contains("derived.participant_groups", "derived.statement_stats", "derived.group_repness",
        "derived.participant_weights", "derived.weighting_diagnostics", "derived.panel_probabilities",
        "derived.panel_draws", "derived.item_scores", "derived.pair_labels", "derived.method_comparison",
        "derived.policy_rules", "derived.rm_eval", "derived.rm_scores", "derived.prompt_duplicates",
        "derived.prompt_clusters", "derived.coverage", "derived.boundary_cases", "derived.job_runs");
    // the id a row belongs to has one name per concept; scope only where a row may belong to any of them
    Set<String> ids = Set.of("conversation_id", "dataset_id", "pool_id", "population_id");
    Set<String> anyKind = Set.of("input.participants", "input.quarantine", "derived.job_runs");
    for (TableSpec spec : TableSchemas.all().values()) {
      String t = spec.name();
      assertThat(spec.doc()).as(t).isNotBlank();
      assertThat(spec.hasColumn(spec.scopeColumn())).as(t + " id column").isTrue();
      assertThat(spec.partitionColumns()).as(t).contains(spec.scopeColumn());
      spec.partitionColumns().forEach(c -> assertThat(spec.hasColumn(c)).as(t + " partition " + c).isTrue());
      spec.keyColumns().forEach(c -> assertThat(spec.hasColumn(c)).as(t + " key " + c).isTrue());
      for (StructField f : spec.schema().fields()) {
        assertThat(f.getComment().isDefined() && !f.getComment().get().isBlank()).as(t + "." + f.name() + " documented")
            .isTrue();
      }
      if (anyKind.contains(t)) {
        assertThat(spec.scopeColumn()).as(t).isIn("scope", "job");
      } else if (!t.startsWith("truth.")) {
        assertThat(spec.scopeColumn()).as(t).isIn(ids);
        assertThat(spec.hasColumn("scope")).as(t + " has no second name for its id").isFalse();
      }
    }
  }

  @Test
  void derivedSchemasKeepTheirSparkTypes() {
    TableSpec stats = TableSchemas.spec("derived.statement_stats");
    assertThat(stats.schema().apply("group_agree").dataType())
        .isEqualTo(DataTypes.createMapType(DataTypes.IntegerType, DataTypes.LongType, false));
    assertThat(stats.schema().apply("gic").nullable()).isFalse();
    assertThat(TableSchemas.spec("derived.method_comparison").schema().apply("honoured_a").dataType())
        .isEqualTo(DataTypes.createMapType(DataTypes.StringType, DataTypes.DoubleType, true));
    assertThat(TableSchemas.spec("derived.policy_rules").schema().apply("statement_ids").dataType())
        .isEqualTo(DataTypes.createArrayType(DataTypes.LongType, false));
    assertThat(TableSchemas.spec("derived.rm_scores").schema().apply("score").dataType())
        .isEqualTo(DataTypes.FloatType);
    assertThat(TableSchemas.spec("derived.panel_probabilities").partitionColumns())
        .containsExactly("pool_id", "method");
  }

  @Test
  void sparkTypesAreDerivedFromAvro() {
    TableSpec votes = TableSchemas.input("votes");
    assertThat(votes.schema().fieldNames())
        .containsExactly("conversation_id", "participant_id", "statement_id", "vote", "voted_at");
    assertThat(votes.schema().apply("statement_id").dataType()).isEqualTo(DataTypes.LongType);
    assertThat(votes.schema().apply("statement_id").nullable()).isFalse();
    assertThat(votes.schema().apply("voted_at").dataType()).isEqualTo(DataTypes.TimestampType);
    assertThat(votes.schema().apply("voted_at").nullable()).isTrue();
    assertThat(votes.allowedValues()).containsEntry("vote", List.of("-1", "0", "1"));
    assertThat(TableSchemas.input("participants").schema().apply("attributes").dataType())
        .isEqualTo(DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false));
    assertThat(TableSchemas.input("quarantine").partitionColumns()).containsExactly("scope", "target_table");
  }

  @Test
  void unknownTableIsBadInput() {
    assertThatThrownBy(() -> TableSchemas.spec("input.nope"))
        .isInstanceOf(ChorusException.class)
        .hasMessageStartingWith("unknown table 'input.nope'")
        .satisfies(e -> assertThat(((ChorusException) e).exitCode()).isEqualTo(3));
  }
}
