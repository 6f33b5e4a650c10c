package org.chorus.ingest;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.map;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.struct;

import java.io.IOException;
import java.io.InputStream;
import java.sql.Timestamp;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.chorus.core.ChorusException;
import org.chorus.core.io.RawRecord;
import org.chorus.core.io.RecordReader;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.Where;
import org.chorus.records.CsvParser;
import org.chorus.records.Utf8;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code chorus ingest polis}: a Polis export directory into input.statements, input.votes, input.participants and
 * input.conversations, replacing that conversation's rows. Votes come from votes.csv (an event log: the latest vote
 * per participant and statement is kept, ties broken by file order) or, when the export has none, from the cells of
 * participants-votes.csv. Polis's own group-id is kept per participant.
 */
public final class PolisIngest implements Job<PolisIngest.Options, IngestReport> {
  private static final Logger LOG = LoggerFactory.getLogger(PolisIngest.class);
  static final List<String> TARGETS = List.of("input.statements", "input.votes", "input.participants",
      "input.conversations");

  /** A Polis export directory and the conversation id to store it under. */
  public record Options(String input, String conversation) implements JobOptions {
    @Override
    public String scope() {
      return conversation;
    }

    @Override
    public List<String> problems() {
      return new Checks().path(input, "--input").id(conversation, "--conversation").problems();
    }
  }

  @Override
  public String name() {
    return "ingest polis";
  }

  /** The files of one export, checked before anything is parsed. */
  record ExportFiles(String comments, String votes, String matrix, String summary, boolean hasVotes,
      boolean hasMatrix) {
    static ExportFiles of(String inputDir, Configuration hadoop) {
      if (!SourceFiles.exists(inputDir, hadoop)) {
        throw ChorusException.badInput("input not found: %s", inputDir);
      }
      if (!SourceFiles.isDirectory(inputDir, hadoop)) {
        throw ChorusException.badInput("%s is not a directory: a Polis export is a directory with comments.csv",
            inputDir);
      }
      String dir = inputDir.endsWith("/") ? inputDir : inputDir + "/";
      ExportFiles f = new ExportFiles(dir + "comments.csv", dir + "votes.csv", dir + "participants-votes.csv",
          dir + "summary.csv", SourceFiles.exists(dir + "votes.csv", hadoop),
          SourceFiles.exists(dir + "participants-votes.csv", hadoop));
      if (!SourceFiles.exists(f.comments(), hadoop)) {
        throw ChorusException.badInput("%s has no comments.csv: not a Polis export", inputDir);
      }
      if (!f.hasVotes() && !f.hasMatrix()) {
        throw ChorusException.badInput("%s has neither votes.csv nor participants-votes.csv", inputDir);
      }
      return f;
    }
  }

  /**
   * Everything parsed from one export: the files (each parsed once and cached until the writes are done), the
   * accepted statements and their ids, the vote events, participants-votes.csv's participants, and every rejected
   * record. Closing it releases the caches however the ingest ends.
   */
  static final class Parsed implements AutoCloseable {
    ParsedFiles comments;
    ParsedFiles votes;
    ParsedFiles matrix;
    Dataset<Row> statements;
    Set<Long> statementIds = new HashSet<>();
    Dataset<Row> voteEvents;
    Dataset<Row> matrixParticipants;
    Dataset<Row> quarantine;
    Dataset<Row> latest;

    @Override
    public void close() {
      for (ParsedFiles f : new ParsedFiles[] {comments, votes, matrix}) {
        if (f != null) {
          f.close();
        }
      }
      if (statements != null) {
        statements.unpersist();
      }
      if (latest != null) {
        latest.unpersist();
      }
    }
  }

