# Repeated insert/remove (a known pain with virtual readers): after many cycles the reader still shows
# the card and a client can use it.
source "$(dirname "$0")/lib.sh"
cycles=${MYNASIM_CYCLES:-100}
up card valid
for ((i = 1; i <= cycles; i++)); do
    ctl card remove || fail "cycle $i: the card did not disappear"
    ctl card insert || fail "cycle $i: the card did not come back"
done
atr=$(in_env card opensc-tool -c default -a) || fail "no card after $cycles cycles"
expect_eq "$atr" "3b:e0:00:ff:81:31:fe:45:14" "ATR after $cycles cycles"
in_env card pkcs15-tool -c default -D | grep >/dev/null "JPKI" || fail "not usable after $cycles cycles"
echo "ok ($cycles cycles)"
