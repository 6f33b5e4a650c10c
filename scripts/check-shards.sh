#!/usr/bin/env bash
# Checks a demo's training shards as their consumers meet them (run by .ci/run after the demo of notebooks/run.sh):
#   scripts/check-shards.sh WAREHOUSE SHARDS_DIR MODEL_DIR
# 1. Hugging Face datasets, pyarrow and pandas load them (scripts/check_shards.py, in a virtualenv under target/;
#    when pip cannot install datasets on this machine that part is skipped with a message, and ShardsJobTest still
#    checks every Arrow type against the types datasets supports).
# 2. A shards run killed (SIGKILL) while it writes leaves the published shards byte-for-byte unchanged and loadable,
#    and a rerun to completion publishes the same bytes again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
warehouse="$1" shards="$2" model="$3"
venv="$root/target/hf-venv"

python_ok=0
if [[ -x "$venv/bin/python" ]] && "$venv/bin/python" -c 'import datasets, pyarrow, pandas' 2>/dev/null; then
  python_ok=1
elif python3 -m venv "$venv" >/dev/null 2>&1 \
    && "$venv/bin/pip" install -q --disable-pip-version-check --retries 0 --timeout 10 datasets pyarrow pandas >"$root/target/hf-pip.log" 2>&1 \
    && "$venv/bin/python" -c 'import datasets, pyarrow, pandas' 2>/dev/null; then
  python_ok=1
else
  echo "check-shards: pip cannot install datasets/pyarrow/pandas here (target/hf-pip.log); Python loading skipped" >&2
fi
load() {
  if [[ $python_ok == 1 ]]; then "$venv/bin/python" "$root/scripts/check_shards.py" "$1"; fi
}
digests() { (cd "$1" && find . -type f | sort | xargs sha256sum); }

load "$shards"
before="$(digests "$shards")"

# a rerun killed while it writes its staging directory
log="$root/target/check-shards-kill.log"
CHORUS_NO_BUILD=1 "$root/chorus" --warehouse "$warehouse" shards --dataset demo --out "$shards" --model "$model" \
  >"$log" 2>&1 &
pid=$!
parent="$(dirname "$shards")" name="$(basename "$shards")"
for _ in $(seq 1 1200); do
  if compgen -G "$parent/.$name.staging-*/_tmp_shards" >/dev/null || ! kill -0 "$pid" 2>/dev/null; then break; fi
  sleep 0.05
done
if ! kill -9 "$pid" 2>/dev/null; then
  echo "check-shards: the shards run ended before it could be killed while writing (see $log)" >&2
  exit 1
fi
wait "$pid" 2>/dev/null || true
staged=$(compgen -G "$parent/.$name.staging-*" | wc -l)
if [[ "$(digests "$shards")" != "$before" ]]; then
  echo "check-shards: a killed shards run changed $shards" >&2
  exit 1
fi
load "$shards"
echo "check-shards: shards run killed while writing ($staged staging directory left beside, never read): $shards unchanged"

# the next run completes and publishes the same bytes (same inputs, same options)
CHORUS_NO_BUILD=1 "$root/chorus" --warehouse "$warehouse" shards --dataset demo --out "$shards" --model "$model" \
  >"$log" 2>&1
if [[ "$(digests "$shards")" != "$before" ]]; then
  echo "check-shards: a rerun of shards over unchanged inputs published different bytes" >&2
  diff <(echo "$before") <(digests "$shards") >&2 || true
  exit 1
fi
load "$shards"
echo "check-shards: rerun published identical files"
