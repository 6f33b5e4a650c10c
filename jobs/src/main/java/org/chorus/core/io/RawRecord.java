package org.chorus.core.io;

/**
 * One record of a text file as bytes: a line, or several lines when a quoted CSV field spans them.
 *
 * @param line 1-based number of its first line
 * @param lineCount how many physical lines it spans
 * @param bytes the record without its final line terminator (inner line breaks are {@code \n})
 * @param brokenReason non-null when the reader had to give up on the record (unterminated quoted field)
 */
public record RawRecord(long line, int lineCount, byte[] bytes, String brokenReason) {}
