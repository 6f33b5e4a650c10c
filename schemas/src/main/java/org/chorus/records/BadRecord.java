package org.chorus.records;

/** A value a rule rejects; the record (or cell) goes to input.quarantine with this message. */
public final class BadRecord extends Exception {
  private static final long serialVersionUID = 1L;

  public BadRecord(String message) {
    super(message, null, false, false);
  }
}
