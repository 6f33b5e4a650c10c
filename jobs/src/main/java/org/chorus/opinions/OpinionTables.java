package org.chorus.opinions;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.chorus.core.tables.TableSpec;

/** The derived tables of {@code chorus opinions}, each partitioned by conversation. */
final class OpinionTables {
  private OpinionTables() {}

  static final TableSpec PARTICIPANT_GROUPS = spec("derived.participant_groups", new StructType()
      .add("conversation_id", DataTypes.StringType, false)
      .add("participant_id", DataTypes.StringType, false)
      .add("group_id", DataTypes.IntegerType, true)
      .add("x", DataTypes.DoubleType, true)
      .add("y", DataTypes.DoubleType, true)
      .add("in_conv", DataTypes.BooleanType, false)
      .add("n_votes", DataTypes.IntegerType, false)
      .add("method", DataTypes.StringType, false)
      .add("bridging_intercept", DataTypes.DoubleType, true)
      .add("bridging_factor", DataTypes.DoubleType, true),
      List.of("conversation_id", "participant_id"),
      "Each participant's opinion group (null outside the groups), Polis-style 2-D projection and in-conversation flag.");

  static final TableSpec STATEMENT_STATS = spec("derived.statement_stats", new StructType()
      .add("conversation_id", DataTypes.StringType, false)
      .add("statement_id", DataTypes.LongType, false)
      .add("moderated", DataTypes.IntegerType, false)
      .add("is_meta", DataTypes.BooleanType, false)
      .add("n_agree", DataTypes.LongType, false)
      .add("n_disagree", DataTypes.LongType, false)
      .add("n_pass", DataTypes.LongType, false)
      .add("group_agree", DataTypes.createMapType(DataTypes.IntegerType, DataTypes.LongType, false), false)
      .add("group_disagree", DataTypes.createMapType(DataTypes.IntegerType, DataTypes.LongType, false), false)
      .add("group_pass", DataTypes.createMapType(DataTypes.IntegerType, DataTypes.LongType, false), false)
      .add("gic", DataTypes.DoubleType, false)
      .add("extremity", DataTypes.DoubleType, false)
      .add("priority", DataTypes.DoubleType, false)
      .add("consensus_direction", DataTypes.StringType, true)
      .add("consensus_rank", DataTypes.IntegerType, true)
      .add("x", DataTypes.DoubleType, true)
      .add("y", DataTypes.DoubleType, true)
      .add("bridging_intercept", DataTypes.DoubleType, true)
      .add("bridging_factor", DataTypes.DoubleType, true)
      .add("bridging_status", DataTypes.StringType, true)
      .add("bridging_ratings", DataTypes.LongType, true),
      List.of("conversation_id", "statement_id"),
      "Per statement: vote counts overall and per group (maps group_id -> count), group-informed consensus (gic), Polis consensus selection, extremity, routing "
          + "priority, and Community Notes bridging scores.");

  static final TableSpec GROUP_REPNESS = spec("derived.group_repness", new StructType()
      .add("conversation_id", DataTypes.StringType, false)
      .add("group_id", DataTypes.IntegerType, false)
      .add("statement_id", DataTypes.LongType, false)
      .add("direction", DataTypes.StringType, false)
      .add("na", DataTypes.LongType, false)
      .add("nd", DataTypes.LongType, false)
      .add("ns", DataTypes.LongType, false)
      .add("pa", DataTypes.DoubleType, false)
      .add("pat", DataTypes.DoubleType, false)
      .add("ra", DataTypes.DoubleType, false)
      .add("rat", DataTypes.DoubleType, false)
      .add("rank", DataTypes.IntegerType, true),
      List.of("conversation_id", "group_id", "statement_id"),
      "Polis representativeness of every statement for every group, in the direction Polis picks (pa/pat/ra/rat "
          + "are the disagree statistics when direction = disagree); rank 1..5 marks Polis's selection.");

  private static TableSpec spec(String name, StructType schema, List<String> keys, String doc) {
    return new TableSpec(name, schema, "conversation_id", List.of("conversation_id"), keys, Map.of(), doc);
  }
}
