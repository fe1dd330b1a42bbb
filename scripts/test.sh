#!/usr/bin/env bash
# Runs every test: unit and CLI tests (build/), the same again under AddressSanitizer + UBSan
# (build-asan/), then each libFuzzer target for a bounded time (build-fuzz/). Expects scripts/setup.sh
# to have run. MYNASIM_FUZZ_SECONDS (default 60) bounds each fuzzer.
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)

echo "== unit + CLI tests"
ctest --test-dir build --output-on-failure -j "$jobs"

echo "== unit + CLI tests under ASan + UBSan"
cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMYNASIM_SANITIZE=ON -DMYNASIM_WERROR=ON >/dev/null
cmake --build build-asan --parallel
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir build-asan --output-on-failure -j "$jobs"

echo "== fuzzers (${MYNASIM_FUZZ_SECONDS:-60} s each)"
cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMYNASIM_FUZZ=ON -DBUILD_TESTING=OFF \
    -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
cmake --build build-fuzz --parallel --target fuzz_apdu fuzz_profile fuzz_onshi_request
corpus=build-fuzz/corpus
rm -rf "$corpus"
mkdir -p "$corpus/apdu" "$corpus/profile" "$corpus/onshi_request"
cp card-profiles/*.yaml tests/data/bad-profiles/*.yaml "$corpus/profile/"
cp tests/fuzz/seeds/apdu/* "$corpus/apdu/"
cp tests/fuzz/seeds/onshi_request/* "$corpus/onshi_request/"
for target in apdu profile onshi_request; do
    log=build-fuzz/fuzz_$target.log
    if ! build-fuzz/fuzz_$target -max_total_time="${MYNASIM_FUZZ_SECONDS:-60}" -print_final_stats=1 \
            -max_len=4096 -timeout=10 -artifact_prefix=build-fuzz/ "$corpus/$target" >"$log" 2>&1; then
        tail -50 "$log"
        echo "fuzz_$target FAILED (log: $log)"
        exit 1
    fi
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$')
    echo "fuzz_$target: $runs executions, no crash, leak or UB"
done
echo "all tests passed"
