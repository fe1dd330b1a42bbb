#!/usr/bin/env bash
# Runs every test: unit and CLI tests (build/), the same again under AddressSanitizer + UBSan
# (build-asan/), then each libFuzzer target for a bounded time (build-fuzz/). Expects scripts/setup.sh
# to have run. MYNASIM_FUZZ_SECONDS bounds each fuzzer: 60 s by default, 30 s under CI=true (the CI's
# 20 minutes on 2 cores are CPU-bound throughout: every fuzzer second is a second of wall time).
#
# The tests spend most of their time waiting (pcscd polls its readers every 400 ms, servers and
# clients talk over sockets), so the next build runs beside them in the background, niced: the
# ASan+UBSan build beside the tests of build/, the fuzzers' build beside the ASan+UBSan tests. The
# fuzzers run two at a time, each on its own core. Each phase prints its wall and CPU time; a table of
# them (with setup.sh's) ends the output.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/phase.sh
trap phase_summary EXIT
jobs=$(nproc)
# Twice as many tests as cores: they mostly wait (insert_remove_cycles, 80 s, is 200 round trips to
# pcscd). ASan ctest from a fresh clone, same binaries: -j2 174 s wall, -j4 138 s, both 146 CPU-s.
test_jobs=$((2 * jobs))
if [[ "${CI:-}" == true ]]; then default_fuzz_seconds=30; else default_fuzz_seconds=60; fi
fuzz_seconds=${MYNASIM_FUZZ_SECONDS:-$default_fuzz_seconds}
fuzz_targets=(apdu profile onshi_request request_check)

configure_asan() {
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DMYNASIM_SANITIZE=ON -DMYNASIM_WERROR=ON >/dev/null
}
build_asan() {
    phase "asan: configure" configure_asan
    phase "asan: build" cmake --build build-asan --parallel
}
ctest_asan() {
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        ctest --test-dir build-asan --output-on-failure -j "$test_jobs"
}
configure_fuzz() {
    cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DMYNASIM_FUZZ=ON -DBUILD_TESTING=OFF \
        -DCMAKE_CXX_COMPILER=clang++-14 >/dev/null
}
build_fuzz() {
    phase "fuzz: configure" configure_fuzz
    phase "fuzz: build" cmake --build build-fuzz --parallel --target "${fuzz_targets[@]/#/fuzz_}"
}
# fuzz TARGET: runs fuzz_TARGET for $fuzz_seconds on its seed corpus; its log in build-fuzz/fuzz_TARGET.log.
fuzz() {
    local target=$1 log=build-fuzz/fuzz_$1.log corpus=build-fuzz/corpus/$1 runs
    rm -rf "$corpus"
    mkdir -p "$corpus"
    case $target in
        profile) cp card-profiles/*.yaml tests/data/bad-profiles/*.yaml "$corpus/" ;;
        request_check)
            cp tests/data/requests/*.xml "$corpus/"
            # the other kinds' examples, behind the byte that picks their kind (tests/fuzz/fuzz_request_check.cpp)
            local kind file
            for kind in 0:OQSmuquc01req 5:OQSmuquc02req 6:YZKsiquc01req 7:TKKsiquc01req 8:OQSsiimm01req; do
                for file in docs/examples/Req/"${kind#*:}"_*.xml; do
                    { printf "\\x0${kind%%:*}"; cat "$file"; } >"$corpus/kind${kind%%:*}-${file##*/}"
                done
            done ;;
        *) cp tests/fuzz/seeds/"$target"/* "$corpus/" ;;
    esac
    if ! build-fuzz/fuzz_$target -max_total_time="$fuzz_seconds" -print_final_stats=1 \
            -max_len=4096 -timeout=10 -artifact_prefix=build-fuzz/ "$corpus" >"$log" 2>&1; then
        tail -50 "$log"
        echo "fuzz_$target FAILED (log: $log)"
        return 1
    fi
    runs=$(grep -Eo 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -Eo '[0-9]+$')
    echo "fuzz_$target: $runs executions in $fuzz_seconds s, no crash, leak or UB"
}
fuzz_job() { phase "fuzz: run $1" fuzz "$1"; }

phase_background --nice asan-build build_asan
phase "test: ctest build" ctest --test-dir build --output-on-failure -j "$test_jobs"
phase_wait asan-build

phase_background --nice fuzz-build build_fuzz
phase "asan: ctest" ctest_asan
phase_wait fuzz-build

echo "== fuzzers ($fuzz_seconds s each, $jobs at a time)"
running=()
for target in "${fuzz_targets[@]}"; do
    if ((${#running[@]} >= jobs)); then
        phase_wait "${running[0]}"
        running=("${running[@]:1}")
    fi
    phase_background "fuzz-$target" fuzz_job "$target"
    running+=("fuzz-$target")
done
for job in "${running[@]}"; do phase_wait "$job"; done
echo "all tests passed"
