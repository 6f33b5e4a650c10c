package org.chorus.ingest;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.Iterator;

/** Parses one whole source file, on an executor, into outcomes. */
public interface FileParser extends Serializable {
  Iterator<Outcome> parse(String file, InputStream in) throws IOException;
}
