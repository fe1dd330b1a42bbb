# A python3-pyscard client doing SELECT / READ / VERIFY / sign works the same as OpenSC.
source "$(dirname "$0")/lib.sh"
"$MYNASIM" pki emit --out "$WORK/pki" "$PROFILES/valid.yaml" "$PROFILES/person-2.yaml" >/dev/null
up card valid
in_env card /usr/bin/python3 "$(dirname "$0")/pcsc_client.py" session 1234 "$WORK/pki/cards/valid/auth.der"
expect_eq "$(tries card auth)" 3 "auth tries after the session"
echo "ok"
