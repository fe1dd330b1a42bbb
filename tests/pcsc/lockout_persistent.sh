# Three wrong PINs lock the auth PIN; then the right PIN is refused; a persistent profile stays locked
# across a fresh sim up.
source "$(dirname "$0")/lib.sh"
up card valid-persistent
for expected in 2 1 0; do
    if in_env card pkcs11-tool --module "$P11" --slot-index 0 --login --pin 0000 --list-objects >/dev/null 2>&1; then
        fail "a wrong PIN was accepted"
    fi
    expect_eq "$(tries card auth)" "$expected" "auth tries after a wrong PIN"
done
out=$(in_env card pkcs11-tool --module "$P11" --slot-index 0 --login --pin 1234 --list-objects 2>&1) \
    && fail "the right PIN was accepted on a locked card"
grep -q "CKR_PIN_LOCKED" <<<"$out" || fail "expected CKR_PIN_LOCKED, got: $out"
ctl card trace --max 500 | grep >/dev/null "6983" || fail "the card never answered 69 83"

"$MYNASIM" sim down --dir "$WORK/card" >/dev/null
up card valid-persistent
expect_eq "$(tries card auth)" 0 "auth tries after a restart"
out=$(in_env card pkcs11-tool --module "$P11" --slot-index 0 --login --pin 1234 --list-objects 2>&1) \
    && fail "the right PIN was accepted after a restart"
grep -q "CKR_PIN_LOCKED" <<<"$out" || fail "expected CKR_PIN_LOCKED after a restart, got: $out"

# The same lockout on a profile that does not persist is gone after a restart.
up plain valid
for _ in 1 2 3; do in_env plain pkcs11-tool --module "$P11" --slot-index 0 --login --pin 0000 -O >/dev/null 2>&1 || true; done
expect_eq "$(tries plain auth)" 0 "auth tries of the non-persistent card"
"$MYNASIM" sim down --dir "$WORK/plain" >/dev/null
up plain valid
expect_eq "$(tries plain auth)" 3 "auth tries of the non-persistent card after a restart"
echo "ok"
