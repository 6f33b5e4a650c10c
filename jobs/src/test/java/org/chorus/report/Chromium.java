package org.chorus.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Headless Chromium (Debian's {@code chromium}, installed by .ci/run) rendering a page from disk to a screenshot,
 * with a NetLog of every network request. Requests Chromium makes for itself carry the initiator "not an origin";
 * anything the page asked for carries the page's origin.
 */
public final class Chromium {
  private Chromium() {}

  public record Render(int exitCode, List<String> pageRequests) {}

  public static String binary() {
    for (String b : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
        if (Files.isExecutable(Path.of(dir, b))) {
          return Path.of(dir, b).toString();
        }
      }
    }
    throw new IllegalStateException("headless Chromium not found (apt-get install chromium; .ci/run does)");
  }

  public static Render render(Path html, Path screenshot, Path netLog) throws IOException, InterruptedException {
    Files.createDirectories(screenshot.toAbsolutePath().getParent());
    Path profile = Files.createTempDirectory("chromium-profile");
    Process p = new ProcessBuilder(binary(), "--headless=new", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-extensions", "--user-data-dir=" + profile, "--log-net-log=" + netLog.toAbsolutePath(),
        "--window-size=1200,4000", "--screenshot=" + screenshot.toAbsolutePath(),
        html.toAbsolutePath().toUri().toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    if (!p.waitFor(180, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("chromium did not finish in 180 s");
    }
    List<String> requests = new ArrayList<>();
    JsonNode log = new ObjectMapper().readTree(netLog.toFile());
    for (JsonNode e : log.path("events")) {
      JsonNode params = e.path("params");
      if (params.has("url") && params.has("initiator") && !params.path("initiator").asText().equals("not an origin")) {
        requests.add(params.path("url").asText());
      }
    }
    return new Render(p.exitValue(), requests);
  }
}
