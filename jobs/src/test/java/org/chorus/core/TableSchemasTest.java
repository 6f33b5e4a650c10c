package org.chorus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
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
