#!/usr/bin/env bash
# zbatch: builds the jar when it is missing or older than the sources, then runs it with all arguments.
# Relative paths in arguments and job specs are read from the current folder; with no arguments at all,
# the sample job runs from the project folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/zbatch.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$here/pom.xml" "$here/src/main" -newer "$jar" -print -quit)" ]; then
  echo "zbatch: building (first run, or the sources changed)..." >&2
  log="$(mktemp)"
  if ! mvn -q -B -Dstyle.color=never -f "$here/pom.xml" -Dmaven.test.skip=true package >"$log" 2>&1; then
    cat "$log" >&2; rm -f "$log"; echo "zbatch: the build failed (see above)" >&2; exit 1
  fi
  rm -f "$log"
fi
# zbatch mostly waits on the network. C1 only: the top-tier JIT would spend more CPU compiling than it saves;
# the serial collector: G1's concurrent threads cost more than they save on a heap this small. Measured with
# ./run.sh bench (2000 images): 30.7 s of CPU with the JVM's defaults, 14.3 s with these.
jvm=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC)

# A fast start: the jar unpacked (classes load faster from plain jars than from jars inside a jar) and a class-data
# sharing archive of the classes a sandbox run loads, made once per build by running the sample job on the
# sandbox into a scratch folder (a clean environment: no key, no ZBATCH_* setting, nothing sent anywhere).
# Measured on the sample job, from the command to the sandbox receiving the first submission: 3.2 s without
# it, 1.85 s with it (1.45 s for a run into an existing ledger).
fast="$here/target/fast-start"
prepare_fast_start() {
  # the archive records the jars' paths and times: it is made where it will be used, and checked before use
  rm -rf "$fast" && mkdir -p "$fast"
  local scratch; scratch="$(mktemp -d)"
  if java -Djarmode=tools -jar "$jar" extract --destination "$fast" >/dev/null 2>&1 \
      && (cd "$here" && env -i PATH="$PATH" HOME="${HOME:-/tmp}" java "${jvm[@]}" \
            -XX:ArchiveClassesAtExit="$fast/zbatch.jsa" -jar "$fast/zbatch.jar" \
            run jobs/sample.yml --zbatch.provider=sandbox --zbatch.output.dir="$scratch/out" \
            --zbatch.sandbox.min-latency=0ms --zbatch.sandbox.max-latency=0ms >/dev/null 2>&1) \
      && java "${jvm[@]}" -Xshare:on -XX:SharedArchiveFile="$fast/zbatch.jsa" -jar "$fast/zbatch.jar" help \
            >/dev/null 2>&1; then
    touch "$fast/ready"
  else
    echo "zbatch: (the faster start could not be prepared; starting the usual way)" >&2
    rm -rf "$fast" && mkdir -p "$fast" && touch "$fast/ready"
  fi
  rm -rf "$scratch"
}
fast_start_is_stale() { [ ! -f "$fast/ready" ] || [ "$jar" -nt "$fast/ready" ]; }
if fast_start_is_stale; then
  mkdir -p "$fast"
  # two commands started together: one prepares, the other waits for it rather than unpacking over it
  exec 9>"$here/target/fast-start.lock"
  if command -v flock >/dev/null; then flock 9; fi
  if fast_start_is_stale; then
    echo "zbatch: preparing a faster start (once per build, about 15 s)..." >&2
    prepare_fast_start
  fi
  exec 9>&-
fi
if [ $# -eq 0 ]; then cd "$here"; fi
# ZBATCH_JAVA_OPTS comes last, so it can override the rest.
if [ -f "$fast/zbatch.jsa" ] && [ -f "$fast/zbatch.jar" ]; then
  # should the archive not fit (other JVM options in ZBATCH_JAVA_OPTS), the JVM starts without it: no warning
  exec java "${jvm[@]}" -XX:SharedArchiveFile="$fast/zbatch.jsa" -Xlog:cds=off -Xlog:cds+dynamic=off ${ZBATCH_JAVA_OPTS:-} -jar "$fast/zbatch.jar" "$@"
fi
exec java "${jvm[@]}" ${ZBATCH_JAVA_OPTS:-} -jar "$jar" "$@"
