package org.chorus.core.tables;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.types.StructType;

/**
 * A table of the contract: its qualified name ({@code input.votes}), Spark schema, the id column that scopes
 * reruns ({@code conversation_id}, {@code dataset_id}, {@code pool_id}, {@code scope}) and its partition columns.
 */
public record TableSpec(String name, StructType schema, String scopeColumn, List<String> partitionColumns,
    List<String> keyColumns, Map<String, List<String>> allowedValues, String doc) implements Serializable {

  public String namespace() {
    return name.substring(0, name.indexOf('.'));
  }

  public String shortName() {
    return name.substring(name.indexOf('.') + 1);
  }

  public boolean hasColumn(String column) {
    return List.of(schema.fieldNames()).contains(column);
  }
}
