#!/usr/bin/env bash
# The main job, for now: validate every card profile, run the card side of 暗証番号入力による資格確認
# in-process against each profile (SELECT, PIN counter, certificate read, VERIFY, signature, checked
# with OpenSSL), printing every APDU and writing one JSON report per profile plus a summary; then do the
# same signature through real pcscd + vpcd + OpenSC.
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

# The same card through the real PC/SC path: private pcscd + vpcd, OpenSC's PKCS#11 module signs,
# openssl verifies against the certificate read through pkcs15-tool.
echo
echo "== through real pcscd + vpcd + OpenSC"
env_dir="$out/pcsc-env"
$mynasim sim up --profile card-profiles/valid.yaml --dir "$env_dir"
trap '$mynasim sim down --dir "$env_dir" >/dev/null 2>&1 || true' EXIT
p11=$(find /usr/lib -name opensc-pkcs11.so -print -quit)
echo "TEST server challenge $(date +%s)" >"$out/challenge.txt"
(
    . "$env_dir/env"
    opensc-tool -c default -a
    pkcs15-tool -c default --read-certificate 01 -o "$out/auth-from-pcsc.pem" >/dev/null
    pkcs11-tool --module "$p11" --slot-index 0 --login --pin 1234 --sign --id 01 -m SHA256-RSA-PKCS \
        -i "$out/challenge.txt" -o "$out/challenge.sig" >"$out/pkcs11-tool.log" 2>&1
)
openssl x509 -in "$out/auth-from-pcsc.pem" -pubkey -noout >"$out/auth-from-pcsc.pub"
if openssl dgst -sha256 -verify "$out/auth-from-pcsc.pub" -signature "$out/challenge.sig" "$out/challenge.txt"; then
    echo "PC/SC: signature by the card verifies with the certificate read through PC/SC" >>"$summary"
else
    echo "PC/SC: signature does NOT verify" >>"$summary"
    status=1
fi
$mynasim sim ctl --dir "$env_dir" trace --max 12 >"$out/pcsc-trace.txt"
$mynasim sim ctl --dir "$env_dir" status
$mynasim sim down --dir "$env_dir"
trap - EXIT
echo
cat "$summary"
echo
echo "main job: reports in $out/ (one JSON per profile, summary.txt)"
exit $status
