package org.chorus.core.tables;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.iceberg.Snapshot;
import org.apache.iceberg.Table;
import org.apache.iceberg.spark.Spark3Util;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.DataFrameWriterV2;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.chorus.core.ChorusException;
import org.chorus.core.spark.FaultInjection;
import org.chorus.records.TableContract;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Iceberg tables of one session: created from their schemas on first use, read at a pinned snapshot (recorded
 * as lineage), and replaced one id at a time in a single atomic commit.
 */
public final class ChorusTables {
  private static final Logger LOG = LoggerFactory.getLogger(ChorusTables.class);
  public static final List<String> NAMESPACES = List.of("input", "derived", "truth");
  /** Columns that hold a person's id: {@code forget} deletes their rows. */
  public static final List<String> PERSON_COLUMNS = List.of("participant_id", "rater_id", "person_id");
  /** Person columns and raw text keep no bounds in manifests ({@link TableContract#UNBOUNDED_COLUMNS}). */
  static final List<String> UNBOUNDED_COLUMNS = TableContract.UNBOUNDED_COLUMNS;

  /** Iceberg's session setting that stages a write under this id instead of committing it (tables need wap). */
  static final String WAP_ID = "spark.wap.id";
  static final String WAP_ENABLED = TableContract.WAP_ENABLED;
  static final String METRICS_PREFIX = TableContract.METRICS_PREFIX;

  private final SparkSession spark;
  private final Publisher publisher;

  public ChorusTables(SparkSession spark) {
    this.spark = spark;
    this.publisher = new Publisher(this);
  }

  /** Publishes runs' staged writes together, and finishes those of runs killed while publishing. */
  public Publisher publisher() {
    return publisher;
  }

  public SparkSession spark() {
    return spark;
  }

  /** Creates the table of a schema-defined spec if it does not exist yet. */
  public void ensure(TableSpec spec) {
    ensure(spec.name(), spec.schema(), spec.partitionColumns(), spec.doc());
  }

  /** Creates a table (e.g. a derived table whose schema a job defines) if it does not exist yet. */
  public void ensure(String table, StructType schema, List<String> partitionColumns, String comment) {
    String namespace = table.substring(0, table.indexOf('.'));
    try {
      spark.sql("CREATE NAMESPACE IF NOT EXISTS " + namespace);
    } catch (Exception e) {
      if (!spark.catalog().databaseExists(namespace)) {
        throw e; // not another process creating it at the same moment
      }
    }
    if (exists(table)) {
      evolve(table, schema);
      return;
    }
    StringBuilder ddl = new StringBuilder("CREATE TABLE IF NOT EXISTS ").append(table).append(" (");
    StructField[] fields = schema.fields();
    for (int i = 0; i < fields.length; i++) {
      StructField f = fields[i];
      ddl.append(i == 0 ? "" : ", ").append('`').append(f.name()).append("` ").append(f.dataType().sql());
      if (!f.nullable()) {
        ddl.append(" NOT NULL");
      }
      if (f.getComment().isDefined()) {
        ddl.append(" COMMENT ").append(sqlString(f.getComment().get()));
      }
    }
    ddl.append(") USING iceberg");
    if (!partitionColumns.isEmpty()) {
      ddl.append(" PARTITIONED BY (");
      ddl.append(String.join(", ", partitionColumns.stream().map(c -> "`" + c + "`").toList()));
      ddl.append(')');
    }
    if (comment != null) {
      ddl.append(" COMMENT ").append(sqlString(comment));
    }
    // the properties every creator of a Chorus table uses (the live landing too)
    ddl.append(" TBLPROPERTIES (");
    String sep = "";
    for (Map.Entry<String, String> p : TableContract.properties(List.of(schema.fieldNames())).entrySet()) {
      ddl.append(sep).append(sqlString(p.getKey())).append('=').append(sqlString(p.getValue()));
      sep = ", ";
    }
    ddl.append(')');
    LOG.info("creating table {}", table);
    try {
      spark.sql(ddl.toString());
    } catch (Exception e) {
      if (!exists(table)) {
        throw e;
      }
      evolve(table, schema); // another process created it at the same moment
    }
  }

