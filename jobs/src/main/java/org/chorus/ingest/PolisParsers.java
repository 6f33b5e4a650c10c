package org.chorus.ingest;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.chorus.core.ChorusException;
import org.chorus.core.io.SourceFiles;
import org.chorus.core.tables.TableSchemas;
import org.chorus.records.BadRecord;
import org.chorus.records.PolisRecords;

/**
 * Parsers for the files of a Polis export. Column names follow the exporter; both comments.csv layouts (with and
 * without {@code datetime}, {@code is-meta}, {@code is-seed}, {@code group-informed-consensus}) are handled by
 * looking columns up by name.
 */
final class PolisParsers {
  private PolisParsers() {}

  static final String STATEMENT = "statement";
  static final String VOTE = "vote";
  static final String PARTICIPANT = "participant";

  /** input.statements columns plus the source line and raw text (for duplicate detection). */
  static final StructType STATEMENT_ROWS = TableSchemas.input("statements").schema()
      .add("_line", DataTypes.LongType, false)
      .add("_raw", DataTypes.StringType, false);

  static final StructType VOTE_EVENTS = new StructType()
      .add("participant_id", DataTypes.StringType, false)
      .add("statement_id", DataTypes.LongType, false)
      .add("vote", DataTypes.IntegerType, false)
      .add("voted_at", DataTypes.TimestampType, true)
      .add("_line", DataTypes.LongType, false);

  static final StructType PARTICIPANT_ROWS = new StructType()
      .add("participant_id", DataTypes.StringType, false)
      .add("xid", DataTypes.StringType, true)
      .add("export_group_id", DataTypes.IntegerType, true);

  /** comments.csv: one statement per record. */
  static final class Comments extends CsvFileParser {
    private static final long serialVersionUID = 1L;
    private final String conversation;
    private final int id;
    private final int author;
    private final int body;
    private final int timestamp;
    private final int moderated;
    private final int meta;
    private final int seed;
    private final int agrees;
    private final int disagrees;
    private final int gic;

    Comments(QuarantineContext ctx, CsvHeader h, String conversation) {
      super(ctx, h, "input.statements");
      this.conversation = conversation;
      this.id = h.index("comment-id");
      this.author = h.index("author-id");
      this.body = h.index("comment-body");
      this.timestamp = h.index("timestamp");
      this.moderated = h.index("moderated");
      this.meta = h.index("is-meta");
      this.seed = h.index("is-seed");
      this.agrees = h.index("agrees");
      this.disagrees = h.index("disagrees");
      this.gic = h.index("group-informed-consensus");
    }

    @Override
    protected void convert(String file, long line, String raw, String[] f, Consumer<Outcome> out) throws BadRecord {
      PolisRecords.Statement st = PolisRecords.statement(f[id], author < 0 ? null : f[author], f[body],
          moderated < 0 ? null : f[moderated], timestamp < 0 ? null : f[timestamp]);
      out.accept(new Outcome(STATEMENT, RowFactory.create(conversation, st.statementId(), st.authorId(), st.text(),
          st.moderated(), meta >= 0 && optionalBoolean(f[meta], "is-meta"),
          seed >= 0 && optionalBoolean(f[seed], "is-seed"),
          st.createdAtMillis() == null ? null : new Timestamp(st.createdAtMillis()),
          agrees < 0 ? null : optionalInt(f[agrees], "agrees"),
          disagrees < 0 ? null : optionalInt(f[disagrees], "disagrees"),
          gic < 0 ? null : optionalDouble(f[gic], "group-informed-consensus"), line, raw)));
    }
  }

  /** votes.csv: the vote event log, one vote per record. */
  static final class Votes extends CsvFileParser {
    private static final long serialVersionUID = 1L;
    private final Set<Long> statements;
    private final int timestamp;
    private final int statement;
    private final int voter;
    private final int vote;

