package org.chorus.landing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.PartitionKey;
import org.apache.iceberg.RowDelta;
import org.apache.iceberg.Table;
import org.apache.iceberg.Transaction;
import org.apache.iceberg.catalog.Catalog;
import org.apache.iceberg.data.GenericFileWriterFactory;
import org.apache.iceberg.data.GenericRecord;
import org.apache.iceberg.data.Record;
import org.apache.iceberg.deletes.PositionDelete;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.exceptions.CommitFailedException;
import org.apache.iceberg.exceptions.ValidationException;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.io.OutputFileFactory;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commits one interval of events to the input tables, exactly once: statements, then votes, then comparisons, then
 * input.quarantine, each table in one Iceberg transaction that holds its rows and its Kafka offsets ({@link
 * Watermarks}). After a restart an event is skipped by every table whose offsets already pass it.
 *
 * <p>Keys follow batch ingest. Votes: the latest vote per (conversation, participant, statement) wins (by time, then
 * arrival); the row it replaces is removed by a position delete, so a key has one row. Statements and comparisons:
 * the first row per key stays; the same event again is a duplicate (counted), a different one with the same key is
 * quarantined as a duplicate key, as batch ingest does. A vote on a statement the conversation does not have is
 * quarantined ("vote on unknown statement N"); statements commit first, so one that arrived in the same interval
 * counts.
 */
final class Committer {
  private static final Logger LOG = LoggerFactory.getLogger(Committer.class);
  static final String VOTES = "input.votes";
  static final String STATEMENTS = "input.statements";
  static final String COMPARISONS = "input.comparisons";
  static final String QUARANTINE = "input.quarantine";
  static final List<String> TABLES = List.of(STATEMENTS, VOTES, COMPARISONS, QUARANTINE);
  /** Raw text kept in input.quarantine is cut at this length, as in batch ingest. */
  static final int RAW_MAX_CHARS = 1 << 20;

  /**
   * What one interval did with the records it read (and the waiting votes it retried). Landed: rows written (votes:
   * those still current at the end of the interval; {@code replaced} rows already in the table were removed for
   * them). Superseded: votes older than, or replaced within the interval by, a later vote of the same key.
   * Duplicates: a record whose row (or quarantine entry) the tables already hold, e.g. read again after a restart.
   * Parked: votes whose statement has not landed yet, retried next interval.
   */
  record Result(long read, long landed, long superseded, long duplicates, long quarantined, long parked,
      long replaced, long medianLagMillis, long maxLagMillis) {}

  private record VoteKey(String participant, long statement) {}

  /** Where the current row of a key is, and its order (time, then arrival: live after loaded). */
  private static final class Loc {
    final long time;
    final Object vote;
    String file;
    long pos;
    LandingEvent pending;

    Loc(long time, Object vote, String file, long pos) {
      this.time = time;
      this.vote = vote;
      this.file = file;
      this.pos = pos;
    }
  }

  private final Catalog catalog;
  private final String group;
  /** Per topic partition: the offset below which every record is handled (resume point), and handled ones above. */
  private final Map<String, Long> marks;
  private final Map<String, java.util.TreeSet<Long>> handledAbove = new HashMap<>();
  /** Votes on statements not landed yet (topics race): retried each interval, quarantined after statementWait. */
  private final Map<LandingEvent, Long> parked = new LinkedHashMap<>();
  private final long statementWaitMillis;
  private final Map<String, Set<String>> quarantined = new HashMap<>();
  private final Map<String, Map<VoteKey, Loc>> votes = new HashMap<>();
  private final Map<String, Map<Long, String>> statements = new HashMap<>();
  private final Map<String, Map<String, String>> comparisons = new HashMap<>();
  /** The snapshot each table was at after this landing's last look; another writer's commit resets the indexes. */
  private final Map<String, Long> lastSeen = new HashMap<>();
  /** Each table as loaded at the start of this interval (each is committed at most once per interval). */
  private final Map<String, Table> current = new HashMap<>();
  /** The conversations whose votes the current interval replaces (scans for their files stay in them). */
  private final Set<String> touchedConversations = new java.util.HashSet<>();

  /** @param statementWaitMillis how long a vote may wait for its statement before it is quarantined */
  Committer(Catalog catalog, String group, long statementWaitMillis) {
    this.catalog = catalog;
    this.group = group;
    this.statementWaitMillis = statementWaitMillis;
    for (String t : TABLES) {
      LandingTables.ensure(catalog, t);
    }
    this.marks = new HashMap<>(resumeOffsets(catalog, group));
  }