  /**
   * Adds the columns a newer Chorus writes that an older table lacks (as optional columns: Iceberg schema
   * evolution, no rewrite), so a warehouse survives upgrades. Columns are never dropped or retyped here.
   */
  private void evolve(String table, StructType schema) {
    Table iceberg = load(table);
    // tables made by an older Chorus: staged writes need write-audit-publish on; person columns keep no bounds
    org.apache.iceberg.UpdateProperties update = iceberg.updateProperties();
    boolean changed = false;
    if (!"true".equals(iceberg.properties().get(WAP_ENABLED))) {
      update.set(WAP_ENABLED, "true");
      changed = true;
    }
    for (String c : unbounded(schema)) {
      if (!"none".equals(iceberg.properties().get(METRICS_PREFIX + c))) {
        update.set(METRICS_PREFIX + c, "none");
        changed = true;
      }
    }
    if (changed) {
      update.commit();
    }
    List<String> have = List.of(spark.table(table).columns());
    for (StructField f : schema.fields()) {
      if (!have.contains(f.name())) {
        LOG.info("adding column {} to {}", f.name(), table);
        spark.sql("ALTER TABLE " + table + " ADD COLUMN `" + f.name() + "` " + f.dataType().sql()
            + (f.getComment().isDefined() ? " COMMENT " + sqlString(f.getComment().get()) : ""));
      }
    }
  }

  private static List<String> unbounded(StructType schema) {
    return List.of(schema.fieldNames()).stream().filter(UNBOUNDED_COLUMNS::contains).toList();
  }

  /** The catalog's warehouse location (no trailing slash): where files beside the tables (policies) go. */
  public String warehouse() {
    String catalog = spark.conf().get("spark.sql.defaultCatalog");
    return spark.conf().get("spark.sql.catalog." + catalog + ".warehouse").replaceAll("/+$", "");
  }

  public boolean exists(String table) {
    return spark.catalog().tableExists(table);
  }

  /**
   * Reads a table at its current snapshot and records that snapshot as lineage of the run. A snapshot published by
   * a run still publishing its other tables is read only once that run is complete (see {@link Publisher}).
   */
  public Dataset<Row> read(RunContext run, String table) {
    if (!exists(table)) {
      throw ChorusException.badInput("table %s does not exist yet; run the job that writes it first", table);
    }
    Table iceberg = load(table);
    Snapshot current = iceberg.currentSnapshot();
    if (current != null && publisher.settle(current)) {
      current = load(table).currentSnapshot();
    }
    if (current == null) {
      run.recordRead(table, -1L);
      return spark.table(table);
    }
    run.recordRead(table, current.snapshotId());
    return FaultInjection.wrap(spark.read().option("versionAsOf", String.valueOf(current.snapshotId())).table(table));
  }

  /**
   * What this run wrote to {@code table}, before it is published: the table at the run's last staged snapshot of it
   * (the table as it was, with the write applied), or the current table when the run has not written it.
   */
  public Dataset<Row> readOwn(RunContext run, String table) {
    List<StagedWrite> writes = run.stagedWrites().stream().filter(w -> w.table().equals(table)).toList();
    if (writes.isEmpty()) {
      return read(run, table);
    }
    return spark.read().option("versionAsOf", String.valueOf(writes.get(writes.size() - 1).snapshotId()))
        .table(table);
  }

  /**
   * Replaces the rows of one id with {@code rows} in one atomic commit: readers see the old rows or the new rows,
   * never a mix, and a failure leaves the table as it was.
   */
  public WriteResult replace(RunContext run, TableSpec spec, Dataset<Row> rows, Collection<String> ids) {
    return replaceWhere(run, spec, rows, Where.in(spec.scopeColumn(), ids));
  }

  /**
   * Replaces the rows matching {@code where}, which must select whole partitions. A staging run (see {@link
   * RunContext#staged}) writes the rows as a snapshot that is not current, which {@link Publisher} publishes with the
   * run's other writes; otherwise the write is committed at once.
   */
  public WriteResult replaceWhere(RunContext run, TableSpec spec, Dataset<Row> rows, Where where) {
    ensure(spec);
    Dataset<Row> conformed = FaultInjection.wrap(conform(rows, spec.schema()));
    DataFrameWriterV2<Row> writer = conformed.writeTo(spec.name());
    Map<String, String> properties = new java.util.LinkedHashMap<>(run.commitProperties());
    String wapId = null;
    if (run.staging()) {
      wapId = run.runId() + "/" + spec.name() + "/" + UUID.randomUUID();
      properties.put(Publisher.WHERE, where.encode());
    }
    for (Map.Entry<String, String> p : properties.entrySet()) {
      writer = writer.option("snapshot-property." + p.getKey(), p.getValue());
    }
    Snapshot parent = wapId == null ? null : load(spec.name()).currentSnapshot();
    try {
      if (wapId != null) {
        spark.conf().set(WAP_ID, wapId);
      }
      writer.overwrite(where.column());
    } catch (Exception e) {
      throw new IllegalStateException("write to " + spec.name() + " failed: " + e.getMessage(), e);
    } finally {
      if (wapId != null) {
        spark.conf().unset(WAP_ID);
      }
    }
    if (wapId == null) {
      return lastCommit(spec.name());
    }
    Snapshot staged = stagedSnapshot(load(spec.name()), wapId);
    StagedWrite write = new StagedWrite(spec.name(), staged.snapshotId(), parent == null ? null : parent.snapshotId(),
        where);
    run.addStaged(write);
    Map<String, String> sum = staged.summary();
    return new WriteResult(spec.name(), staged.snapshotId(), num(sum, "added-records"), num(sum, "deleted-records"),
        num(sum, "total-records"), write);
  }

