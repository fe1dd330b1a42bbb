# pcscd dying is survived: the environment restarts it and the card reconnects to the new vpcd.
source "$(dirname "$0")/lib.sh"
up card valid
status_json() { ctl card status --json; }
pid_of_pcscd() { status_json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['pcscd_pid'])"; }
old=$(pid_of_pcscd)
kill -KILL "$old"   # a process this test's environment started
for _ in $(seq 1 100); do
    new=$(pid_of_pcscd)
    [[ $new != "$old" ]] && status_json | grep >/dev/null '"connected": true' && break
    sleep 0.1
done
[[ $new != "$old" ]] || fail "pcscd was not restarted"
for _ in $(seq 1 50); do
    atr=$(in_env card opensc-tool -c default -a 2>/dev/null) && break
    sleep 0.2
done
expect_eq "${atr:-}" "3b:e0:00:ff:81:31:fe:45:14" "ATR after the pcscd restart"
grep >/dev/null "pcscd restarted" "$WORK/card/daemon.log" || fail "the daemon log does not tell of the restart"
echo "ok (pcscd $old -> $new)"
