# pkcs15-tool reads the auth certificate and its CA byte-identical to the profile's certificates.
source "$(dirname "$0")/lib.sh"
"$MYNASIM" pki emit --out "$WORK/pki" "$PROFILES/valid.yaml" >/dev/null
up card valid
in_env card pkcs15-tool -c default --read-certificate 01 -o "$WORK/auth.pem" >/dev/null
in_env card pkcs15-tool -c default --read-certificate 03 -o "$WORK/auth-ca.pem" >/dev/null
openssl x509 -in "$WORK/auth.pem" -outform DER -out "$WORK/auth.der"
openssl x509 -in "$WORK/auth-ca.pem" -outform DER -out "$WORK/auth-ca.der"
cmp "$WORK/auth.der" "$WORK/pki/cards/valid/auth.der" || fail "auth certificate differs from the profile's"
openssl x509 -in "$WORK/pki/ca/jpki-auth-ca.pem" -outform DER -out "$WORK/expected-ca.der"
cmp "$WORK/auth-ca.der" "$WORK/expected-ca.der" || fail "auth CA certificate differs"
openssl verify -CAfile "$WORK/pki/ca/jpki-auth-ca.pem" "$WORK/auth.pem" >/dev/null || fail "read certificate does not verify"
echo "ok"
