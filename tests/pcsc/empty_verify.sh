# OpenSC's empty VERIFY on every bind never changes a counter.
source "$(dirname "$0")/lib.sh"
up card pin-tries-left-2
for _ in 1 2 3 4 5; do
    in_env card pkcs15-tool -c default -D >/dev/null
    in_env card pkcs11-tool --module "$P11" -L >/dev/null
done
expect_eq "$(tries card auth)" 2 "auth tries after 10 binds"
expect_eq "$(tries card sign)" 5 "sign tries after 10 binds"
n=$(ctl card trace --max 2000 | grep -c "(empty: ask tries left)")
(( n >= 10 )) || fail "expected OpenSC to send empty VERIFYs, saw $n"
echo "ok ($n empty VERIFYs)"
