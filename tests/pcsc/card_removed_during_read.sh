# A card pulled out in the middle of reads: the client gets a removed-card error, the environment and
# pcscd keep running, and after re-insertion the client reads again.
source "$(dirname "$0")/lib.sh"
up card valid
pcscd_pid=$(ctl card status --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['pcscd_pid'])")
in_env card /usr/bin/python3 "$(dirname "$0")/pcsc_client.py" read-until-removed >"$WORK/client.log" 2>&1 &
client=$!
sleep 1.5
ctl card remove
sleep 0.5
ctl card insert
wait $client || { cat "$WORK/client.log"; fail "the client did not recover"; }
cat "$WORK/client.log"
grep -q "read again after re-insert: ok" "$WORK/client.log" || fail "no read after re-insert"
ctl card status | grep >/dev/null "inserted" || fail "environment not answering"
kill -0 "$(ctl card status --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['pcscd_pid'])")" \
    || fail "pcscd is gone"
expect_eq "$(ctl card status --json | /usr/bin/python3 -c "import json,sys; print(json.load(sys.stdin)['pcscd_pid'])")" \
    "$pcscd_pid" "pcscd pid (it must not have restarted)"
echo "ok"
