# Phase timing for setup.sh and test.sh (sourced, not run).
#   phase NAME COMMAND...       runs COMMAND (in a subshell), then prints "== phase NAME: W s wall, C s CPU"
#                               (CPU: user+sys of every process it waited for) and logs a row;
#   phase_background [--nice] JOB COMMAND...
#                               runs COMMAND (a function that calls phase for its steps) in the
#                               background (--nice: at a lower CPU priority), its output in build/JOB.log;
#   phase_wait JOB              waits for it, prints its output, and fails if it failed;
#   phase_summary               prints the logged rows as a table (test.sh does it on exit).
# setup.sh starts a new log; test.sh appends to it, so the summary at the end of test.sh covers both.
phase_log=${MYNASIM_PHASE_LOG:-$PWD/build/phase-times.tsv}
phase_ticks=$(getconf CLK_TCK)
phase_name=""
declare -A phase_jobs=()

phase() {
    phase_name=$1
    shift
    echo "== phase $phase_name: start ($(date +%T))"
    phase_wall0=$EPOCHREALTIME
    phase_cpu_file=$(mktemp)
    # The subshell counts only what this phase runs (user+sys of waited-for children, fields 14-17 of
    # /proc/PID/stat; "(bash)" has no space), not a background job the shell reaps meanwhile.
    (
        trap 'read -r -a stat <"/proc/$BASHPID/stat"; echo $((stat[13] + stat[14] + stat[15] + stat[16])) >"$phase_cpu_file"' EXIT
        "$@"
    )
    phase_end ""
}

# Prints and logs the phase that is running: when it ends, or, from phase_summary, when a failure ended
# the script inside it (then the row says so).
phase_end() {
    local wall cpu ticks
    [[ -n $phase_name ]] || return 0
    ticks=$(cat "$phase_cpu_file" 2>/dev/null || true)
    rm -f "$phase_cpu_file"
    cpu=?
    [[ -z $ticks ]] || cpu=$(((ticks + phase_ticks / 2) / phase_ticks))
    wall=$(awk -v a="$phase_wall0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
    echo "== phase $phase_name$1: $wall s wall, $cpu s CPU"
    mkdir -p "$(dirname "$phase_log")"
    printf '%s\t%s\t%s\t%s\t%s\n' "$phase_name$1" "$wall" "$cpu" "${phase_wall0%.*}" "${EPOCHREALTIME%.*}" >>"$phase_log"
    phase_name=""
}

phase_background() {
    local nice=0 job log
    [[ $1 != --nice ]] || { nice=10; shift; }
    job=$1
    shift
    log=$(dirname "$phase_log")/$job.log
    echo "== $job: in the background$( ((nice)) && echo ", niced"); its output, in $log, is shown when it ends"
    set -m  # its own process group, so that an early exit can stop all of it
    (
        ((nice == 0)) || renice -n "$nice" -p "$BASHPID" >/dev/null
        "$@"
    ) >"$log" 2>&1 &
    set +m
    phase_jobs[$job]=$!
}

phase_wait() {
    local job=$1 status=0 log
    log=$(dirname "$phase_log")/$job.log
    wait "${phase_jobs[$job]}" || status=$?
    unset "phase_jobs[$job]"
    echo "== $job (ran in the background):"
    cat "$log"
    if ((status)); then
        echo "$job FAILED (exit $status)"
        return "$status"
    fi
}

# Stops the background jobs still running (on an early exit).
phase_stop_background() {
    local job
    for job in "${!phase_jobs[@]}"; do
        kill -TERM -- "-${phase_jobs[$job]}" 2>/dev/null || true
    done
}

phase_reset() {
    mkdir -p "$(dirname "$phase_log")"
    : >"$phase_log"
}

phase_summary() {
    phase_end " (FAILED)"
    phase_stop_background
    [[ -s $phase_log ]] || return 0
    sort -t$'\t' -k4,4n -s "$phase_log" | awk -F'\t' '
        NR == 1 { t0 = $4 }
        { if ($5 > t1) t1 = $5 }
        { printf "%s%-32s %6d %6d %6s\n", (NR == 1 ? sprintf("\n%-32s %6s %6s %6s\n", "phase", "from s", "wall s", "CPU s") : ""), $1, $4 - t0, $2, $3; c += $3 }
        END { printf "%-32s %6s %6d %6d   (wall: first start to last end; phases may overlap)\n", "total", "", t1 - t0, c }'
}
