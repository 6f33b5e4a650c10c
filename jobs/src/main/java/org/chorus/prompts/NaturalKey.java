package org.chorus.prompts;

/**
 * A sort key that orders ids naturally ("q2" before "q10"), so the representative of a duplicate cluster is the
 * prompt that comes first in the corpus's own numbering: each run of digits becomes its length (two digits) and the
 * digits without leading zeros. The id itself follows a NUL, so keys are distinct and {@link #id} recovers it.
 */
public final class NaturalKey {
  private NaturalKey() {}

  public static String of(String id) {
    StringBuilder sb = new StringBuilder(id.length() + 8);
    int i = 0;
    while (i < id.length()) {
      char c = id.charAt(i);
      if (c >= '0' && c <= '9') {
        int j = i;
        while (j < id.length() && id.charAt(j) >= '0' && id.charAt(j) <= '9') {
          j++;
        }
        int start = i;
        while (start < j - 1 && id.charAt(start) == '0') {
          start++;
        }
        int len = Math.min(99, j - start);
        sb.append((char) ('0' + len / 10)).append((char) ('0' + len % 10)).append(id, start, j);
        i = j;
      } else {
        sb.append(c == '\u0000' ? ' ' : c);
        i++;
      }
    }
    return sb.append('\u0000').append(id).toString();
  }

  public static String id(String key) {
    return key.substring(key.indexOf('\u0000') + 1);
  }
}
