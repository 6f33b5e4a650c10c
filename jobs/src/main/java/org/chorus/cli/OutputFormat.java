package org.chorus.cli;

/** How query results are printed: csv (header line, then rows), json (one object per line), table (aligned). */
public enum OutputFormat {
  csv, json, table
}
