#!/usr/bin/env bash
# zbatch: builds the jar when it is missing or older than the sources, then runs it with all arguments.
# Relative paths in arguments and job specs are read from the current folder; with no arguments at all,
# the sample job runs from the project folder.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
jar="$here/target/zbatch.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$here/pom.xml" "$here/src/main" -newer "$jar" -print -quit)" ]; then
  echo "zbatch: building (first run, or the sources changed)..." >&2
  mvn -q -B -Dstyle.color=never -f "$here/pom.xml" -Dmaven.test.skip=true package >&2
fi
if [ $# -eq 0 ]; then cd "$here"; fi
# C1 only: zbatch waits on the network; the top-tier JIT would spend more CPU compiling than it ever saves
# (measured with ./run.sh bench: 40% less CPU). ZBATCH_JAVA_OPTS comes after, so it can override this.
exec java -XX:TieredStopAtLevel=1 ${ZBATCH_JAVA_OPTS:-} -jar "$jar" "$@"
