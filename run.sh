#!/usr/bin/env bash
# zbatch: builds the jar when it is missing or older than the sources, then runs it with all arguments.
set -euo pipefail
cd "$(dirname "$0")"
jar=target/zbatch.jar
if [ ! -f "$jar" ] || [ -n "$(find pom.xml src/main -newer "$jar" -print -quit)" ]; then
  echo "zbatch: building (first run or sources changed)..." >&2
  mvn -q -B -DskipTests package >&2
fi
exec java ${ZBATCH_JAVA_OPTS:-} -jar "$jar" "$@"
