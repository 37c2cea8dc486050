#!/usr/bin/env bash
# Fuzzes every @FuzzTest in turn with Jazzer, each for its annotation's maxDuration, or for --seconds N each.
#
#   bench/fuzz.sh [--seconds N] [--only Class#method]
#
# `./mvnw verify` runs the fuzz tests in Jazzer's regression mode: each on its seed corpus (src/test/resources/
# <package>/<Class>Inputs/<method>/) and on the findings kept there. This script sets JAZZER_FUZZ=1, which makes
# Jazzer mutate inputs, one test per Maven run. A finding fails the run and is written to that Inputs directory
# (crash-<sha1>): keep it there once fixed, and it is a regression test from then on.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds=""
only=""
while (($#)); do
  case "$1" in
    --seconds) seconds="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "fuzz: unknown argument $1" >&2; exit 2 ;;
  esac
done

cd "$root"
./mvnw -q -B -DskipTests package >/dev/null
targets=()
while IFS= read -r file; do
  module="${file%%/src/test/java/*}"
  class="$(basename "$file" .java)"
  while IFS= read -r method; do
    targets+=("$module $class#$method")
  done < <(grep -A1 '@FuzzTest' "$file" | grep -oP 'void \K\w+')
done < <(grep -rl '@FuzzTest' --include='*.java' ./*/src/test/java | sed 's|^\./||' | sort)

extra=()
# Jazzer's JUnit integration takes libFuzzer flags only as these properties.
[[ -n "$seconds" ]] && extra+=("-Djazzer.internal.arg.0=fuzz" "-Djazzer.internal.arg.1=-max_total_time=$seconds")
failed=0
for t in "${targets[@]}"; do
  read -r module test <<<"$t"
  [[ -n "$only" && "$test" != "$only" ]] && continue
  echo "fuzz: $test ($module)"
  if ! JAZZER_FUZZ=1 ./mvnw -q -B -o test -pl "$module" -am -Dspotless.check.skip=true \
      -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false "${extra[@]}"; then
    echo "fuzz: $test found something (see the Inputs directory)" >&2
    failed=1
  fi
done
exit $failed
