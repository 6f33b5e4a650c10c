package org.chorus.records;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Stable content ids: the first 16 hex digits (64 bits) of SHA-256. */
public final class Ids {
  private Ids() {}

  public static String contentId(String... parts) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      for (int i = 0; i < parts.length; i++) {
        if (i > 0) {
          md.update((byte) 0);
        }
        md.update(parts[i].getBytes(StandardCharsets.UTF_8));
      }
      return HexFormat.of().formatHex(md.digest(), 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static String promptId(String prompt) {
    return contentId(prompt);
  }

  public static String responseId(String promptId, String response) {
    return contentId(promptId, response);
  }
}
