#!/usr/bin/env bash
# Times the jobs on synthetic data and appends the figures to BENCHMARKS.md (date, machine).
# Usage: scripts/benchmark.sh [--sizes 1M,10M[,100M]] [--work /tmp/chorus-bench]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"
machine="$(lscpu 2>/dev/null | sed -n 's/^Model name:[[:space:]]*//p' | head -1)"
echo "benchmarking on: ${machine:-unknown cpu}, $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB RAM" >&2
exec ./chorus bench "$@"
