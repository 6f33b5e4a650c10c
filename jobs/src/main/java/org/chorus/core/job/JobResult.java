package org.chorus.core.job;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.chorus.core.tables.WriteResult;

/**
 * What a job run produced: the tables it committed (snapshot ids, row counts), the files it wrote and the figures
 * its summary reports. The CLI prints it as the human summary ({@link #print}) or, with {@code --output json}, as
 * one JSON object ({@link RunJson}).
 */
public interface JobResult {
  /** Every table commit of the run, in commit order. */
  List<WriteResult> writes();

  /** Files and directories the run wrote outside the tables (policy documents, shards, models, the report). */
  default List<String> files() {
    return List.of();
  }

  /**
   * The figures of the summary as JSON-ready values: numbers, strings, booleans, lists and maps of them, in a
   * stable order. Never participant text.
   */
  Map<String, Object> figures();

  /** The human summary: the lines the command has always printed. */
  void print(PrintStream out);

  /** Prints each commit as one indented line, the last lines of most summaries. */
  static void printWrites(List<WriteResult> writes, PrintStream out) {
    for (WriteResult w : writes) {
      out.println("  " + w);
    }
  }
}
