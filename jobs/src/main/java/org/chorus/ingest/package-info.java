/**
 * Source files into input tables, nothing silently lost: rows read = accepted + quarantined, every rejected record
 * kept in input.quarantine with its reason and raw text. Jobs: PolisIngest, ComparisonsIngest, TableIngest,
 * SortitionIngest. docs/ingest.md.
 */
package org.chorus.ingest;
