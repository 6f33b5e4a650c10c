package org.chorus.ingest;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.chorus.core.io.RawRecord;

/** Lazily turns records into outcomes: one record may give none, one or many (cells), handed on in order. */
final class RecordOutcomes implements Iterator<Outcome> {
  private final Iterator<RawRecord> records;
  private final BiConsumer<RawRecord, Consumer<Outcome>> handler;
  private final ArrayDeque<Outcome> buffer = new ArrayDeque<>();

  RecordOutcomes(Iterator<RawRecord> records, BiConsumer<RawRecord, Consumer<Outcome>> handler) {
    this.records = records;
    this.handler = handler;
  }

  @Override
  public boolean hasNext() {
    while (buffer.isEmpty() && records.hasNext()) {
      handler.accept(records.next(), buffer::add);
    }
    return !buffer.isEmpty();
  }

  @Override
  public Outcome next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return buffer.removeFirst();
  }
}