  @Override
  public IngestReport run(JobContext job, Options o) {
    String conversation = o.conversation();
    Configuration hadoop = job.spark().sparkContext().hadoopConfiguration();
    ExportFiles files = ExportFiles.of(o.input(), hadoop);
    IngestConfig limits = IngestConfig.from(job.config());
    QuarantineContext ctx = new QuarantineContext(conversation, job.run().startedAt().toEpochMilli(),
        limits.rawMaxChars, limits.maxRecordLines, limits.maxRecordBytes);
    IngestReport report = new IngestReport("ingest polis", conversation);
    try (Parsed parsed = new Parsed()) {
      parseStatements(job, files, ctx, conversation, parsed, report);
      parseVotes(job, files, ctx, limits, parsed);
      parsed.latest = latestVotes(parsed.voteEvents, conversation).cache();
      Dataset<Row> participants = participants(parsed, conversation);
      Dataset<Row> conversations = job.spark().createDataFrame(List.of(conversationRow(files.summary(), hadoop,
          conversation, ctx.ingestedAtMillis())), TableSchemas.input("conversations").schema());
      countVotes(parsed, files, report);
      WholeInput.check(report, parsed.quarantine, limits);
      LOG.info("latest votes: counted; writing tables");
      report.add(job.replace(TableSchemas.input("statements"), parsed.statements, List.of(conversation)));
      report.add(job.replace(TableSchemas.input("votes"), parsed.latest, List.of(conversation)));
      report.add(job.replace(TableSchemas.input("participants"), participants, List.of(conversation)));
      report.add(job.replace(TableSchemas.input("conversations"), conversations, List.of(conversation)));
      report.add(job.tables().replaceWhere(job.run(), Quarantine.SPEC, parsed.quarantine,
          Where.of("scope", conversation).andIn("target_table", TARGETS)));
    }
    LOG.info("ingest polis {}: {} read, {} accepted, {} quarantined", conversation, report.totalRead(),
        report.totalAccepted(), report.totalQuarantined());
    return report;
  }

  /** comments.csv: statements (the first of a duplicated id kept, the others quarantined) and their ids. */
  static void parseStatements(JobContext job, ExportFiles files, QuarantineContext ctx, String conversation,
      Parsed parsed, IngestReport report) {
    Configuration hadoop = job.spark().sparkContext().hadoopConfiguration();
    job.run().recordSource(files.comments());
    CsvHeader commentsHeader = CsvHeader.read(files.comments(), hadoop);
    commentsHeader.require(files.comments(), "comment-id", "comment-body");
    parsed.comments = ParsedFiles.parse(job.spark(), List.of(files.comments()),
        new PolisParsers.Comments(ctx, commentsHeader, conversation));
    Dedupe statements = Dedupe.firstByOrder(parsed.comments.rows(PolisParsers.STATEMENT, PolisParsers.STATEMENT_ROWS),
        "_line", "statement_id");
    parsed.statements = statements.kept().drop("_line", "_raw").cache();
    Dataset<Row> duplicateStatements = statements.quarantineRows(ctx, "comments.csv", "input.statements");
    long statementCount = parsed.statements.count();
    LOG.info("statements parsed: {}", statementCount);
    long duplicateCount = parsed.comments.count(PolisParsers.STATEMENT) - statementCount;
    long commentsQuarantined = parsed.comments.quarantinedTotal() + duplicateCount;
    report.add(new IngestReport.SourceCount("comments.csv", "input.statements", statementCount + commentsQuarantined,
        statementCount, commentsQuarantined, duplicateCount > 0 ? duplicateCount + " duplicate ids" : null));
    for (Row r : parsed.statements.select("statement_id").collectAsList()) {
      parsed.statementIds.add(r.getLong(0));
    }
    parsed.quarantine = parsed.comments.quarantine().unionByName(duplicateStatements);
  }

  /** votes.csv (the event log) and participants-votes.csv (participants, and votes when there is no votes.csv). */
  static void parseVotes(JobContext job, ExportFiles files, QuarantineContext ctx, IngestConfig limits,
      Parsed parsed) {
    Configuration hadoop = job.spark().sparkContext().hadoopConfiguration();
    if (files.hasVotes()) {
      job.run().recordSource(files.votes());
      CsvHeader h = CsvHeader.read(files.votes(), hadoop);
      h.require(files.votes(), "comment-id", "voter-id", "vote");
      parsed.votes = ParsedFiles.parse(job.spark(), List.of(files.votes()),
          new PolisParsers.Votes(ctx, h, parsed.statementIds), limits.partitions);
      parsed.voteEvents = parsed.votes.rows(PolisParsers.VOTE, PolisParsers.VOTE_EVENTS);
      parsed.quarantine = parsed.quarantine.unionByName(parsed.votes.quarantine());
    }
    if (files.hasMatrix()) {
      job.run().recordSource(files.matrix());
      CsvHeader h = CsvHeader.read(files.matrix(), hadoop);
      parsed.matrix = ParsedFiles.parse(job.spark(), List.of(files.matrix()),
          new PolisParsers.ParticipantsVotes(ctx, h, files.matrix(), parsed.statementIds, !files.hasVotes()),
          limits.partitions);
      parsed.matrixParticipants = parsed.matrix.rows(PolisParsers.PARTICIPANT, PolisParsers.PARTICIPANT_ROWS);
      if (!files.hasVotes()) {
        parsed.voteEvents = parsed.matrix.rows(PolisParsers.VOTE, PolisParsers.VOTE_EVENTS);
      }
      parsed.quarantine = parsed.quarantine.unionByName(parsed.matrix.quarantine());
    }
  }

