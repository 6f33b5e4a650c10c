#!/usr/bin/env bash
# The live landing's throughput and lag (org.chorus.landing.LandingBenchmark), with an embedded KRaft broker:
#   scripts/bench-landing.sh [EVENTS] [RATE] [LAG_SECONDS] [INTERVAL]   (default 1000000 5000 60 10s)
# Needs the build (mvn -B -DskipTests package). Figures go to BENCHMARKS.md by hand, with the date and machine.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$here/landing/target/chorus-landing.jar"
cp_file="$here/landing/target/classpath.txt"
[[ -f "$jar" && -f "$cp_file" ]] || { echo "bench-landing: build first (mvn -B -DskipTests package)" >&2; exit 1; }
mkdir -p "$here/target/bench-landing"
exec java -Xmx8g -Dchorus.log.dir="$here/target/bench-landing" -cp "$jar:$(cat "$cp_file")" \
  org.chorus.landing.LandingBenchmark "$@"
