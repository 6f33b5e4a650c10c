package org.chorus.core.io;

import java.nio.charset.StandardCharsets;

/**
 * Ids as path segments: an id is a value, so it never moves a path. Every byte outside {@code [A-Za-z0-9_.@=-]} is
 * percent-encoded (a slash, a backslash, a quote, a space), and so is a leading dot, so {@code ..}, {@code .} and
 * hidden names cannot arise: {@code ../x} becomes {@code %2E.%2Fx}. Plain ids (letters, digits, dashes) stay as they
 * are.
 */
public final class PathSegments {
  private PathSegments() {}

  public static String encode(String id) {
    StringBuilder sb = new StringBuilder();
    byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < bytes.length; i++) {
      int b = bytes[i] & 0xff;
      boolean plain = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') || (b >= '0' && b <= '9') || b == '_'
          || b == '-' || b == '@' || b == '=' || (b == '.' && i > 0);
      if (plain) {
        sb.append((char) b);
      } else {
        sb.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
      }
    }
    return sb.isEmpty() ? "%00" : sb.toString();
  }
}
