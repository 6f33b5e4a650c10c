package org.chorus.landing;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema.Field;
import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.catalog.Namespace;
import org.apache.iceberg.catalog.SupportsNamespaces;
import org.apache.iceberg.catalog.TableIdentifier;
import org.apache.iceberg.exceptions.AlreadyExistsException;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.chorus.records.TableContract;

/**
 * The Iceberg catalog the batch jobs use, opened without Spark: a Hadoop catalog on the warehouse (the embedded
 * default) or a JDBC catalog named {@code chorus}. Tables missing are created from the shared Avro schemas with the
 * shared properties ({@link TableContract}), as Spark's jobs create them.
 */
final class LandingTables implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The catalog name Spark's jobs use; a JDBC catalog keys its tables by it. */
  static final String CATALOG_NAME = "chorus";

  private final String warehouse;
  private final String jdbcUri;
  private final String jdbcUser;
  private final String jdbcPassword;

  LandingTables(String warehouse, String jdbcUri, String jdbcUser, String jdbcPassword) {
    this.warehouse = warehouse;
    this.jdbcUri = jdbcUri;
    this.jdbcUser = jdbcUser;
    this.jdbcPassword = jdbcPassword;
  }

  Catalog open() {
    Map<String, String> props = new HashMap<>();
    props.put(CatalogProperties.WAREHOUSE_LOCATION, warehouse);
    String impl = "org.apache.iceberg.hadoop.HadoopCatalog";
    if (jdbcUri != null && !jdbcUri.isBlank()) {
      impl = "org.apache.iceberg.jdbc.JdbcCatalog";
      props.put(CatalogProperties.URI, jdbcUri);
      if (jdbcUser != null && !jdbcUser.isBlank()) {
        props.put("jdbc.user", jdbcUser);
      }
      if (jdbcPassword != null && !jdbcPassword.isBlank()) {
        props.put("jdbc.password", jdbcPassword);
      }
    }
    return CatalogUtil.loadCatalog(impl, CATALOG_NAME, props, new Configuration());
  }

  /** The table, created from its Avro schema when missing (another creator at the same moment is fine). */
  static Table ensure(Catalog catalog, String name) {
    TableIdentifier id = TableIdentifier.parse(name);
    if (catalog.tableExists(id)) {
      return catalog.loadTable(id);
    }
    if (catalog instanceof SupportsNamespaces ns && !ns.namespaceExists(id.namespace())) {
      try {
        ns.createNamespace(Namespace.of(id.namespace().levels()));
      } catch (AlreadyExistsException e) {
        // created by another process meanwhile
      }
    }
    org.apache.avro.Schema avro = new org.apache.avro.Schema.Parser().parse(TableContract.avsc(name));
    Schema schema = schema(avro);
    PartitionSpec.Builder spec = PartitionSpec.builderFor(schema);
    for (String column : partitionColumns(avro)) {
      spec.identity(column);
    }
    List<String> columns = schema.columns().stream().map(Types.NestedField::name).toList();
    try {
      return catalog.buildTable(id, schema).withPartitionSpec(spec.build())
          .withProperties(TableContract.properties(columns)).create();
    } catch (AlreadyExistsException e) {
      return catalog.loadTable(id);
    }
  }

  /** Partition columns as Spark's jobs use them: {@code chorus.partition}, else the scope column. */
  static List<String> partitionColumns(org.apache.avro.Schema avro) {
    Object partition = avro.getObjectProp("chorus.partition");
    List<String> out = new ArrayList<>();
    if (partition instanceof List<?> list) {
      list.forEach(p -> out.add(String.valueOf(p)));
    } else if (avro.getProp("chorus.scope") != null) {
      out.add(avro.getProp("chorus.scope"));
    }
    return out;
  }

  /** Avro record → Iceberg schema, as Spark maps the same Avro: timestamp-micros is a timestamp with zone. */
  static Schema schema(org.apache.avro.Schema avro) {
    List<Types.NestedField> fields = new ArrayList<>();
    int id = 1;
    for (Field f : avro.getFields()) {
      org.apache.avro.Schema t = f.schema();
      boolean optional = false;
      if (t.getType() == org.apache.avro.Schema.Type.UNION) {
        optional = t.getTypes().stream().anyMatch(s -> s.getType() == org.apache.avro.Schema.Type.NULL);
        t = t.getTypes().stream().filter(s -> s.getType() != org.apache.avro.Schema.Type.NULL).findFirst()
            .orElseThrow();
      }
      Type type = type(t, f.name());
      fields.add(optional ? Types.NestedField.optional(id++, f.name(), type, f.doc())
          : Types.NestedField.required(id++, f.name(), type, f.doc()));
    }
    return new Schema(fields);
  }

  private static Type type(org.apache.avro.Schema t, String name) {
    if (t.getLogicalType() instanceof LogicalTypes.TimestampMicros
        || t.getLogicalType() instanceof LogicalTypes.TimestampMillis) {
      return Types.TimestampType.withZone();
    }
    return switch (t.getType()) {
      case STRING -> Types.StringType.get();
      case LONG -> Types.LongType.get();
      case INT -> Types.IntegerType.get();
      case DOUBLE -> Types.DoubleType.get();
      case FLOAT -> Types.FloatType.get();
      case BOOLEAN -> Types.BooleanType.get();
      default -> throw new IllegalArgumentException("column " + name + ": Avro type " + t.getType()
          + " has no landing mapping");
    };
  }
}
