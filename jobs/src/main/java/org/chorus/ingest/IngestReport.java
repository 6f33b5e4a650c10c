package org.chorus.ingest;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.chorus.core.job.JobResult;
import org.chorus.core.tables.WriteResult;

/**
 * What an ingest did, per source file and target table: records read, accepted and quarantined (read = accepted +
 * quarantined always holds), plus the commits it made. The CLI prints it; tests assert on it.
 */
public final class IngestReport implements JobResult {
  /** One source file feeding one table. {@code note} says what else happened (superseded votes, ...). */
  public record SourceCount(String source, String target, long read, long accepted, long quarantined, String note) {
    public SourceCount {
      if (read != accepted + quarantined) {
        throw new IllegalStateException(String.format("%s -> %s: %d read but %d accepted + %d quarantined", source,
            target, read, accepted, quarantined));
      }
    }
  }

  private final String job;
  private final String scope;
  private final List<SourceCount> sources = new ArrayList<>();
  private final List<WriteResult> writes = new ArrayList<>();

  public IngestReport(String job, String scope) {
    this.job = job;
    this.scope = scope;
  }

  public void add(SourceCount count) {
    sources.add(count);
  }

  public void add(WriteResult write) {
    writes.add(write);
  }

  public String job() {
    return job;
  }

  public String scope() {
    return scope;
  }

  public List<SourceCount> sources() {
    return List.copyOf(sources);
  }

  @Override
  public List<WriteResult> writes() {
    return List.copyOf(writes);
  }

  public SourceCount source(String source, String target) {
    return sources.stream().filter(s -> s.source().equals(source) && s.target().equals(target)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no count for " + source + " -> " + target));
  }

  public WriteResult write(String table) {
    return writes.stream().filter(w -> w.table().equals(table)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no write to " + table));
  }

  public long totalRead() {
    return sources.stream().mapToLong(SourceCount::read).sum();
  }

  public long totalAccepted() {
    return sources.stream().mapToLong(SourceCount::accepted).sum();
  }

  public long totalQuarantined() {
    return sources.stream().mapToLong(SourceCount::quarantined).sum();
  }

  @Override
  public Map<String, Object> figures() {
    List<Map<String, Object>> counts = new ArrayList<>();
    for (SourceCount s : sources) {
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("source", s.source());
      c.put("table", s.target());
      c.put("read", s.read());
      c.put("accepted", s.accepted());
      c.put("quarantined", s.quarantined());
      c.put("note", s.note());
      counts.add(c);
    }
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("read", totalRead());
    f.put("accepted", totalAccepted());
    f.put("quarantined", totalQuarantined());
    f.put("sources", counts);
    return f;
  }

  @Override
  public void print(PrintStream out) {
    out.printf("%s %s%n", job, scope);
    out.printf("  %-28s %-20s %12s %12s %12s  %s%n", "source", "table", "read", "accepted", "quarantined", "");
    for (SourceCount s : sources) {
      out.printf("  %-28s %-20s %,12d %,12d %,12d  %s%n", s.source(), s.target(), s.read(), s.accepted(),
          s.quarantined(), s.note() == null ? "" : s.note());
    }
    out.printf("  %-28s %-20s %,12d %,12d %,12d  %s%n", "total", "", totalRead(), totalAccepted(), totalQuarantined(),
        totalQuarantined() == 0 ? "" : String.format(java.util.Locale.ROOT, "%.1f%% quarantined",
            100.0 * totalQuarantined() / totalRead()));
    for (WriteResult w : writes) {
      out.println("  " + w);
    }
    if (totalQuarantined() > 0) {
      out.printf("  quarantined rows: chorus sql \"SELECT * FROM input.quarantine WHERE scope = '%s'\"%n", scope);
    }
  }
}
