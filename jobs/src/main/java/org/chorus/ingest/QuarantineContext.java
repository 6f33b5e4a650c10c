package org.chorus.ingest;

import java.io.Serializable;

/** What every quarantine row of one ingest run shares. */
public record QuarantineContext(String scope, long ingestedAtMillis, int rawMaxChars, int maxRecordLines,
    int maxRecordBytes) implements Serializable {}
