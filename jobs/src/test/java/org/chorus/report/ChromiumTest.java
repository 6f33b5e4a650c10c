package org.chorus.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The request check of the report test can fail: a page that fetches an image is caught, a self-contained one not. */
class ChromiumTest {
  @TempDir
  Path tmp;

  @Test
  void pageRequestsAreSeenAndBrowserRequestsAreNot() throws Exception {
    Path fetching = tmp.resolve("fetching.html");
    Files.writeString(fetching, "<!DOCTYPE html><html><body><img src=\"http://chorus.invalid/x.png\"></body></html>");
    Chromium.Render r = Chromium.render(fetching, tmp.resolve("a.png"), tmp.resolve("a.json"));
    assertThat(r.pageRequests()).contains("http://chorus.invalid/x.png");

    Path local = tmp.resolve("local.html");
    Files.writeString(local, "<!DOCTYPE html><html><body><svg width=\"10\" height=\"10\"><rect width=\"5\" "
        + "height=\"5\"/></svg></body></html>");
    Chromium.Render s = Chromium.render(local, tmp.resolve("b.png"), tmp.resolve("b.json"));
    assertThat(s.exitCode()).isZero();
    assertThat(s.pageRequests()).isEmpty();
    assertThat(tmp.resolve("b.png")).isNotEmptyFile();
  }
}
