#!/usr/bin/env bash
# Runs every test: unit and CLI tests (build/), the same again under AddressSanitizer + UBSan
# (build-asan/), then each libFuzzer target for a bounded time (build-fuzz/). Expects scripts/setup.sh
# to have run. MYNASIM_FUZZ_SECONDS (default 60) bounds each fuzzer. Each phase prints its wall and
# CPU time; a table of them (with setup.sh's) ends the output.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/phase.sh
trap phase_summary EXIT
jobs=$(nproc)

phase "test: ctest build" ctest --test-dir build --output-on-failure -j "$jobs"

configure_asan() {
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMYNASIM_SANITIZE=ON -DMYNASIM_WERROR=ON >/dev/null
}
phase "asan: configure" configure_asan
phase "asan: build" cmake --build build-asan --parallel
ctest_asan() {
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir build-asan --output-on-failure -j "$jobs"
}
phase "asan: ctest" ctest_asan

configure_fuzz() {
    cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMYNASIM_FUZZ=ON -DBUILD_TESTING=OFF \
        -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
}
phase "fuzz: configure" configure_fuzz
phase "fuzz: build" cmake --build build-fuzz --parallel --target fuzz_apdu fuzz_profile fuzz_onshi_request
corpus=build-fuzz/corpus
rm -rf "$corpus"
mkdir -p "$corpus/apdu" "$corpus/profile" "$corpus/onshi_request"
cp card-profiles/*.yaml tests/data/bad-profiles/*.yaml "$corpus/profile/"
cp tests/fuzz/seeds/apdu/* "$corpus/apdu/"
cp tests/fuzz/seeds/onshi_request/* "$corpus/onshi_request/"
fuzz() {
    local target=$1 log=build-fuzz/fuzz_$1.log runs
    if ! build-fuzz/fuzz_$target -max_total_time="${MYNASIM_FUZZ_SECONDS:-60}" -print_final_stats=1 \
            -max_len=4096 -timeout=10 -artifact_prefix=build-fuzz/ "$corpus/$target" >"$log" 2>&1; then
        tail -50 "$log"
        echo "fuzz_$target FAILED (log: $log)"
        exit 1
    fi
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$')
    echo "fuzz_$target: $runs executions, no crash, leak or UB"
}
echo "== fuzzers (${MYNASIM_FUZZ_SECONDS:-60} s each)"
for target in apdu profile onshi_request; do
    phase "fuzz: run $target" fuzz "$target"
done
echo "all tests passed"
