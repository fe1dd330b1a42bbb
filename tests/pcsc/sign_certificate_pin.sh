# The sign certificate can be read only after the sign PIN, through real PC/SC (opensc-tool -s).
source "$(dirname "$0")/lib.sh"
up card valid
out=$(in_env card opensc-tool -c default -s 00A4040C0AD392F000260100000001 -s 00B0810004 \
      -s 0020009B085445535431323334 -s 00B0810004 2>&1)
sws=$(grep -Eo 'SW1=0x[0-9a-f]{2}, SW2=0x[0-9a-f]{2}' <<<"$out" | tr '\n' ' ')
expect_eq "$sws" "SW1=0x90, SW2=0x00 SW1=0x69, SW2=0x82 SW1=0x90, SW2=0x00 SW1=0x90, SW2=0x00 " "status words"
echo "ok"
