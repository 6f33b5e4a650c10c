#!/usr/bin/env bash
# Executes every notebook in notebooks/ headless (Debian's jupyter-nbconvert) on a Java kernel from Maven Central
# (io.github.padreati:rapaio-jupyter-kernel) against a warehouse: $CHORUS_WAREHOUSE, default a fresh `chorus demo`.
# Executed copies go to notebooks/target/executed/; the committed notebooks stay without outputs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
target="$here/target"
kernel_version=3.0.1
mkdir -p "$target"

if ! command -v jupyter-nbconvert >/dev/null; then
  if [[ $(id -u) -eq 0 ]]; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      jupyter-nbconvert jupyter-client python3-ipykernel) >&2
  else
    echo "notebooks/run.sh: needs jupyter-nbconvert (apt-get install jupyter-nbconvert jupyter-client)" >&2
    exit 1
  fi
fi

# the project's jar and class path (the launcher builds them when missing or stale)
"$root/chorus" --help >/dev/null
# the kernel, through Maven from Maven Central
kernel_jar="$target/kernel/rapaio-jupyter-kernel-$kernel_version.jar"
if [[ ! -f "$kernel_jar" ]]; then
  mvn -B -q -f "$root/pom.xml" -N dependency:copy \
    -Dartifact="io.github.padreati:rapaio-jupyter-kernel:$kernel_version" -DoutputDirectory="$target/kernel"
fi
# every jar the notebooks load with %jar target/lib
rm -rf "$target/lib" && mkdir -p "$target/lib"
for j in $(tr ':' ' ' < "$root/jobs/target/classpath.txt") "$root/jobs/target/chorus-jobs.jar"; do
  ln -sf "$j" "$target/lib/"
done
# the kernel spec: Spark needs the same --add-opens as the launcher
opens=$(sed -n '/^opens=(/,/^)/p' "$root/chorus" | grep -o -- '-[-D][^ ]*' | sed 's/.*/"&",/' | tr -d '\n')
mkdir -p "$target/jupyter/kernels/chorus-java"
cat > "$target/jupyter/kernels/chorus-java/kernel.json" <<JSON
{"argv": ["java", "-Xmx4g", $opens "-jar", "$kernel_jar", "{connection_file}"],
 "display_name": "Java (Chorus)", "language": "java", "interrupt_mode": "message",
 "env": {"RJK_TIMEOUT_MILLIS": "-1"}}
JSON

if [[ -z "${CHORUS_WAREHOUSE:-}" ]]; then
  export CHORUS_WAREHOUSE="$target/warehouse"
  rm -rf "$CHORUS_WAREHOUSE" "$target/demo-out"
  echo "notebooks/run.sh: a fresh demo in $CHORUS_WAREHOUSE" >&2
  "$root/chorus" --warehouse "$CHORUS_WAREHOUSE" demo --out "$target/demo-out" > "$target/demo.log"
fi

export JUPYTER_PATH="$target/jupyter"
mkdir -p "$target/executed"
status=0
for nb in "$here"/*.ipynb; do
  name="$(basename "$nb")"
  echo "notebooks/run.sh: executing $name against $CHORUS_WAREHOUSE" >&2
  ok=0
  # the kernel now and then never answers nbclient's kernel_info request, or dies before it does (1 start in 6
  # here): start it again
  for attempt in 1 2 3 4 5; do
    if (cd "$here" && jupyter-nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=chorus-java \
        --ExecutePreprocessor.startup_timeout=45 --ExecutePreprocessor.timeout=600 \
        --output-dir "$target/executed" "$name" > "$target/executed/$name.log" 2>&1); then
      ok=1
      break
    fi
    # a kernel that fails to start (no cell has run yet) is started again; a failing cell is not retried
    grep -q -e "Kernel didn't respond" -e "Kernel died before replying to kernel_info" "$target/executed/$name.log" \
      || break
    echo "notebooks/run.sh: the kernel did not start (attempt $attempt); again" >&2
  done
  if [[ $ok -eq 0 ]]; then
    echo "notebooks/run.sh: $name FAILED (see $target/executed/$name.log)" >&2
    status=1
  fi
done
exit $status
