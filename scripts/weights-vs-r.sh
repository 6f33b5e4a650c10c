#!/usr/bin/env bash
# chorus weights against R's survey::rake, end to end, on one synthetic sample: the same participants (a CSV of N
# people over six skewed dimensions, 2 x 6 x 5 x 4 x 3 x 5 levels, as in `chorus bench --jobs weights`) and the same
# uniform margins. Times both as fresh processes, compares every weight, and appends the figures to BENCHMARKS.md.
#   chorus: `./chorus weights` on the participants `./chorus ingest table` loaded (JVM and Spark start included)
#   R:      `Rscript`: read.csv, svydesign, rake (survey's default control), weights written to a CSV
# Usage: scripts/weights-vs-r.sh [N (default 1000000)] [WORK (default /tmp/chorus-weights-vs-r)]
# Needs python3 with numpy (the sample), Rscript with the survey package (Debian: r-cran-survey).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
n="${1:-1000000}"
work="${2:-/tmp/chorus-weights-vs-r}"
rm -rf "$work"
mkdir -p "$work"

python3 - "$n" "$work" <<'EOF'
import csv, sys
import numpy as np
n, work = int(sys.argv[1]), sys.argv[2]
levels = [2, 6, 5, 4, 3, 5]
rng = np.random.default_rng(2026)
# level of dimension d = floor(u^1.6 * L_d): low levels over-represented, raked to uniform margins
cols = [np.minimum(np.floor(rng.random(n) ** 1.6 * L).astype(int), L - 1) for L in levels]
with open(f"{work}/people.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["participant_id"] + [f"d{d}" for d in range(len(levels))])
    ids = np.char.add("p", np.arange(n).astype(str))
    lv = [np.char.add("l", c.astype(str)) for c in cols]
    w.writerows(zip(ids, *lv))
with open(f"{work}/margins.csv", "w") as f:
    f.write("dimension,value,share\n")
    for d, L in enumerate(levels):
        for l in range(L):
            f.write(f"d{d},l{l},{1 / L!r}\n")
EOF

cat >"$work/rake.R" <<'EOF'
suppressMessages(library(survey))
args <- commandArgs(trailingOnly = TRUE)
t0 <- proc.time()[["elapsed"]]
people <- read.csv(args[1], stringsAsFactors = FALSE)
t1 <- proc.time()[["elapsed"]]
margins <- read.csv(args[2], stringsAsFactors = FALSE)
n <- nrow(people)
dims <- unique(margins$dimension)
design <- svydesign(ids = ~1, data = people, weights = ~rep(1, n))
totals <- lapply(dims, function(d) {
  m <- margins[margins$dimension == d, ]
  t <- data.frame(m$value, m$share * n)
  names(t) <- c(d, "Freq")
  t
})
raked <- rake(design, lapply(dims, function(d) as.formula(paste0("~", d))), totals)
w <- weights(raked)
t2 <- proc.time()[["elapsed"]]
write.csv(data.frame(participant_id = people$participant_id, weight = w / mean(w)), args[3], row.names = FALSE)
t3 <- proc.time()[["elapsed"]]
cat(sprintf("phases read %.1f rake %.1f write %.1f\n", t1 - t0, t2 - t1, t3 - t2))
EOF

# timed OUT CMD...: runs CMD with its output in OUT, prints its wall-clock seconds
timed() {
  local out="$1" t0 t1
  shift
  t0=$(date +%s.%N)
  "$@" >"$out" 2>&1
  t1=$(date +%s.%N)
  echo "$t0 $t1" | awk '{printf "%.1f", $2 - $1}'
}
wh="$work/warehouse"
echo "sample: $n participants in $work/people.csv" >&2
./chorus ingest table --warehouse "$wh" --table participants --input "$work/people.csv" --scope vs-r \
  >"$work/ingest.out" 2>&1
chorus_s=$(timed "$work/chorus.out" ./chorus weights --warehouse "$wh" --margins "$work/margins.csv" \
  --population vs-r)
echo "chorus weights: $chorus_s s" >&2
r_s=$(timed "$work/r.out" Rscript "$work/rake.R" "$work/people.csv" "$work/margins.csv" "$work/r-weights.csv")
r_phases=$(sed -n 's/^phases //p' "$work/r.out")
echo "R survey::rake: $r_s s ($r_phases)" >&2
# every weight against R's, joined in Spark (R's CSV read in place; its header row is skipped): both sides must
# hold every participant
read -r both ours theirs worst < <(./chorus sql --warehouse "$wh" --format csv "
  SELECT count(*) AS n, count(w.weight) AS ours, count(r.weight) AS theirs, max(abs(w.weight / r.weight - 1)) AS worst
  FROM (SELECT participant_id, weight FROM derived.participant_weights WHERE population_id = 'vs-r') w
  FULL OUTER JOIN (SELECT _c0 AS participant_id, CAST(_c1 AS double) AS weight
                   FROM csv.\`$work/r-weights.csv\` WHERE _c0 <> 'participant_id') r
  USING (participant_id)" 2>"$work/compare.err" | tail -1 | tr ',' ' ')
if [[ "$both" != "$n" || "$ours" != "$n" || "$theirs" != "$n" ]]; then
  echo "comparison failed (see $work/compare.err) or the two runs weighted different participants:" \
    "${both:-?} in either, ${ours:-?} by chorus, ${theirs:-?} by R, of $n" >&2
  exit 1
fi
diff_max=$(printf "%.1e" "$worst")
echo "max relative difference per weight: $diff_max" >&2
sweeps=$(sed -n 's/.*converged after \([0-9]*\) sweeps.*/\1/p' "$work/chorus.out")
machine="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
{
  echo
  echo "## $(date -u +%Y-%m-%d) — $(hostname), $(nproc) cores, ${machine:-unknown cpu}: weights vs R, end to end"
  echo
  echo "Fresh processes on one sample (scripts/weights-vs-r.sh): \`./chorus weights\` (JVM and Spark start included;"
  echo "participants loaded beforehand by \`chorus ingest table\`) and \`Rscript\` (read.csv, svydesign, rake with"
  echo "survey's default control, weights written). Six dimensions, 2 x 6 x 5 x 4 x 3 x 5 levels, uniform margins."
  echo
  echo "| participants | chorus weights (s) | R survey::rake (s) | R's phases (s) | R / chorus | chorus sweeps | max relative difference per weight |"
  echo "|---:|---:|---:|---|---:|---:|---:|"
  printf "| %s | %s | %s | %s | %s | %s | %s |\n" "$(echo "$n" | sed ':a;s/\B[0-9]\{3\}\>/,&/;ta')" "$chorus_s" "$r_s" "$r_phases" \
    "$(echo "$r_s $chorus_s" | awk '{printf "%.1f", $1 / $2}')" "${sweeps:-?}" "$diff_max"
} >>BENCHMARKS.md
tail -3 BENCHMARKS.md
