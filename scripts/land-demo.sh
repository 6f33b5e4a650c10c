#!/usr/bin/env bash
# Live landing on one machine: an embedded Kafka broker (KRaft), a shared Polis export replayed as timed events,
# the Beam landing committing every 5 s, and `chorus opinions` run on the landed conversation while events still
# arrive, then once more after the last one.
#   scripts/land-demo.sh [EXPORT_DIR] [RATE]     (default ../shared/data/polis/vtaiwan.uberx, 2000 events/s)
# Output goes under target/land-demo (its own warehouse); the landing logs to target/land-demo/logs/landing.log.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export_dir="${1:-$here/../shared/data/polis/vtaiwan.uberx}"
rate="${2:-2000}"
out="$here/target/land-demo"
rm -rf "$out" && mkdir -p "$out/logs"
export CHORUS_LOG_DIR="$out/logs"
wh="$out/warehouse"

"$here/chorus" sql --warehouse "$wh" "SELECT 1" >/dev/null # builds on first use
CHORUS_LOG_DIR="$out/logs" "$here/chorus" land --embedded-broker --warehouse "$wh" --replay "$export_dir" \
  --conversation live --rate "$rate" --interval 5s --stop-after-idle 15 >"$out/land.out" 2>&1 &
land_pid=$!
echo "landing (pid $land_pid) replays $export_dir at $rate events/s; waiting for the first votes..."
votes() {
  "$here/chorus" sql --warehouse "$wh" --format csv \
    "SELECT count(*) AS n FROM input.votes WHERE conversation_id = 'live'" 2>/dev/null | tail -1 || echo 0
}
for _ in $(seq 1 120); do
  if ! kill -0 "$land_pid" 2>/dev/null; then
    echo "land-demo: the landing stopped before any vote landed:" >&2
    cat "$out/land.out" >&2
    exit 1
  fi
  n="$(votes)"
  [[ "$n" =~ ^[0-9]+$ && "$n" -gt 1000 ]] && break
  sleep 2
done
echo "votes landed so far: $(votes); opinions while events still arrive:"
"$here/chorus" opinions --warehouse "$wh" --conversation live
wait "$land_pid"
cat "$out/land.out"
echo "all events landed: $(votes) votes; opinions again:"
"$here/chorus" opinions --warehouse "$wh" --conversation live
