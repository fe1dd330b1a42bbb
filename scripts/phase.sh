# Phase timing for setup.sh and test.sh (sourced, not run). `phase NAME COMMAND...` runs COMMAND,
# then prints "== phase NAME: W s wall, C s CPU" (CPU: user+sys of every child process it waited for)
# and appends a row to the phase log, which `phase_summary` prints as a table. setup.sh starts a new
# log; test.sh appends to it, so the summary at the end of test.sh covers both.
phase_log=${MYNASIM_PHASE_LOG:-$PWD/build/phase-times.tsv}
phase_ticks=$(getconf CLK_TCK)

# Sets phase_cpu to user+sys of the waited-for children of this shell, in clock ticks (fields 16 and
# 17 of /proc/PID/stat; "(bash)" has no space). Not in a $(...): that would read the subshell's.
phase_children_cpu() {
    local stat
    read -r -a stat <"/proc/$BASHPID/stat"
    phase_cpu=$((stat[15] + stat[16]))
}

phase() {
    local name=$1
    shift
    echo "== phase $name: start ($(date +%T))"
    local wall0=$EPOCHREALTIME cpu0 wall cpu
    phase_children_cpu
    cpu0=$phase_cpu
    "$@"
    phase_children_cpu
    cpu=$(((phase_cpu - cpu0 + phase_ticks / 2) / phase_ticks))
    wall=$(awk -v a="$wall0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')
    echo "== phase $name: $wall s wall, $cpu s CPU"
    mkdir -p "$(dirname "$phase_log")"
    printf '%s\t%s\t%s\n' "$name" "$wall" "$cpu" >>"$phase_log"
}

phase_reset() {
    mkdir -p "$(dirname "$phase_log")"
    : >"$phase_log"
}

phase_summary() {
    [[ -s $phase_log ]] || return 0
    awk -F'\t' 'BEGIN { printf "\n%-28s %8s %8s\n", "phase", "wall s", "CPU s" }
        { printf "%-28s %8d %8d\n", $1, $2, $3; w += $2; c += $3 }
        END { printf "%-28s %8d %8d\n", "total", w, c }' "$phase_log"
}
