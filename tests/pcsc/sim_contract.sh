# The sim up / ctl / down contract as QA docs use it.
source "$(dirname "$0")/lib.sh"
up card valid
grep -q "^export PCSCLITE_CSOCK_NAME=" "$WORK/card/env" || fail "env has no PCSCLITE_CSOCK_NAME"
( . "$WORK/card/env"; pcsc_scan -r ) | grep >/dev/null "Virtual PCD 00 00" || fail "pcsc_scan -r does not list the reader"

ctl card status | grep >/dev/null "card valid (person TEST-0001) in reader 'Virtual PCD 00 00': inserted" || fail "status text"
ctl card status | grep >/dev/null "PIN tries left: auth=3 kenmen_hojo=3 sign=5" || fail "status tries"
in_env card opensc-tool -c default -s 00A4040C0AD392F000260100000001 -s 00200098 >/dev/null
ctl card trace | grep >/dev/null "00200098 → 63C3  VERIFY EF 0018 (auth PIN) by SFI (empty: ask tries left)" || fail "trace text"
ctl card trace --json | /usr/bin/python3 -c "
import json, sys
exchanges = json.load(sys.stdin)['exchanges']
assert any(e.get('command') == '00200098' and e['response'] == '63C3' for e in exchanges), exchanges" \
    || fail "trace JSON"

ctl card remove
ctl card status | grep >/dev/null ": removed" || fail "status after remove"
ctl card insert --profile "$PROFILES/person-2.yaml"
ctl card status | grep >/dev/null "card person-2 (person TEST-0002)" || fail "insert --profile did not swap the card"
ctl card reset

# Scenario controls: a PIN counter set directly; the card torn after N more answered APDUs.
ctl card set-tries --pin auth --tries 1 >/dev/null
expect_eq "$(tries card auth)" 1 "auth tries after set-tries"
out=$(ctl card set-tries --pin nope --tries 1 2>&1) && fail "set-tries accepted an unknown PIN"
grep -q "no PIN 'nope'" <<<"$out" || fail "set-tries message: $out"
ctl card tear-after 1 >/dev/null
in_env card opensc-tool -c default -s 00A4040C0AD392F000260100000001 -s 00A4020C020018 >/dev/null 2>&1 || true
ctl card trace --json | /usr/bin/python3 -c "
import json, sys
e = [x for x in json.load(sys.stdin)['exchanges'] if x.get('command')]
assert e[-1]['command'] == '00A4020C020018' and not e[-1].get('response'), e[-2:]" \
    || fail "the card was not torn after one more APDU"
ctl card insert >/dev/null
ctl card status | grep >/dev/null ": inserted" || fail "a torn card does not come back whole"

out=$(ctl card insert --profile "$SOURCE_DIR/tests/data/bad-profiles/bad-hex-atr.yaml" 2>&1) && fail "bad profile accepted"
grep -q "bad-hex-atr.yaml:3:6:" <<<"$out" || fail "bad profile error lacks file:line:col: $out"

# A second up in the same directory is refused; a bad profile never starts anything.
out=$("$MYNASIM" sim up --profile "$PROFILES/valid.yaml" --dir "$WORK/card" 2>&1) && fail "second up accepted"
grep -q "already up" <<<"$out" || fail "second up message: $out"
out=$("$MYNASIM" sim up --profile "$SOURCE_DIR/tests/data/bad-profiles/pin-too-long.yaml" --dir "$WORK/bad" 2>&1) \
    && fail "bad profile started"
grep -q "pin-too-long.yaml:4:13:" <<<"$out" || fail "bad profile message: $out"
[[ ! -e $WORK/bad/daemon.pid ]] || fail "a daemon was started for a bad profile"

# The card's vpcd port is not reachable from the machine's network namespace.
if (exec 3<>/dev/tcp/127.0.0.1/35963) 2>/dev/null; then fail "vpcd port reachable from outside"; fi

# down stops everything it started.
daemon=$(cut -d' ' -f1 "$WORK/card/daemon.pid")
pcscd=$(ctl card status --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['pcscd_pid'])")
"$MYNASIM" sim down --dir "$WORK/card" | grep >/dev/null "stopped" || fail "down"
sleep 0.2
for pid in $daemon $pcscd; do
    state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo gone)
    [[ $state == gone || $state == Z ]] || fail "process $pid still running after down ($state)"
done
"$MYNASIM" sim down --dir "$WORK/card" | grep >/dev/null "no environment was up" || fail "second down"
out=$(ctl card status 2>&1) && fail "status on a stopped environment succeeded"
grep -q "no environment is up in" <<<"$out" || fail "status on a stopped environment: $out"
echo "ok"
