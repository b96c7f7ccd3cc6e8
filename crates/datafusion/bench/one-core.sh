#!/usr/bin/env bash
# Benchmark: the DataFusion path (`query`, one partition) against `gardener
# --threads 1` on the same NDJSON files, each process pinned to one core.
# Not a test: it prints figures for the README and asserts nothing about speed.
#
#   crates/datafusion/bench/one-core.sh [MEGABYTES] [FILES]    (default 200 MB in 8 files)
#
# Builds both in release: log-gardener's profile (fat LTO) for gardener, the
# engines workspace's release profile (no LTO) for query. Output equality is
# checked on the way (clusters and counts; error positions aside).
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
megabytes="${1:-200}"
files="${2:-8}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$root"
cargo build --release --example gardener --example gen_corpus
(cd crates/datafusion && cargo build --release --locked --example query)
gardener="$root/target/release/examples/gardener"
query="$root/crates/datafusion/target/release/examples/query"
[[ -n "${CARGO_TARGET_DIR:-}" ]] && query="$CARGO_TARGET_DIR/release/examples/query"

# One corpus cut into FILES files at line ends, as a sink writes hourly files.
target/release/examples/gen_corpus --bytes "$((megabytes * 1000000))" >"$work/corpus.ndjson"
lines=$(wc -l <"$work/corpus.ndjson")
split --numeric-suffixes=1 --suffix-length=2 --additional-suffix=.json \
    --lines="$(((lines + files - 1) / files))" "$work/corpus.ndjson" "$work/part-"
rm "$work/corpus.ndjson"
mapfile -t inputs < <(find "$work" -name 'part-*.json' | LC_ALL=C sort)
bytes=$(cat "${inputs[@]}" | wc -c)
now="2025-09-15T01:00:00Z"

run() { # label, command...: the best wall time of 3 runs, and that run's CPU time
    local label="$1" best="" cpu="" wall user sys
    shift
    for _ in 1 2 3; do
        /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null
        read -r wall user sys <"$work/time"
        if [[ -z "$best" ]] || awk -v a="$wall" -v b="$best" 'BEGIN { exit !(a < b) }'; then
            best="$wall"
            cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')
        fi
    done
    awk -v l="$label" -v w="$best" -v c="$cpu" -v b="$bytes" \
        'BEGIN { printf "%-34s %7.2f s wall %7.2f s cpu %8.1f MB/s\n", l, w, c, b / w / 1e6 }'
}

printf '%s MB of NDJSON (%s entries) in %s files, one core (taskset -c 0), best of 3\n' \
    "$((bytes / 1000000))" "$lines" "${#inputs[@]}"
run "gardener --threads 1" taskset -c 0 "$gardener" --threads 1 --format json --now "$now" "${inputs[@]}"
run "query --partitions 1 (DataFusion)" taskset -c 0 "$query" --partitions 1 --format json --now "$now" "${inputs[@]}"

# Same worklog on the way (the query example's JSON equals gardener's on one partition).
taskset -c 0 "$gardener" --threads 1 --format json --now "$now" "${inputs[@]}" >"$work/gardener.json"
taskset -c 0 "$query" --partitions 1 --format json --now "$now" "${inputs[@]}" >"$work/query.json"
cmp "$work/gardener.json" "$work/query.json" && echo "outputs: identical"
