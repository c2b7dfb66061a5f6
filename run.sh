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
exec java ${ZBATCH_JAVA_OPTS:-} -jar "$jar" "$@"