  private static Snapshot stagedSnapshot(Table table, String wapId) {
    for (Snapshot s : table.snapshots()) {
      if (wapId.equals(s.summary().get("wap.id"))) {
        return s;
      }
    }
    throw new IllegalStateException("the staged write " + wapId + " to " + table.name() + " left no snapshot");
  }

  /** Appends {@code rows} in one atomic commit (an append-only table such as the run log). */
  public WriteResult append(RunContext run, TableSpec spec, Dataset<Row> rows) {
    ensure(spec);
    DataFrameWriterV2<Row> writer = conform(rows, spec.schema()).writeTo(spec.name());
    for (Map.Entry<String, String> p : run.commitProperties().entrySet()) {
      writer = writer.option("snapshot-property." + p.getKey(), p.getValue());
    }
    try {
      writer.append();
    } catch (Exception e) {
      throw new IllegalStateException("append to " + spec.name() + " failed: " + e.getMessage(), e);
    }
    return lastCommit(spec.name());
  }

  /**
   * Selects the columns of {@code schema} in its order, casting each; optional columns the frame lacks become null.
   * A column the schema does not have, or a required column the frame lacks, is an error naming it: a column renamed
   * in {@code schemas/} fails the job's tests, never silently writes nulls.
   */
  public static Dataset<Row> conform(Dataset<Row> rows, StructType schema) {
    StructType have = rows.schema();
    List<String> present = List.of(rows.columns());
    List<String> unknown = present.stream().filter(c -> !List.of(schema.fieldNames()).contains(c)).toList();
    List<String> missing = List.of(schema.fields()).stream().filter(f -> !f.nullable() && !present.contains(f.name()))
        .map(StructField::name).toList();
    if (!unknown.isEmpty() || !missing.isEmpty()) {
      throw new IllegalStateException("rows do not fit the table's schema: " + (unknown.isEmpty() ? ""
          : "columns it lacks " + unknown) + (unknown.isEmpty() || missing.isEmpty() ? "" : "; ")
          + (missing.isEmpty() ? "" : "required columns missing " + missing));
    }
    List<Column> cols = new ArrayList<>();
    boolean identity = present.size() == schema.size();
    for (int i = 0; i < schema.size(); i++) {
      StructField f = schema.fields()[i];
      if (present.contains(f.name()) && have.apply(f.name()).dataType().equals(f.dataType())) {
        cols.add(col(f.name()));
        identity &= present.get(i).equals(f.name());
      } else {
        Column c = present.contains(f.name()) ? col(f.name()) : lit(null);
        cols.add(c.cast(f.dataType()).as(f.name()));
        identity = false;
      }
    }
    return identity ? rows : rows.select(cols.toArray(new Column[0]));
  }

  public Table load(String table) {
    try {
      String qualified = table.chars().filter(c -> c == '.').count() == 1
          ? spark.conf().get("spark.sql.defaultCatalog") + "." + table
          : table;
      Table t = Spark3Util.loadIcebergTable(spark, qualified);
      t.refresh();
      return t;
    } catch (Exception e) {
      throw ChorusException.badInput("cannot load table %s: %s", table, e.getMessage());
    }
  }

  public WriteResult lastCommit(String table) {
    Snapshot s = load(table).currentSnapshot();
    if (s == null) {
      return new WriteResult(table, -1, 0, 0, 0);
    }
    Map<String, String> sum = s.summary();
    return new WriteResult(table, s.snapshotId(), num(sum, "added-records"), num(sum, "deleted-records"),
        num(sum, "total-records"));
  }

  /** Tables in the Chorus namespaces that exist now, qualified. */
  public List<String> list() {
    List<String> out = new ArrayList<>();
    for (String ns : NAMESPACES) {
      if (!namespaceExists(ns)) {
        continue;
      }
      List<String> names = new ArrayList<>();
      for (Row r : spark.sql("SHOW TABLES IN " + ns).collectAsList()) {
        names.add(ns + "." + r.getString(r.fieldIndex("tableName")));
      }
      names.sort(null);
      out.addAll(names);
    }
    return out;
  }

  private boolean namespaceExists(String ns) {
    try {
      return spark.catalog().databaseExists(ns);
    } catch (Exception e) {
      return false;
    }
  }

  static long num(Map<String, String> summary, String key) {
    String v = summary.get(key);
    return v == null ? 0L : Long.parseLong(v);
  }

  private static String sqlString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
