#!/bin/sh
# run_fuzzer.sh <fuzzer> <seed corpus> <seconds>: a bounded libFuzzer run that keeps the seed
# corpus untouched. A crash leaves its input in fuzz/artifacts/ (add it to the corpus with the
# fix).
set -eu
fuzzer=$1
corpus=$2
seconds=$3
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
artifacts="$(dirname "$corpus")/../artifacts/"
mkdir -p "$artifacts"
# libFuzzer's own exit code for a crash is 77, which meson reads as "skipped": use 1.
exec "$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -error_exitcode=1 \
  -artifact_prefix="$artifacts" -print_final_stats=1 "$scratch" "$corpus"