  /**
   * Per topic partition, where reading resumes: every record below it is in the tables (kept with the last table
   * of each interval, input.quarantine). Records above it may be too; they are merged again idempotently.
   */
  static Map<String, Long> resumeOffsets(Catalog catalog, String group) {
    return Watermarks.read(LandingTables.ensure(catalog, QUARANTINE), group);
  }

  /** Votes waiting for their statement now. */
  int waiting() {
    return parked.size();
  }

  Result commit(List<LandingEvent> batch) {
    if (batch.isEmpty() && parked.isEmpty()) {
      return new Result(0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    long started = System.nanoTime();
    List<LandingEvent> events = new ArrayList<>(batch);
    events.addAll(parked.keySet());
    events.sort(Comparator.comparing(LandingEvent::topic).thenComparingInt(LandingEvent::partition)
        .thenComparingLong(LandingEvent::offset));
    Map<LandingEvent, Long> waiting = new LinkedHashMap<>(parked);
    parked.clear();
    long[] counts = new long[6]; // landed, superseded, duplicates, quarantined, parked, replaced
    for (String t : TABLES) {
      forgetIfChanged(t);
    }
    List<LandingEvent> quarantine = new ArrayList<>();
    List<LandingEvent> statementRows = new ArrayList<>();
    for (LandingEvent e : events) {
      if (e.quarantined()) {
        quarantine.add(e);
      } else if (e.table().equals(STATEMENTS)) {
        keyed(statements, e.scope(), STATEMENTS, (Long) e.values()[1], e, statementRows, quarantine, counts,
            "statement_id");
      }
    }
    commitRows(STATEMENTS, statementRows, List.of(), null);
    commitVotes(events, quarantine, waiting, counts);
    List<LandingEvent> comparisonRows = new ArrayList<>();
    for (LandingEvent e : events) {
      if (!e.quarantined() && e.table().equals(COMPARISONS)) {
        keyed(comparisons, e.scope(), COMPARISONS, (String) e.values()[1], e, comparisonRows, quarantine, counts,
            "comparison_id");
      }
    }
    commitRows(COMPARISONS, comparisonRows, List.of(), null);
    List<LandingEvent> quarantineRows = new ArrayList<>();
    for (LandingEvent e : quarantine) {
      Set<String> known = quarantined.computeIfAbsent(e.scope(), this::loadQuarantined);
      if (known.add(e.location())) {
        quarantineRows.add(e);
        counts[3]++;
      } else {
        counts[2]++;
      }
    }
    for (LandingEvent e : events) {
      if (!parked.containsKey(e)) {
        handled(e);
      }
    }
    commitRows(QUARANTINE, quarantineRows, List.of(), Watermarks.encode(marks));
    // lag: from a vote's own time to the end of the commit that made it visible (meaningful for live events)
    long now = System.currentTimeMillis();
    long[] lags = batch.stream().filter(e -> !e.quarantined() && e.table().equals(VOTES) && e.time() != null)
        .mapToLong(e -> now - e.time()).sorted().toArray();
    Result r = new Result(batch.size(), counts[0], counts[1], counts[2], counts[3], counts[4], counts[5],
        lags.length == 0 ? 0 : lags[lags.length / 2], lags.length == 0 ? 0 : lags[lags.length - 1]);
    LOG.info("interval committed: {} records read, {} landed, {} superseded by a later vote, {} duplicates, {} "
        + "quarantined, {} votes waiting for their statement; {} earlier votes replaced; in {} ms", r.read(),
        r.landed(), r.superseded(), r.duplicates(), r.quarantined(), parked.size(), r.replaced(),
        (System.nanoTime() - started) / 1_000_000);
    return r;
  }

  /** Marks a record handled; the resume point moves over every handled offset in a row. */
  private void handled(LandingEvent e) {
    String tp = Watermarks.partitionKey(e.topic(), e.partition());
    long mark = marks.getOrDefault(tp, 0L);
    if (e.offset() < mark) {
      return;
    }
    java.util.TreeSet<Long> above = handledAbove.computeIfAbsent(tp, k -> new java.util.TreeSet<>());
    above.add(e.offset());
    while (above.remove(mark)) {
      mark++;
    }
    marks.put(tp, mark);
  }

  private Set<String> loadQuarantined(String scope) {
    Table t = current.get(QUARANTINE);
    Set<String> out = new java.util.HashSet<>();
    try (var rows = org.apache.iceberg.data.IcebergGenerics.read(t).where(Expressions.and(
        Expressions.equal("scope", scope), Expressions.startsWith("source", "kafka:"))).select("location").build()) {
      for (Record r : rows) {
        out.add((String) r.getField("location"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** First row per key stays; the same row again is a duplicate; a different row with the key is quarantined. */
  private <K> void keyed(Map<String, Map<K, String>> index, String scope, String table, K key, LandingEvent e,
      List<LandingEvent> rows, List<LandingEvent> quarantine, long[] counts, String keyName) {
    Map<K, String> known = index.computeIfAbsent(scope, s -> loadKeys(table, s, keyName));
    String content = content(e.values());
    String existing = known.get(key);
    if (existing == null) {
      known.put(key, content);
      rows.add(e);
      counts[0]++;
    } else if (existing.equals(content)) {
      counts[2]++;
    } else {
      quarantine.add(e.quarantine("duplicate key (" + keyName + ") = (" + key + ")"));
    }
  }

  @SuppressWarnings("unchecked")
  /** A row's content id (64 bits of SHA-256 over its values), to tell the same event from another one. */
  private static String content(Object[] values) {
    String[] parts = new String[values.length];
    for (int i = 0; i < values.length; i++) {
      parts[i] = String.valueOf(values[i]);
    }
    return org.chorus.records.Ids.contentId(parts);
  }

  private <K> Map<K, String> loadKeys(String table, String scope, String keyName) {
    Table t = current.get(table);
    String scopeColumn = table.equals(COMPARISONS) ? "dataset_id" : "conversation_id";
    Map<K, String> out = new HashMap<>();
    try (var rows = org.apache.iceberg.data.IcebergGenerics.read(t).where(Expressions.equal(scopeColumn, scope))
        .build()) {
      for (Record r : rows) {
        Object[] values = new Object[t.schema().columns().size()];
        for (int i = 0; i < values.length; i++) {
          values[i] = fromIceberg(r.get(i));
        }
        out.put((K) r.getField(keyName), content(values));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  private void commitVotes(List<LandingEvent> events, List<LandingEvent> quarantine,
      Map<LandingEvent, Long> waiting, long[] counts) {
    List<PositionDelete<Record>> deletes = new ArrayList<>();
    touchedConversations.clear();
    Map<List<Object>, Loc> touched = new LinkedHashMap<>();
    for (LandingEvent e : events) {
      if (e.quarantined() || !e.table().equals(VOTES)) {
        continue;
      }
      long statement = (Long) e.values()[2];
      Map<Long, String> known = statements.computeIfAbsent(e.scope(), s -> loadKeys(STATEMENTS, s,
          "statement_id"));
      if (!known.containsKey(statement)) {
        long since = waiting.getOrDefault(e, System.currentTimeMillis());
        if (System.currentTimeMillis() - since < statementWaitMillis) {
          parked.put(e, since);
          counts[4]++;
        } else {
          quarantine.add(e.quarantine("vote on unknown statement " + statement));
        }
        continue;
      }
      Map<VoteKey, Loc> index = votes.computeIfAbsent(e.scope(), this::loadVotes);
      VoteKey key = new VoteKey((String) e.values()[1], statement);
      long time = e.time() == null ? Long.MIN_VALUE : e.time();
      Loc old = index.get(key);
      if (old != null && time < old.time) {
        counts[1]++; // older than the vote the table (or this interval) holds
        continue;
      }
      if (old != null && time == old.time && Objects.equals(old.vote, e.values()[3])) {
        counts[2]++; // the same vote again
        continue;
      }
      if (old != null && old.pending != null) {
        counts[1]++;
        counts[0]--;
      } else if (old != null) {
        deletes.add(PositionDelete.<Record>create().set(old.file, old.pos));
        touchedConversations.add(e.scope());
        counts[5]++;
      }
      Loc loc = new Loc(time, e.values()[3], null, -1);
      loc.pending = e;
      index.put(key, loc);
      touched.put(List.of(e.scope(), key), loc);
      counts[0]++;
    }
    List<LandingEvent> rows = new ArrayList<>();
    touched.values().forEach(l -> rows.add(l.pending));
    Map<LandingEvent, String[]> written = commitRows(VOTES, rows, deletes, null);
    for (Loc l : touched.values()) {
      String[] at = written.get(l.pending);
      l.file = at[0];
      l.pos = Long.parseLong(at[1]);
      l.pending = null;
    }
  }

  /** Drops what this landing knows of a table another writer has committed to since (reloaded when needed). */
  private void forgetIfChanged(String name) {
    Table t = catalog.loadTable(org.apache.iceberg.catalog.TableIdentifier.parse(name));
    current.put(name, t);
    Long now = t.currentSnapshot() == null ? null : t.currentSnapshot().snapshotId();
    if (lastSeen.containsKey(name) && !Objects.equals(lastSeen.get(name), now)) {
      LOG.info("{} was changed by another writer; its keys are read again", name);
      switch (name) {
        case VOTES -> votes.clear();
        case STATEMENTS -> {
          statements.clear();
          votes.clear();
        }
        case COMPARISONS -> comparisons.clear();
        default -> { }
      }
    }
    lastSeen.put(name, now);
  }

  private Map<VoteKey, Loc> loadVotes(String conversation) {
    Table t = current.get(VOTES);
    org.apache.iceberg.Schema projection = new org.apache.iceberg.Schema(
        t.schema().findField("participant_id"), t.schema().findField("statement_id"),
        t.schema().findField("vote"), t.schema().findField("voted_at"), org.apache.iceberg.MetadataColumns.FILE_PATH,
        org.apache.iceberg.MetadataColumns.ROW_POSITION);
    Map<VoteKey, Loc> out = new HashMap<>();
    try (var rows = org.apache.iceberg.data.IcebergGenerics.read(t)
        .where(Expressions.equal("conversation_id", conversation)).project(projection).build()) {
      for (Record r : rows) {
        OffsetDateTime at = (OffsetDateTime) r.getField("voted_at");
        long time = at == null ? Long.MIN_VALUE : at.toInstant().toEpochMilli();
        out.put(new VoteKey((String) r.getField("participant_id"), (Long) r.getField("statement_id")),
            new Loc(time, r.getField("vote"), r.getField("_file").toString(), (Long) r.getField("_pos")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LOG.info("loaded {} current votes of one conversation", out.size());
    return out;
  }

  /**
   * Writes the rows (one data file per partition) and position deletes of one table, and its offsets, in one
   * transaction. Returns where each row went: file and position.
   */
  private Map<LandingEvent, String[]> commitRows(String name, List<LandingEvent> rows,
      List<PositionDelete<Record>> deletes, String offsets) {
    Table table = current.get(name);
    Map<LandingEvent, String[]> where = new HashMap<>();
    GenericFileWriterFactory writers = new GenericFileWriterFactory.Builder(table)
        .dataFileFormat(FileFormat.PARQUET).deleteFileFormat(FileFormat.PARQUET).build();
    OutputFileFactory files = OutputFileFactory.builderFor(table, 1, System.nanoTime()).format(FileFormat.PARQUET)
        .operationId(UUID.randomUUID().toString()).build();
    Transaction tx = table.newTransaction();
    if (!rows.isEmpty() || !deletes.isEmpty()) {
      RowDelta delta = tx.newRowDelta();
      Map<List<Object>, List<Record>> partitions = new LinkedHashMap<>();
      Map<List<Object>, PartitionKey> keys = new HashMap<>();
      Map<Record, LandingEvent> origin = new HashMap<>();
      for (LandingEvent e : rows) {
        Record r = record(table, name, e);
        PartitionKey pk = new PartitionKey(table.spec(), table.schema());
        pk.partition(r);
        List<Object> id = partitionValues(pk);
        keys.putIfAbsent(id, pk);
        partitions.computeIfAbsent(id, k -> new ArrayList<>()).add(r);
        origin.put(r, e);
      }
      try {
        for (Map.Entry<List<Object>, List<Record>> p : partitions.entrySet()) {
          PartitionKey pk = keys.get(p.getKey());
          DataWriter<Record> w = writers.newDataWriter(files.newOutputFile(table.spec(), pk), table.spec(), pk);
          long pos = 0;
          String path = null;
          try (w) {
            for (Record r : p.getValue()) {
              w.write(r);
            }
          }
          DataFile file = w.toDataFile();
          path = file.location();
          for (Record r : p.getValue()) {
            where.put(origin.get(r), new String[] {path, Long.toString(pos++)});
          }
          delta.addRows(file);
        }
        if (!deletes.isEmpty()) {
          addDeletes(table, delta, deletes, writers, files);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      delta.set("chorus.landing.group", group).set("chorus.landing.rows", Integer.toString(rows.size()))
          .set("chorus.landing.deletes", Integer.toString(deletes.size()));
      delta.commit();
    }
    if (offsets != null) {
      tx.updateProperties().set(Watermarks.key(group), offsets)
          .set("write.metadata.delete-after-commit.enabled", "true").commit();
    } else if (rows.isEmpty() && deletes.isEmpty()) {
      return where;
    }
    try {
      tx.commitTransaction();
    } catch (ValidationException | CommitFailedException e) {
      throw new IllegalStateException(name + " changed under the landing (another writer of the same ids?): "
          + e.getMessage(), e);
    }
    var snapshot = tx.table().currentSnapshot();
    lastSeen.put(name, snapshot == null ? null : snapshot.snapshotId());
    return where;
  }

  /** Position deletes grouped by the partition of the file they point into (one delete file per partition). */
  private void addDeletes(Table table, RowDelta delta, List<PositionDelete<Record>> deletes,
      GenericFileWriterFactory writers, OutputFileFactory outputs) throws IOException {
    Map<String, PartitionKey> partitionOf = new HashMap<>();
    Set<String> referenced = new java.util.HashSet<>();
    Set<String> files = new java.util.HashSet<>();
    deletes.forEach(d -> files.add(d.path().toString()));
    // only the data files the deletes point into: a scan of the conversations touched, not the whole table
    Set<String> conversations = new java.util.TreeSet<>(touchedConversations);
    try (var tasks = table.newScan().filter(Expressions.in("conversation_id", conversations.toArray()))
        .planFiles()) {
      for (var task : tasks) {
        if (files.contains(task.file().location())) {
          partitionOf.put(task.file().location(), partitionKey(table, task.file()));
        }
      }
    }
    Map<List<Object>, List<PositionDelete<Record>>> grouped = new LinkedHashMap<>();
    Map<List<Object>, PartitionKey> keys = new HashMap<>();
    for (PositionDelete<Record> d : deletes) {
      PartitionKey pk = partitionOf.get(d.path().toString());
      if (pk == null) {
        throw new IllegalStateException("a vote to replace is in a file the table no longer has; restart the landing");
      }
      List<Object> id = partitionValues(pk);
      keys.putIfAbsent(id, pk);
      grouped.computeIfAbsent(id, k -> new ArrayList<>()).add(d);
      referenced.add(d.path().toString());
    }
    for (Map.Entry<List<Object>, List<PositionDelete<Record>>> g : grouped.entrySet()) {
      List<PositionDelete<Record>> sorted = new ArrayList<>(g.getValue());
      sorted.sort(Comparator.comparing((PositionDelete<Record> d) -> d.path().toString())
          .thenComparingLong(PositionDelete::pos));
      PartitionKey pk = keys.get(g.getKey());
      PositionDeleteWriter<Record> w = writers.newPositionDeleteWriter(outputs.newOutputFile(table.spec(), pk),
          table.spec(), pk);
      try (w) {
        for (PositionDelete<Record> d : sorted) {
          w.write(d);
        }
      }
      w.toDeleteFile();
      for (DeleteFile f : w.result().deleteFiles()) {
        delta.addDeletes(f);
      }
    }
    delta.validateFromSnapshot(table.currentSnapshot().snapshotId());
    delta.validateDataFilesExist(referenced);
    delta.validateDeletedFiles();
  }

  private static PartitionKey partitionKey(Table table, DataFile file) {
    PartitionKey pk = new PartitionKey(table.specs().get(file.specId()), table.schema());
    for (int i = 0; i < file.partition().size(); i++) {
      pk.set(i, file.partition().get(i, Object.class));
    }
    return pk;
  }

  private static List<Object> partitionValues(PartitionKey pk) {
    List<Object> out = new ArrayList<>();
    for (int i = 0; i < pk.size(); i++) {
      out.add(pk.get(i, Object.class));
    }
    return out;
  }

  private static Record record(Table table, String name, LandingEvent e) {
    GenericRecord r = GenericRecord.create(table.schema());
    if (name.equals(QUARANTINE)) {
      String raw = e.raw().length() <= RAW_MAX_CHARS ? e.raw() : e.raw().substring(0, RAW_MAX_CHARS) + "...";
      r.setField("scope", e.scope());
      r.setField("source", "kafka:" + e.topic());
      r.setField("target_table", e.table());
      r.setField("location", e.location());
      r.setField("reason", e.reason());
      r.setField("raw", raw);
      r.setField("ingested_at", OffsetDateTime.now(ZoneOffset.UTC));
      return r;
    }
    List<Types.NestedField> columns = table.schema().columns();
    for (int i = 0; i < columns.size() && i < e.values().length; i++) {
      Object v = e.values()[i];
      if (v != null && columns.get(i).type().typeId() == org.apache.iceberg.types.Type.TypeID.TIMESTAMP) {
        v = OffsetDateTime.ofInstant(Instant.ofEpochMilli((Long) v), ZoneOffset.UTC);
      }
      r.set(i, v);
    }
    return r;
  }

  /** A value read back as the event holds it (timestamps as epoch ms), for comparing contents. */
  private static Object fromIceberg(Object v) {
    return v instanceof OffsetDateTime t ? (Object) t.toInstant().toEpochMilli() : v;
  }
}
