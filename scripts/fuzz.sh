#!/usr/bin/env bash
# Runs the cargo-fuzz targets of fuzz/ for a while each, the corpus seeded
# from the crates' test fixtures, and prints each target's figures.
#
#   scripts/fuzz.sh                     # every target, 60 s each
#   scripts/fuzz.sh 600                 # every target, 10 minutes each
#   scripts/fuzz.sh 600 reader state    # some targets
#   nice -n 19 scripts/fuzz.sh 30       # what CI may run
#
# Needs the nightly toolchain and cargo-fuzz (`cargo install cargo-fuzz`).
# A crash stops the script with libFuzzer's report; the input that crashed
# is in fuzz/artifacts/<target>/ (reproduce it with
# `cargo +nightly fuzz run <target> fuzz/artifacts/<target>/crash-...`).
# Fix it in the library and keep the input as a regression test in the
# crate's tests. Logs are in fuzz/logs/; the corpus grows in fuzz/corpus/.
set -euo pipefail

seconds=${1:-60}
shift || true
all_targets=(reader traces masker issue_listing state)
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=("${all_targets[@]}")
fi

root=$(cd "$(dirname "$0")/.." && pwd)
fuzz="$root/fuzz"
data_log_model="$root/crates/log-model/tests/data"
mkdir -p "$fuzz/logs"

# Seeds: fixtures as they are, and the multi-case fixtures split into one
# file per case (trace fixtures at `==== name` lines, Loghub rows per line).
seeds="$fuzz/corpus/seeds"
rm -rf "$seeds"
mkdir -p "$seeds/traces" "$seeds/lines"
for file in "$data_log_model"/traces/*.txt; do
    awk -v dir="$seeds/traces" -v base="$(basename "$file" .txt)" '
        /^==== / { n++; out = sprintf("%s/%s-%03d", dir, base, n); next }
        out { printf "%s\n", $0 > out }
    ' "$file"
done
for file in "$root"/crates/fingerprint/tests/data/loghub2k/*.csv; do
    awk -v dir="$seeds/lines" -v base="$(basename "$file" .csv)" '
        NR > 1 && NR <= 41 { printf "%s", $0 > sprintf("%s/%s-%03d", dir, base, NR) }
    ' "$file"
done

# Per target: the seed directories, the dictionary and the largest input.
seed_dirs() {
    case $1 in
        reader) echo "$data_log_model $root/examples/data" ;;
        traces) echo "$seeds/traces" ;;
        masker) echo "$seeds/lines $seeds/traces" ;;
        issue_listing) echo "$root/crates/report/tests/data" ;;
        state) echo "$root/crates/fingerprint/tests/data/state" ;;
    esac
}
dictionary() {
    case $1 in
        traces | masker) echo "$fuzz/dicts/text.dict" ;;
        *) echo "$fuzz/dicts/logging.dict" ;;
    esac
}
max_len() {
    case $1 in
        traces | masker) echo 4096 ;;
        reader) echo 16384 ;; # larger inputs add little and run at ~90/s
        *) echo 65536 ;;
    esac
}

cd "$fuzz"
cargo +nightly fuzz build >&2

summary=()
for target in "${targets[@]}"; do
    mkdir -p "corpus/$target"
    log="logs/$target.log"
    echo "fuzzing $target for ${seconds}s (log: fuzz/$log)" >&2
    # shellcheck disable=SC2046 # the seed directories are words on purpose
    if ! cargo +nightly fuzz run "$target" "corpus/$target" $(seed_dirs "$target") -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len="$(max_len "$target")" -dict="$(dictionary "$target")" \
        -print_final_stats=1 >"$log" 2>&1; then
        tail -n 60 "$log" >&2
        echo "fuzz target $target failed: see fuzz/$log and fuzz/artifacts/$target/" >&2
        exit 1
    fi
    execs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$log")
    rate=$(awk '/stat::average_exec_per_sec/ { print $NF }' "$log")
    rss=$(awk '/stat::peak_rss_mb/ { print $NF }' "$log")
    cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "$log" | tail -n 1)
    summary+=("$(printf '%-14s %6ss %12s execs %8s/s  %-32s peak %s MB' \
        "$target" "$seconds" "$execs" "$rate" "$cov" "$rss")")
done

printf '%s\n' "${summary[@]}"
