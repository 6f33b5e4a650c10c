package org.chorus.records;

/**
 * The rules for one vote and one statement, whether they come from a Polis export's CSV files or from live events:
 * the fields arrive as text, the rules make them values or reject them with a reason.
 */
public final class PolisRecords {
  private PolisRecords() {}

  /** A vote: participant (ASCII digits, as Polis's voter-id), statement, -1/0/1, and epoch ms or null. */
  public record Vote(String participantId, long statementId, int vote, Long votedAtMillis) {}

  /** A statement: id, author (null when none), text, moderation, creation time in epoch ms or null. */
  public record Statement(long statementId, String authorId, String text, int moderated, Long createdAtMillis) {}

  /** @param timestamp epoch milliseconds as text, or null/empty when the source has no time */
  public static Vote vote(String participant, String statement, String vote, String timestamp) throws BadRecord {
    // Without a timestamp the source order decides which vote of a pair is the latest.
    Long ts = Values.optionalLong(timestamp, "timestamp");
    long sid = Values.requireLong(statement, "statement id");
    long pid = Values.requireLong(participant, "voter id");
    int v = Values.parseVote(vote);
    return new Vote(String.valueOf(pid), sid, v, ts == null ? null : Values.epochMillis(ts, "timestamp"));
  }

  /**
   * @param author the author's participant id as text; null or empty for none (seed statements in some exports)
   * @param moderated -1/0/1 as text; null or empty for 0
   */
  public static Statement statement(String id, String author, String text, String moderated, String timestamp)
      throws BadRecord {
    long statementId = Values.requireLong(id, "statement id");
    Long authorPid = Values.optionalLong(author, "author id");
    int mod = Values.moderation(moderated);
    Long ts = Values.optionalLong(timestamp, "timestamp");
    if (text == null) {
      throw new BadRecord("missing statement text");
    }
    return new Statement(statementId, authorPid == null ? null : String.valueOf(authorPid), text, mod,
        ts == null ? null : Values.epochMillis(ts, "timestamp"));
  }
}
