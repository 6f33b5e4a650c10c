#!/usr/bin/env bash
# The ingest fuzzer at scale: IngestFuzzTest with N mutants (default 1000; CI runs 60) and a seed.
#   scripts/fuzz.sh [MUTANTS] [SEED]
# Prints the line "fuzz: N mutants (seed S), R records in the accepted ones; exits {...}; problems P" and fails on
# any problem (a record unaccounted for, a stack trace, exit 1 or 2, a long error line, a commit on exit 3).
set -euo pipefail
cd "$(dirname "$0")/.."
mutants="${1:-1000}" seed="${2:-20261203}"
mvn -B -q -N install -DskipTests >/dev/null && mvn -B -q install -DskipTests -pl schemas,spark-dist,test-servers >/dev/null
mkdir -p target
status=0
mvn -B test -pl jobs -Dtest=IngestFuzzTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dchorus.fuzz.mutants="$mutants" -Dchorus.fuzz.seed="$seed" >target/fuzz.log 2>&1 || status=$?
grep -E "^fuzz:|fuzz problems|^ +\"mutant" target/fuzz.log || true
echo "fuzz.sh: full log in target/fuzz.log" >&2
exit "$status"
