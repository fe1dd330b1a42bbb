#!/usr/bin/env bash
# expect.sh EXIT_CODE REGEX [--absent REGEX] -- COMMAND...
# Runs COMMAND, and fails unless it exits with EXIT_CODE and its stdout+stderr match REGEX (grep -E)
# and, with --absent, do not match the second REGEX (the output is matched as one text, so .* spans
# lines). Prints the output when it fails.
set -u
want_exit=$1; pattern=$2; shift 2
absent=""
if [[ ${1:-} == --absent ]]; then absent=$2; shift 2; fi
[[ ${1:-} == -- ]] && shift
output=$("$@" 2>&1); got_exit=$?
fail=0
if [[ $got_exit != "$want_exit" ]]; then echo "exit code $got_exit, expected $want_exit"; fail=1; fi
if ! grep -Ezq -- "$pattern" <<<"$output"; then echo "output does not match: $pattern"; fail=1; fi
if [[ -n $absent ]] && grep -Ezq -- "$absent" <<<"$output"; then echo "output matches what must be absent: $absent"; fail=1; fi
if [[ $fail != 0 ]]; then printf '%s\n' "--- command: $*" "--- output:" "$output"; exit 1; fi
exit 0
