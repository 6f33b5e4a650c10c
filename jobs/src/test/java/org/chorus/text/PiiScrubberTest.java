package org.chorus.text;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PiiScrubberTest {
  private final PiiScrubber scrubber = new PiiScrubber();

  @Test
  void emailsPhonesAndPersonalUrlsAreReplacedAndCounted() {
    PiiScrubber.Scrubbed s = scrubber.scrub("Mail ada.lovelace+ai@example.co.uk or call +44 7700 900042 / "
        + "(555) 123-4567; see https://twitter.com/ada_l and https://example.org/~ada/notes, "
        + "https://www.linkedin.com/in/ada-lovelace.");
    assertThat(s.text()).isEqualTo("Mail [email] or call [phone] / [phone]; see [url] and [url], [url].");
    assertThat(s.emails()).isEqualTo(1);
    assertThat(s.phones()).isEqualTo(2);
    assertThat(s.urls()).isEqualTo(3);
    assertThat(s.spans()).isEqualTo(6);
  }

  @Test
  void ordinaryNumbersDatesAndUrlsStay() {
    String text = "In 2019-2020, 12,345 people (3.5%) voted on 2024-01-15 at 10:30; the rules are at "
        + "https://example.org/policy/ai-homework and https://en.wikipedia.org/wiki/Sortition. Pi is 3.14159265.";
    PiiScrubber.Scrubbed s = scrubber.scrub(text);
    assertThat(s.text()).isEqualTo(text);
    assertThat(s.spans()).isZero();
    assertThat(scrubber.scrub(null).text()).isNull();
  }
}