    Votes(QuarantineContext ctx, CsvHeader h, Set<Long> statements) {
      super(ctx, h, "input.votes");
      this.statements = statements;
      this.timestamp = h.index("timestamp");
      this.statement = h.index("comment-id");
      this.voter = h.index("voter-id");
      this.vote = h.index("vote");
    }

    @Override
    protected void convert(String file, long line, String raw, String[] f, Consumer<Outcome> out) throws BadRecord {
      PolisRecords.Vote v = PolisRecords.vote(f[voter], f[statement], f[vote], timestamp < 0 ? null : f[timestamp]);
      long sid = v.statementId();
      if (!statements.contains(sid)) {
        throw new BadRecord("vote on unknown statement " + sid);
      }
      out.accept(new Outcome(VOTE, RowFactory.create(v.participantId(), sid, v.vote(),
          v.votedAtMillis() == null ? null : new Timestamp(v.votedAtMillis()), line)));
    }
  }

  /**
   * participants-votes.csv: one participant per record with Polis's group-id, then one cell per statement. Cells
   * become votes when the export has no votes.csv; a bad cell is quarantined alone, the rest of the row is kept.
   */
  static final class ParticipantsVotes extends CsvFileParser {
    private static final long serialVersionUID = 1L;
    static final List<String> META = List.of("participant", "xid", "group-id", "n-comments", "n-votes", "n-agree",
        "n-disagree");

    private final Set<Long> statements;
    private final boolean emitVotes;
    private final int participant;
    private final int xid;
    private final int group;
    private final int[] cellColumns;
    private final long[] cellStatements;

    ParticipantsVotes(QuarantineContext ctx, CsvHeader h, String file, Set<Long> statements, boolean emitVotes) {
      super(ctx, h, "input.participants");
      h.require(file, "participant");
      this.statements = statements;
      this.emitVotes = emitVotes;
      this.participant = h.index("participant");
      this.xid = h.index("xid");
      this.group = h.index("group-id");
      List<Integer> cols = new ArrayList<>();
      List<Long> ids = new ArrayList<>();
      for (int i = 0; i < h.size(); i++) {
        if (META.contains(h.name(i).toLowerCase(java.util.Locale.ROOT))) {
          continue;
        }
        try {
          ids.add(Long.parseLong(h.name(i)));
          cols.add(i);
        } catch (NumberFormatException e) {
          throw ChorusException.badInput("%s: column '%s' is neither a known column nor a statement id",
              SourceFiles.name(file), h.name(i));
        }
      }
      this.cellColumns = cols.stream().mapToInt(Integer::intValue).toArray();
      this.cellStatements = ids.stream().mapToLong(Long::longValue).toArray();
    }

    @Override
    protected void convert(String file, long line, String raw, String[] f, Consumer<Outcome> out) throws BadRecord {
      long pid = requireLong(f[participant], "participant id");
      String participantId = String.valueOf(pid);
      String x = xid < 0 || f[xid].trim().isEmpty() ? null : f[xid].trim();
      Integer g = group < 0 ? null : optionalInt(f[group], "group-id");
      out.accept(new Outcome(PARTICIPANT, RowFactory.create(participantId, x, g)));
      if (!emitVotes) {
        return;
      }
      for (int k = 0; k < cellColumns.length; k++) {
        String cell = f[cellColumns[k]];
        if (cell.trim().isEmpty()) {
          continue;
        }
        long sid = cellStatements[k];
        String location = Quarantine.line(line) + ", statement " + sid;
        try {
          int v = parseVote(cell);
          if (!statements.contains(sid)) {
            throw new BadRecord("vote on unknown statement " + sid);
          }
          out.accept(new Outcome(VOTE, RowFactory.create(participantId, sid, v, null, line)));
        } catch (BadRecord e) {
          out.accept(Quarantine.outcome(ctx, file, "input.votes", location, e.getMessage(),
              "participant " + participantId + ", statement " + sid + ": " + cell));
        }
      }
    }
  }
}
