#!/usr/bin/env bash
# The main job: the default scenario matrix (scenarios/) against the reference client, every case through
# a real private pcscd + vpcd + the emulated card and a mock server of its own; reports in out/report/
# (index.html, report.json, junit.xml, manifest.json + manifest.sig).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${MYNASIM_OUT:-out/report}
jobs=${MYNASIM_JOBS:-2}
mynasim=build/mynasim

$mynasim profile check card-profiles/*.yaml >/dev/null
echo "card profiles: all valid"
status=0
$mynasim run -j "$jobs" --out "$out" || status=$?
echo
echo "main job: open $out/index.html (report.json, junit.xml, signed manifest.json beside it)"
exit $status
