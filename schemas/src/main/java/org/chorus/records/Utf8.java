package org.chorus.records;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** Strict UTF-8 decoding: bad bytes are an error that names their offset, never silently replaced. */
public final class Utf8 {
  private Utf8() {}

  public static final class InvalidUtf8Exception extends Exception {
    public InvalidUtf8Exception(String message) {
      super(message);
    }
  }

  private static final ThreadLocal<CharsetDecoder> DECODER = ThreadLocal.withInitial(() ->
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT));

  public static String decodeStrict(byte[] bytes) throws InvalidUtf8Exception {
    boolean ascii = true;
    for (byte b : bytes) {
      if (b < 0) {
        ascii = false;
        break;
      }
    }
    if (ascii) {
      return new String(bytes, StandardCharsets.US_ASCII); // every ASCII byte string is valid UTF-8
    }
    CharsetDecoder decoder = DECODER.get().reset();
    ByteBuffer in = ByteBuffer.wrap(bytes);
    try {
      CharBuffer out = decoder.decode(in);
      return out.toString();
    } catch (CharacterCodingException e) {
      throw new InvalidUtf8Exception("invalid UTF-8 at byte " + firstBadByte(bytes));
    }
  }

  /** Decoding for display: bad bytes become U+FFFD. */
  public static String lossy(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static int firstBadByte(byte[] bytes) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length + 1);
    decoder.decode(in, out, true);
    return in.position();
  }
}
