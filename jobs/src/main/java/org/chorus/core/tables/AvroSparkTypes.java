package org.chorus.core.tables;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * Derives Spark types from Avro schemas, so a table's columns are written once (in {@code schemas/}).
 * A field is nullable exactly when its Avro type is a union with null; documentation becomes column comments.
 */
public final class AvroSparkTypes {
  private AvroSparkTypes() {}

  public static StructType structOf(Schema record) {
    if (record.getType() != Schema.Type.RECORD) {
      throw new IllegalArgumentException("expected an Avro record, got " + record.getType());
    }
    List<StructField> fields = new ArrayList<>();
    for (Schema.Field f : record.getFields()) {
      Schema s = f.schema();
      boolean nullable = false;
      if (s.getType() == Schema.Type.UNION) {
        List<Schema> nonNull = new ArrayList<>();
        for (Schema branch : s.getTypes()) {
          if (branch.getType() == Schema.Type.NULL) {
            nullable = true;
          } else {
            nonNull.add(branch);
          }
        }
        if (nonNull.size() != 1) {
          throw new IllegalArgumentException("field " + f.name() + ": only unions of null and one type are supported");
        }
        s = nonNull.get(0);
      }
      StructField field = DataTypes.createStructField(f.name(), typeOf(s, f.name()), nullable);
      if (f.doc() != null) {
        field = field.withComment(f.doc());
      }
      fields.add(field);
    }
    return DataTypes.createStructType(fields);
  }

  /**
   * A map's key type: Avro map keys are strings; {@code "chorus.keyType": "int"} (or "long") on the map schema makes
   * them integers in Spark (group ids).
   */
  static DataType keyTypeOf(Schema map, String name) {
    String key = map.getProp("chorus.keyType");
    if (key == null || key.equals("string")) {
      return DataTypes.StringType;
    }
    return switch (key) {
      case "int" -> DataTypes.IntegerType;
      case "long" -> DataTypes.LongType;
      default -> throw new IllegalArgumentException("field " + name + ": unsupported chorus.keyType " + key);
    };
  }

  static boolean isNullable(Schema s) {
    return s.getType() == Schema.Type.UNION && s.getTypes().stream().anyMatch(b -> b.getType() == Schema.Type.NULL);
  }

  /** The one non-null branch of a union with null; any other schema as it is. */
  static Schema nonNull(Schema s) {
    if (s.getType() != Schema.Type.UNION) {
      return s;
    }
    List<Schema> branches = s.getTypes().stream().filter(b -> b.getType() != Schema.Type.NULL).toList();
    if (branches.size() != 1) {
      throw new IllegalArgumentException("only unions of null and one type are supported: " + s);
    }
    return branches.get(0);
  }

  static DataType typeOf(Schema s, String name) {
    LogicalType logical = s.getLogicalType();
    if (logical instanceof LogicalTypes.TimestampMicros || logical instanceof LogicalTypes.TimestampMillis) {
      return DataTypes.TimestampType;
    }
    if (logical instanceof LogicalTypes.Date) {
      return DataTypes.DateType;
    }
    switch (s.getType()) {
      case STRING:
      case ENUM:
        return DataTypes.StringType;
      case INT:
        return DataTypes.IntegerType;
      case LONG:
        return DataTypes.LongType;
      case FLOAT:
        return DataTypes.FloatType;
      case DOUBLE:
        return DataTypes.DoubleType;
      case BOOLEAN:
        return DataTypes.BooleanType;
      case BYTES:
      case FIXED:
        return DataTypes.BinaryType;
      case MAP:
        return DataTypes.createMapType(keyTypeOf(s, name), typeOf(nonNull(s.getValueType()), name),
            isNullable(s.getValueType()));
      case ARRAY:
        return DataTypes.createArrayType(typeOf(nonNull(s.getElementType()), name), isNullable(s.getElementType()));
      case RECORD:
        return structOf(s);
      default:
        throw new IllegalArgumentException("field " + name + ": unsupported Avro type " + s.getType());
    }
  }
}
