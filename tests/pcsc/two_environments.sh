# Two environments at once with different profiles: each client sees only its own card.
source "$(dirname "$0")/lib.sh"
up a valid
up b person-2
client="$(dirname "$0")/pcsc_client.py"
expect_eq "$(in_env a /usr/bin/python3 "$client" serial)" "1001" "serial seen in environment a"
expect_eq "$(in_env b /usr/bin/python3 "$client" serial)" "1010" "serial seen in environment b"
# Locking b's PIN leaves a untouched.
for _ in 1 2 3; do in_env b pkcs11-tool --module "$P11" --slot-index 0 --login --pin 0000 -O >/dev/null 2>&1 || true; done
expect_eq "$(tries b auth)" 0 "b locked"
expect_eq "$(tries a auth)" 3 "a untouched"
# Removing a's card does not remove b's.
ctl a remove
in_env b opensc-tool -c default -a >/dev/null || fail "b lost its card when a's was removed"
in_env a opensc-tool -c default -a >/dev/null 2>&1 && fail "a still shows a card after removal"
echo "ok"
