package org.chorus.opinions;

import java.io.Serializable;

/**
 * One participant's row of the sparse vote matrix: the statement indexes voted on and the votes (1, -1, 0), with
 * the participant's group once known. Never densified: a row costs 5 bytes per vote.
 */
public final class VoteMatrix {
  private VoteMatrix() {}

  public static final class Row implements Serializable {
    private static final long serialVersionUID = 1L;
    public String participant;
    public int[] statements;
    public byte[] votes;

    public Row() {}

    public Row(String participant, int[] statements, byte[] votes) {
      this.participant = participant;
      this.statements = statements;
      this.votes = votes;
    }

    public int size() {
      return statements.length;
    }
  }
}
