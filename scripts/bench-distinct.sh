#!/usr/bin/env bash
# Time and peak RSS of the gardener on N entries whose messages are all
# different (a service logging unmasked payloads), next to N ordinary
# entries, and on N/4 distinct entries: with the cap on distinct groups,
# peak RSS does not grow with the number of distinct messages, and time
# stays linear.
#
#   scripts/bench-distinct.sh                  # N = 1,000,000
#   nice -n 19 scripts/bench-distinct.sh 200000 /tmp/bench
#
# Builds the release examples (fat LTO: minutes), writes the inputs once
# into the work directory (default $TMPDIR/log-gardener-bench; the ordinary
# input of 1M entries is about 900 MB), then runs
# `gardener --threads 1 FILE` on each, measured by GNU time. CPU seconds
# (user + system) drift less than wall-clock seconds on a busy machine.
set -euo pipefail

entries=${1:-1000000}
work=${2:-${TMPDIR:-/tmp}/log-gardener-bench}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"

cd "$root"
cargo build --release --example gardener --example gen_corpus >&2
gen_corpus="$root/target/release/examples/gen_corpus"
gardener="$root/target/release/examples/gardener"

input_of() { # messages entries
    local input="$work/$1-$2.ndjson"
    if [ ! -s "$input" ]; then
        "$gen_corpus" --entries "$2" --messages "$1" >"$input.partial"
        mv "$input.partial" "$input"
    fi
    echo "$input"
}

printf '%-9s %9s %9s %9s %9s %12s %11s %5s\n' \
    input entries "input MB" "wall s" "CPU s" "peak RSS MB" "output MB" exit
for run in "ordinary $entries" "distinct $((entries / 4))" "distinct $entries"; do
    read -r messages count <<<"$run"
    input=$(input_of "$messages" "$count")
    output="$work/$messages-$count.out"
    status=0
    /usr/bin/time -f '%e %U %S %M' -o "$work/time" \
        "$gardener" --threads 1 "$input" >"$output" 2>"$output.err" || status=$?
    read -r wall user system rss_kb <"$work/time"
    awk -v m="$messages" -v n="$count" -v in_bytes="$(stat -c %s "$input")" \
        -v wall="$wall" -v cpu="$(awk -v u="$user" -v s="$system" 'BEGIN { print u + s }')" \
        -v rss="$rss_kb" -v out_bytes="$(stat -c %s "$output")" -v status="$status" \
        'BEGIN { printf "%-9s %9d %9.1f %9.2f %9.2f %12.1f %11.2f %5d\n",
                 m, n, in_bytes / 1e6, wall, cpu, rss / 1024, out_bytes / 1e6, status }'
done
