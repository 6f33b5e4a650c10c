#!/usr/bin/env bash
# Times the jobs on synthetic data and appends the figures to BENCHMARKS.md (date, machine).
# Usage: scripts/benchmark.sh [--sizes 1M,10M[,100M]] [--jobs ...] [--work /tmp/chorus-bench]
# The benchmarks are their own module (bench/), not part of the production jar; they run on the launcher's class path.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
machine="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
echo "benchmarking on: ${machine:-unknown cpu}, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM" >&2
mvn -B -q -DskipTests package >target-bench-build.log 2>&1 || { tail -20 target-bench-build.log >&2; exit 1; }
rm -f target-bench-build.log
opens=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED -Djdk.reflect.useDirectMethodHandle=false
  -Dio.netty.tryReflectionSetAccessible=true)
exec "${JAVA_HOME:+$JAVA_HOME/bin/}java" -XX:MaxRAMPercentage=60 -XX:+UseParallelGC "${opens[@]}" \
  -Dchorus.log.dir="${CHORUS_LOG_DIR:-logs}" -Dchorus.home="$here" \
  -cp "bench/target/chorus-bench.jar:jobs/target/chorus-jobs.jar:$(cat jobs/target/classpath.txt)" \
  org.chorus.bench.BenchMain "$@"
