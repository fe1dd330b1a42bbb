#!/usr/bin/env bash
# The main job, for now: validate every card profile, then run the card side of 暗証番号入力による資格確認
# in-process against each profile (SELECT, PIN counter, certificate read, VERIFY, signature, checked
# with OpenSSL), printing every APDU and writing one JSON report per profile plus a summary.
# (The scenario harness with real pcscd and the mock server replaces this in later issues.)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${MYNASIM_OUT:-out/main-job}
rm -rf "$out"
mkdir -p "$out"
export MYNASIM_STATE_DIR="$out/state"
mynasim=build/mynasim

$mynasim profile check card-profiles/*.yaml

echo
$mynasim card session --profile card-profiles/valid.yaml --report "$out/valid.json"

summary="$out/summary.txt"
printf '%-28s %-10s %s\n' PROFILE RESULT DETAIL >"$summary"
status=0
for profile in card-profiles/*.yaml; do
    name=$(basename "$profile" .yaml)
    set +e
    $mynasim card session --profile "$profile" --report "$out/$name.json" >"$out/$name.txt" 2>&1
    code=$?
    set -e
    case $code in
        0) result=COMPLETED ;;
        1) result=STOPPED ;;
        *) result=ERROR; status=1 ;;
    esac
    detail=$(grep -E '^result:' "$out/$name.txt" | sed 's/^result: //; s/^COMPLETED$//; s/^STOPPED: //' || true)
    chain=$(grep -E 'chains to TEST JPKI auth CA: NO' "$out/$name.txt" >/dev/null && echo " (certificate does not chain to the TEST JPKI auth CA)" || true)
    printf '%-28s %-10s %s\n' "$name" "$result" "$detail$chain" >>"$summary"
done
# The valid card must complete; anything else is a broken build.
grep -Eq '^valid +COMPLETED' "$summary" || status=1
echo
cat "$summary"
echo
echo "main job: reports in $out/ (one JSON per profile, summary.txt)"
exit $status
