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
if [ $# -eq 0 ]; then cd "$here"; fi
# zbatch mostly waits on the network. C1 only: the top-tier JIT would spend more CPU compiling than it saves;
# the serial collector: G1's concurrent threads cost more than they save on a heap this small. Measured with
# ./run.sh bench (2000 images): 30.7 s of CPU with the JVM's defaults, 14.3 s with these.
# ZBATCH_JAVA_OPTS comes after, so it can override them.
exec java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC ${ZBATCH_JAVA_OPTS:-} -jar "$jar" "$@"
