package org.chorus.core.job;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintStream;
import java.util.Map;

/**
 * One finished run as the CLI reports it: the job's typed result, or, for a no-op rerun, the earlier run's record.
 * {@link #json()} is the object {@code --output json} prints:
 * <pre>{"job": "opinions", "run_id": "...", "scope": "bg2050", "status": "ok" | "noop", "seconds": 12.3,
 *  "options": "...", "tables": [{"table", "snapshot_id", "rows_written", "rows_replaced", "rows_in_table"}],
 *  "files": ["..."], "figures": {...}}</pre>
 *
 * @param result the job's result; null for a no-op
 */
public record JobRun<R extends JobResult>(String job, String runId, String scope, boolean noop, R result,
    ObjectNode json) {
  static final ObjectMapper MAPPER = new ObjectMapper();

  static <R extends JobResult> JobRun<R> ran(String job, String runId, JobOptions options, double seconds, R result) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("job", job);
    o.put("run_id", runId);
    o.put("scope", options.scope());
    o.put("status", "ok");
    o.put("seconds", Math.round(seconds * 1000) / 1000.0);
    o.put("options", options.personal() ? "(not recorded: names a person)" : options.describe());
    ArrayNode tables = o.putArray("tables");
    result.writes().forEach(w -> tables.addObject().put("table", w.table()).put("snapshot_id", w.snapshotId())
        .put("rows_written", w.addedRecords()).put("rows_replaced", w.deletedRecords())
        .put("rows_in_table", w.totalRecords()));
    ArrayNode files = o.putArray("files");
    result.files().forEach(files::add);
    o.set("figures", MAPPER.valueToTree(result.figures()));
    return new JobRun<>(job, runId, options.scope(), false, result, o);
  }

  static <R extends JobResult> JobRun<R> noop(RunLog.Entry previous) {
    ObjectNode o;
    try {
      o = (ObjectNode) MAPPER.readTree(previous.result());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable result in " + RunLog.TABLE + " for run " + previous.runId(), e);
    }
    o.put("status", "noop");
    o.put("completed_at", previous.startedAt().toString());
    return new JobRun<>(previous.job(), previous.runId(), previous.scope(), true, null, o);
  }

  /** The snapshot each table of the run was committed at (for a no-op, the earlier run's). */
  public Map<String, Long> snapshots() {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    json.withArray("tables").forEach(t -> out.put(t.get("table").asText(), t.get("snapshot_id").asLong()));
    return out;
  }

  /** The human summary: the job's own, or one line saying the rerun did nothing and why. */
  public void print(PrintStream out) {
    if (!noop) {
      result.print(out);
      return;
    }
    out.printf("%s: run '%s' already completed at %s with the same options and inputs; nothing committed%n", job,
        runId, json.get("completed_at").asText());
    snapshots().forEach((t, s) -> out.printf("  %s: snapshot %d%n", t, s));
  }
}
