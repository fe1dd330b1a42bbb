# pkcs11-tool logs in with the auth PIN and signs with the auth key; openssl verifies the signature.
source "$(dirname "$0")/lib.sh"
up card valid
echo "TEST challenge $(date +%s%N)" >"$WORK/data"
in_env card pkcs11-tool --module "$P11" --slot-index 0 --login --pin 1234 --sign --id 01 -m SHA256-RSA-PKCS \
    -i "$WORK/data" -o "$WORK/sig" >/dev/null 2>&1 || fail "pkcs11-tool could not sign"
in_env card pkcs15-tool -c default --read-certificate 01 -o "$WORK/auth.pem" >/dev/null
openssl x509 -in "$WORK/auth.pem" -pubkey -noout >"$WORK/auth.pub"
openssl dgst -sha256 -verify "$WORK/auth.pub" -signature "$WORK/sig" "$WORK/data" | grep >/dev/null "Verified OK" \
    || fail "signature does not verify"
expect_eq "$(tries card auth)" 3 "auth tries after a good login"
ctl card trace --max 200 | grep >/dev/null "COMPUTE DIGITAL SIGNATURE" || fail "the trace shows no signature"
echo "ok"
