# Shared by the PC/SC integration tests (real pcscd + vpcd + OpenSC). Sourced; expects MYNASIM and
# SOURCE_DIR in the environment (set by CTest). Every environment a test brings up is taken down on exit.
set -euo pipefail
PROFILES="$SOURCE_DIR/card-profiles"
WORK=$(mktemp -d "${TMPDIR:-/tmp}/mynasim-pcsc-test.XXXXXX")
export MYNASIM_STATE_DIR="$WORK/state"
P11=/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so
[[ -e $P11 ]] || P11=$(find /usr/lib -name opensc-pkcs11.so -print -quit)
ENVS=()

cleanup() {
    local code=$?
    for dir in "${ENVS[@]}"; do "$MYNASIM" sim down --dir "$dir" >/dev/null 2>&1 || true; done
    if [[ $code != 0 ]]; then
        for dir in "${ENVS[@]}"; do
            echo "--- $dir/daemon.log"; tail -20 "$dir/daemon.log" 2>/dev/null || true
            echo "--- $dir/pcscd.log"; tail -20 "$dir/pcscd.log" 2>/dev/null || true
        done
    fi
    rm -rf "$WORK"
    exit $code
}
trap cleanup EXIT

fail() { echo "FAIL: $*" >&2; exit 1; }

# up NAME PROFILE [sim up options…]: brings an environment up in $WORK/NAME
up() {
    local name=$1 profile=$2; shift 2
    ENVS+=("$WORK/$name")
    "$MYNASIM" sim up --profile "$PROFILES/$profile.yaml" --dir "$WORK/$name" "$@" >/dev/null
}

# in_env NAME COMMAND…: runs a PC/SC client against that environment only
in_env() {
    local name=$1; shift
    ( . "$WORK/$name/env"; "$@" )
}

ctl() { local name=$1; shift; "$MYNASIM" sim ctl --dir "$WORK/$name" "$@"; }

# tries NAME PIN: tries left of a PIN, from the environment's status
tries() { ctl "$1" status --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['tries_left']['$2'])"; }

expect_eq() { [[ "$1" == "$2" ]] || fail "$3: got '$1', expected '$2'"; }
