package org.chorus.text;

import java.io.Serializable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces the personal data a free-text field may carry before it leaves Chorus: e-mail addresses ({@code [email]}),
 * phone numbers ({@code [phone]}: 9 to 15 digits with the separators people write, optionally led by +), and URLs that
 * point at a person ({@code [url]}: profile paths such as {@code /user/NAME}, {@code /~NAME}, {@code /in/NAME}, or any
 * path on a social network). Other URLs, dates, years and ordinary numbers are left alone. A rule-based scrubber
 * misses what it has no rule for (names, street addresses): it is a last line, not consent.
 */
public final class PiiScrubber implements Serializable {
  private static final long serialVersionUID = 1L;

  /** What one field became, and how many spans of each kind were replaced. */
  public record Scrubbed(String text, int emails, int phones, int urls) {
    public int spans() {
      return emails + phones + urls;
    }
  }

  static final Pattern EMAIL = Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");
  /** A URL, without the sentence punctuation that may follow it. */
  static final Pattern URL = Pattern.compile("https?://[^\\s<>\"')\\]]*[^\\s<>\"')\\].,;:!?]",
      Pattern.CASE_INSENSITIVE);
  static final Pattern PERSONAL_URL = Pattern.compile("(?i)^https?://(?:www\\.)?(?:[^/]*\\.)?(?:facebook\\.com|"
      + "twitter\\.com|x\\.com|instagram\\.com|linkedin\\.com|tiktok\\.com|github\\.com|reddit\\.com/u(?:ser)?)"
      + "/[^/?#\\s]+|^https?://[^/\\s]+/(?:~[^/?#\\s]+|(?:users?|u|profiles?|people|in|members?|author)/[^/?#\\s]+)");
  static final Pattern PHONE = Pattern.compile("(?<![\\w+])\\+?\\(?\\d[\\d ().\\-]{7,}\\d(?![\\w])");

  public Scrubbed scrub(String text) {
    if (text == null || text.isEmpty()) {
      return new Scrubbed(text, 0, 0, 0);
    }
    int[] counts = new int[3];
    String s = replace(URL, text, m -> PERSONAL_URL.matcher(m).find() ? "[url]" : null, counts, 2);
    s = replace(EMAIL, s, m -> "[email]", counts, 0);
    s = replace(PHONE, s, m -> {
      long digits = m.chars().filter(Character::isDigit).count();
      boolean decimal = m.matches("\\d+\\.\\d+");
      boolean plain = m.matches("\\d+");
      return digits >= (plain ? 10 : 9) && digits <= 15 && !decimal ? "[phone]" : null;
    }, counts, 1);
    return new Scrubbed(s, counts[0], counts[1], counts[2]);
  }

  private static String replace(Pattern p, String text, java.util.function.UnaryOperator<String> with, int[] counts,
      int kind) {
    Matcher m = p.matcher(text);
    StringBuilder out = new StringBuilder();
    int last = 0;
    while (m.find()) {
      String replacement = with.apply(m.group());
      if (replacement != null) {
        out.append(text, last, m.start()).append(replacement);
        last = m.end();
        counts[kind]++;
      }
    }
    return last == 0 ? text : out.append(text, last, text.length()).toString();
  }
}
