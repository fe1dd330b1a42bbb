# opensc-tool shows the profile's ATR; pkcs15-tool identifies a JPKI card.
source "$(dirname "$0")/lib.sh"
up card valid
atr=$(in_env card opensc-tool -c default -a)
expect_eq "$atr" "3b:e0:00:ff:81:31:fe:45:14" "ATR of the valid profile"
in_env card pkcs15-tool -c default -D | grep >/dev/null "PKCS#15 Card \[JPKI\]" || fail "pkcs15-tool does not see a JPKI card"

up other other-atr
atr=$(in_env other opensc-tool -c default -a)
expect_eq "$atr" "3b:8c:80:01:4d:59:4e:41:53:49:4d:20:54:45:53:54:77" "ATR of the other-atr profile"
# With another ATR, OpenSC's jpki driver still finds the card by SELECTing the JPKI AP.
in_env other pkcs15-tool -c default -D | grep >/dev/null "PKCS#15 Card \[JPKI\]" || fail "JPKI not found behind another ATR"

up none non-jpki-card
if in_env none pkcs15-tool -c default -D 2>/dev/null | grep >/dev/null "JPKI"; then fail "a non-JPKI card was taken for JPKI"; fi
echo "ok"