  /** Latest vote per (participant, statement): the maximum of (time, line) wins. */
  static Dataset<Row> latestVotes(Dataset<Row> voteEvents, String conversation) {
    return voteEvents.groupBy("participant_id", "statement_id")
        .agg(max(struct(col("voted_at"), col("_line"), col("vote"))).as("m"), count(lit(1)).as("n"))
        .select(lit(conversation).as("conversation_id"), col("participant_id"), col("statement_id"),
            col("m.vote").as("vote"), col("m.voted_at").as("voted_at"));
  }

  /** Everyone who voted, wrote a statement or has a row in participants-votes.csv. */
  static Dataset<Row> participants(Parsed parsed, String conversation) {
    Dataset<Row> ids = parsed.latest.groupBy("participant_id").agg(min("voted_at").as("created_at"))
        .select(col("participant_id"), lit(null).cast("string").as("xid"),
            lit(null).cast("int").as("export_group_id"), col("created_at"))
        .unionByName(parsed.statements.filter(col("author_id").isNotNull())
            .select(col("author_id").as("participant_id"), lit(null).cast("string").as("xid"),
                lit(null).cast("int").as("export_group_id"), col("created_at")));
    if (parsed.matrixParticipants != null) {
      ids = ids.unionByName(parsed.matrixParticipants.withColumn("created_at", lit(null).cast("timestamp")));
    }
    return ids.groupBy("participant_id")
        .agg(max("xid").as("xid"), max("export_group_id").as("export_group_id"), min("created_at").as("created_at"))
        .select(lit(conversation).as("scope"), col("participant_id"), lit("polis").as("source"),
            map().cast(DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false)).as("attributes"),
            lit(true).as("consent"), col("xid"), col("export_group_id"), col("created_at"));
  }

  /** Read = accepted + quarantined per vote source (each file was parsed once and is cached). */
  static void countVotes(Parsed parsed, ExportFiles files, IngestReport report) {
    if (parsed.votes != null) {
      long events = parsed.votes.count(PolisParsers.VOTE);
      LOG.info("vote events parsed: {}", events);
      long bad = parsed.votes.quarantinedTotal();
      long kept = parsed.latest.count();
      report.add(new IngestReport.SourceCount("votes.csv", "input.votes", events + bad, events, bad,
          String.format("%,d votes kept (latest per participant and statement), %,d superseded", kept, events - kept)));
    }
    if (parsed.matrix != null) {
      long rows = parsed.matrix.count(PolisParsers.PARTICIPANT);
      long badRows = parsed.matrix.quarantined("input.participants");
      report.add(new IngestReport.SourceCount("participants-votes.csv", "input.participants", rows + badRows, rows,
          badRows, null));
      if (!files.hasVotes()) {
        long cells = parsed.matrix.count(PolisParsers.VOTE);
        long badCells = parsed.matrix.quarantined("input.votes");
        report.add(new IngestReport.SourceCount("participants-votes.csv", "input.votes", cells + badCells, cells,
            badCells, "cells; no votes.csv in this export"));
      }
    }
  }

  /** summary.csv is a two-column key,value file (topic, url, views, ...). */
  static Row conversationRow(String summary, Configuration hadoop, String conversation, long ingestedAt) {
    String topic = null;
    String url = null;
    if (SourceFiles.exists(summary, hadoop)) {
      try (InputStream in = SourceFiles.open(summary, hadoop)) {
        RecordReader reader = new RecordReader(in, true, 100, 1 << 20, null);
        while (reader.hasNext()) {
          RawRecord rec = reader.next();
          try {
            String[] kv = CsvParser.parse(Utf8.decodeStrict(rec.bytes()), ',');
            if (kv.length >= 2 && kv[0].trim().equals("topic")) {
              topic = kv[1];
            } else if (kv.length >= 2 && kv[0].trim().equals("url")) {
              url = kv[1];
            }
          } catch (CsvParser.CsvFormatException | Utf8.InvalidUtf8Exception e) {
            LOG.warn("summary.csv line {} unreadable: {}", rec.line(), e.getMessage());
          }
        }
      } catch (IOException e) {
        LOG.warn("cannot read {}: {}", summary, e.getMessage());
      }
    }
    return RowFactory.create(conversation, topic, url, "polis", new Timestamp(ingestedAt));
  }
}
