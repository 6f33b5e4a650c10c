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
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.chorus.core.job.Checks;
import org.chorus.core.job.Job;
import org.chorus.core.job.JobContext;
import org.chorus.core.job.JobOptions;
import org.chorus.core.ChorusException;
import org.chorus.core.io.CsvParser;
import org.chorus.core.io.RawRecord;
import org.chorus.core.io.RecordReader;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.io.Utf8;
import org.chorus.core.tables.ChorusTables;
import org.chorus.core.tables.RunContext;
import org.chorus.core.tables.TableSchemas;
import org.chorus.core.tables.TableSpec;
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
      return new Checks().id(input, "--input").id(conversation, "--conversation").problems();
    }
  }

  @Override
  public String name() {
    return "ingest polis";
  }

  @Override
  public IngestReport run(JobContext job, Options o) {
    ChorusTables tables = job.tables();
    IngestConfig ingestConfig = IngestConfig.from(job.config());
    String inputDir = o.input();
    String conversation = o.conversation();
    SparkSession spark = tables.spark();
    Configuration hadoop = spark.sparkContext().hadoopConfiguration();
    if (!SourceFiles.exists(inputDir, hadoop)) {
      throw ChorusException.badInput("input not found: %s", inputDir);
    }
    if (!SourceFiles.isDirectory(inputDir, hadoop)) {
      throw ChorusException.badInput("%s is not a directory: a Polis export is a directory with comments.csv", inputDir);
    }
    String dir = inputDir.endsWith("/") ? inputDir : inputDir + "/";
    String comments = dir + "comments.csv";
    String votes = dir + "votes.csv";
    String matrix = dir + "participants-votes.csv";
    String summary = dir + "summary.csv";
    if (!SourceFiles.exists(comments, hadoop)) {
      throw ChorusException.badInput("%s has no comments.csv: not a Polis export", inputDir);
    }
    boolean hasVotes = SourceFiles.exists(votes, hadoop);
    boolean hasMatrix = SourceFiles.exists(matrix, hadoop);
    if (!hasVotes && !hasMatrix) {
      throw ChorusException.badInput("%s has neither votes.csv nor participants-votes.csv", inputDir);
    }

    RunContext run = job.run();
    QuarantineContext ctx = new QuarantineContext(conversation, run.startedAt().toEpochMilli(),
        ingestConfig.rawMaxChars, ingestConfig.maxRecordLines, ingestConfig.maxRecordBytes);
    IngestReport report = new IngestReport("ingest polis", conversation);

    // Statements
    run.recordSource(comments);
    CsvHeader commentsHeader = CsvHeader.read(comments, hadoop);
    commentsHeader.require(comments, "comment-id", "comment-body");
    ParsedFiles parsedComments = ParsedFiles.parse(spark, List.of(comments),
        new PolisParsers.Comments(ctx, commentsHeader, conversation));
    Dedupe statements = Dedupe.firstByOrder(parsedComments.rows(PolisParsers.STATEMENT, PolisParsers.STATEMENT_ROWS),
        "_line", "statement_id");
    Dataset<Row> statementRows = statements.kept().drop("_line", "_raw").cache();
    Dataset<Row> duplicateStatements = statements.quarantineRows(ctx, "comments.csv", "input.statements");
    long statementCount = statementRows.count();
    LOG.info("statements parsed: {}", statementCount);
    long duplicateCount = parsedComments.count(PolisParsers.STATEMENT) - statementCount;
    long commentsQuarantined = parsedComments.quarantinedTotal() + duplicateCount;
    report.add(new IngestReport.SourceCount("comments.csv", "input.statements", statementCount + commentsQuarantined,
        statementCount, commentsQuarantined, duplicateCount > 0 ? duplicateCount + " duplicate ids" : null));
    Set<Long> statementIds = new HashSet<>();
    for (Row r : statementRows.select("statement_id").collectAsList()) {
      statementIds.add(r.getLong(0));
    }

    Dataset<Row> quarantine = parsedComments.quarantine().unionByName(duplicateStatements);
    Dataset<Row> voteEvents = null;
    ParsedFiles parsedVotes = null;
    if (hasVotes) {
      run.recordSource(votes);
      CsvHeader h = CsvHeader.read(votes, hadoop);
      h.require(votes, "comment-id", "voter-id", "vote");
      parsedVotes = ParsedFiles.parse(spark, List.of(votes), new PolisParsers.Votes(ctx, h, statementIds),
          ingestConfig.partitions);
      voteEvents = parsedVotes.rows(PolisParsers.VOTE, PolisParsers.VOTE_EVENTS);
      quarantine = quarantine.unionByName(parsedVotes.quarantine());
    }
    ParsedFiles parsedMatrix = null;
    Dataset<Row> matrixParticipants = null;
    if (hasMatrix) {
      run.recordSource(matrix);
      CsvHeader h = CsvHeader.read(matrix, hadoop);
      parsedMatrix = ParsedFiles.parse(spark, List.of(matrix),
          new PolisParsers.ParticipantsVotes(ctx, h, matrix, statementIds, !hasVotes), ingestConfig.partitions);
      matrixParticipants = parsedMatrix.rows(PolisParsers.PARTICIPANT, PolisParsers.PARTICIPANT_ROWS);
      if (!hasVotes) {
        voteEvents = parsedMatrix.rows(PolisParsers.VOTE, PolisParsers.VOTE_EVENTS);
      }
      quarantine = quarantine.unionByName(parsedMatrix.quarantine());
    }

    // Latest vote per (participant, statement): the maximum of (time, line) wins.
    Dataset<Row> latest = voteEvents.groupBy("participant_id", "statement_id")
        .agg(max(struct(col("voted_at"), col("_line"), col("vote"))).as("m"), count(lit(1)).as("n"))
        .select(lit(conversation).as("conversation_id"), col("participant_id"), col("statement_id"),
            col("m.vote").as("vote"), col("m.voted_at").as("voted_at"))
        .cache();

    // Participants: everyone who voted, wrote a statement or has a row in participants-votes.csv.
    Dataset<Row> ids = latest.groupBy("participant_id").agg(min("voted_at").as("created_at"))
        .select(col("participant_id"), lit(null).cast("string").as("xid"),
            lit(null).cast("int").as("export_group_id"), col("created_at"))
        .unionByName(statementRows.filter(col("author_id").isNotNull())
            .select(col("author_id").as("participant_id"), lit(null).cast("string").as("xid"),
                lit(null).cast("int").as("export_group_id"), col("created_at")));
    if (matrixParticipants != null) {
      ids = ids.unionByName(matrixParticipants.withColumn("created_at", lit(null).cast("timestamp")));
    }
    Dataset<Row> participants = ids.groupBy("participant_id")
        .agg(max("xid").as("xid"), max("export_group_id").as("export_group_id"), min("created_at").as("created_at"))
        .select(lit(conversation).as("scope"), col("participant_id"), lit("polis").as("source"),
            map().cast(DataTypes.createMapType(DataTypes.StringType, DataTypes.StringType, false)).as("attributes"),
            lit(true).as("consent"), col("xid"), col("export_group_id"), col("created_at"));

    Dataset<Row> conversations = spark.createDataFrame(List.of(conversationRow(summary, hadoop, conversation,
        ctx.ingestedAtMillis())), TableSchemas.input("conversations").schema());

    // Counts (each file was parsed once and is cached until the writes are done).
    if (parsedVotes != null) {
      long events = parsedVotes.count(PolisParsers.VOTE);
      LOG.info("vote events parsed: {}", events);
      long bad = parsedVotes.quarantinedTotal();
      long kept = latest.count();
      report.add(new IngestReport.SourceCount("votes.csv", "input.votes", events + bad, events, bad,
          String.format("%,d votes kept (latest per participant and statement), %,d superseded", kept, events - kept)));
    }
    if (parsedMatrix != null) {
      long rows = parsedMatrix.count(PolisParsers.PARTICIPANT);
      long badRows = parsedMatrix.quarantined("input.participants");
      report.add(new IngestReport.SourceCount("participants-votes.csv", "input.participants", rows + badRows, rows,
          badRows, null));
      if (!hasVotes) {
        long cells = parsedMatrix.count(PolisParsers.VOTE);
        long badCells = parsedMatrix.quarantined("input.votes");
        report.add(new IngestReport.SourceCount("participants-votes.csv", "input.votes", cells + badCells, cells,
            badCells, "cells; no votes.csv in this export"));
      }
    }

    LOG.info("latest votes: counted; writing tables");
    TableSpec quarantineSpec = Quarantine.SPEC;
    report.add(tables.replace(run, TableSchemas.input("statements"), statementRows, List.of(conversation)));
    report.add(tables.replace(run, TableSchemas.input("votes"), latest, List.of(conversation)));
    report.add(tables.replace(run, TableSchemas.input("participants"), participants, List.of(conversation)));
    report.add(tables.replace(run, TableSchemas.input("conversations"), conversations, List.of(conversation)));
    report.add(tables.replaceWhere(run, quarantineSpec, quarantine,
        col("scope").equalTo(lit(conversation)).and(col("target_table").isin(TARGETS.toArray()))));

    parsedComments.close();
    if (parsedVotes != null) {
      parsedVotes.close();
    }
    if (parsedMatrix != null) {
      parsedMatrix.close();
    }
    statementRows.unpersist();
    latest.unpersist();
    LOG.info("ingest polis {}: {} read, {} accepted, {} quarantined", conversation, report.totalRead(),
        report.totalAccepted(), report.totalQuarantined());
    return report;
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
