#!/usr/bin/env bash
# `mynasim run` end to end: list, shards, a passing selection of the built-in matrix with its reports,
# deliberately failing expectations (expected vs actual, exit 1), and broken scenarios (file:line:col, exit 2).
set -uo pipefail
: "${MYNASIM:?}" "${SOURCE_DIR:?}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
failures=0
check() { if eval "$1"; then echo "ok: $2"; else echo "FAIL: $2"; failures=$((failures + 1)); fi; }

# --list and shards: the shards of a selection are disjoint and together the whole selection
"$MYNASIM" run --list >"$work/all.txt"
check "grep -q '^pin-confirm\[card=valid\]' '$work/all.txt'" "--list names the cases"
check "grep -Eq '^[0-9]+ cases from [0-9]+ scenarios$' '$work/all.txt'" "--list counts"
head -n -1 "$work/all.txt" | cut -d' ' -f1 | sort >"$work/ids.txt"
: >"$work/shards.txt"
for k in 1 2 3; do "$MYNASIM" run --list --shard "$k/3" | head -n -1 | cut -d' ' -f1 >>"$work/shards.txt"; done
sort "$work/shards.txt" -o "$work/shards.txt"
check "cmp -s '$work/ids.txt' '$work/shards.txt'" "shards 1/3..3/3 together are the whole matrix, each case once"
"$MYNASIM" run --list --shard 4/3 >/dev/null 2>&1; code=$?
check "[ $code -eq 2 ]" "--shard 4/3 is a usage error"

# a real run of a selection, two workers
"$MYNASIM" run -j 2 --tag smoke --out "$work/smoke" >"$work/smoke.log" 2>&1; code=$?
check "[ $code -eq 0 ]" "smoke selection passes (exit $code)"
check "/usr/bin/python3 - '$work/smoke/report.json' <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
t = r['totals']
assert t['cases'] >= 6 and t['pass'] == t['cases'], t
assert r['client']['name'] == 'reference' and r['suite_version']
assert all(i['sha256'] and len(i['sha256']) == 64 for i in r['inputs'])
assert any(i['kind'] == 'profile' for i in r['inputs'])
c = [c for c in r['cases'] if c['id'] == 'pin-confirm[card=valid]'][0]
assert 'ONSHI-PIN-01' in c['requirements'] and c['verdict'] == 'pass'
assert any('VERIFY' in a['command_text'] for a in c['evidence']['apdus'])
assert any(j['call'] == '/v2/confirmations' for j in c['evidence']['journal'])
PY" "report.json has totals, run identity, requirements and evidence"
check "/usr/bin/python3 -c \"import xml.etree.ElementTree as E; s=E.parse('$work/smoke/junit.xml').getroot().find('testsuite'); assert int(s.get('tests'))>=6 and s.get('failures')=='0', s.attrib\"" "junit.xml is well-formed with one testcase per case"

# deliberately wrong expectations: exit 1, expected vs actual in the output and the reports
"$MYNASIM" run "$SOURCE_DIR/tests/data/failing-scenarios" --requirements "$SOURCE_DIR/scenarios/requirements.txt" \
    --out "$work/failing" >"$work/failing.log" 2>&1; code=$?
check "[ $code -eq 1 ]" "a failing case makes the run exit 1 (exit $code)"
check "grep -q 'exit: expected wrong_pin, actual ok' '$work/failing.log'" "the output says expected vs actual"
check "/usr/bin/python3 - '$work/failing/report.json' <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
by_id = {c['id']: c for c in r['cases']}
assert by_id['control']['verdict'] == 'pass'
bad = by_id['deliberately-wrong']
assert bad['verdict'] == 'fail'
kinds = {f['expectation']: f for f in bad['failures']}
assert kinds['json.Name']['expected'] == 'テスト 花子' and kinds['json.Name']['actual'] == 'テスト 太郎', kinds
assert 'apdu.not_contains' in kinds and 'journal.not_called' in kinds, kinds
assert 'apdu.order' in kinds and kinds['apdu.order']['expected'] == 'COMPUTE DIGITAL SIGNATURE → READ BINARY EF 000A', kinds
assert kinds['exit']['where'].endswith('wrong-expectations.yaml:11:7'), kinds['exit']
PY" "report.json keeps every failed expectation with expected, actual and file:line:col"
check "grep -q '<failure message=\"step 1 exit: expected wrong_pin' '$work/failing/junit.xml'" "junit.xml carries the failure"

# waivers: the failing case shows as waived with its reason, the run passes, an unused waiver is named
"$MYNASIM" run "$SOURCE_DIR/tests/data/failing-scenarios" --requirements "$SOURCE_DIR/scenarios/requirements.txt" \
    --waivers "$SOURCE_DIR/tests/data/failing-scenarios/waivers.yaml.txt" --out "$work/waived" >"$work/waived.log" 2>&1; code=$?
check "[ $code -eq 0 ]" "a waived failure lets the run pass (exit $code)"
check "grep -q 'waived: TEST waiver' '$work/waived.log' && grep -q 'waiver no-such-case-\\* .*matched no failed case' '$work/waived.log'" "waived and unused waivers are shown"
check "/usr/bin/python3 -c \"import json; r=json.load(open('$work/waived/report.json')); c=[c for c in r['cases'] if c['id']=='deliberately-wrong'][0]; assert c['verdict']=='waived' and 'TEST waiver' in c['waiver'] and c['failures'] and r['totals']['waived']==1\"" "report.json keeps the waived case's reason and failures"
printf 'waivers: 1\nentries:\n  - id: x\n' >"$work/bad-waivers.yaml"
"$MYNASIM" run "$SOURCE_DIR/tests/data/failing-scenarios" --requirements "$SOURCE_DIR/scenarios/requirements.txt" \
    --waivers "$work/bad-waivers.yaml" --out "$work/w2" >"$work/w2.log" 2>&1; code=$?
check "[ $code -eq 2 ] && grep -q 'bad-waivers.yaml:3:5: a waiver needs .reason.' '$work/w2.log'" "a waiver without a reason is refused with file:line:col"

# the signed manifest: verify passes, any edited byte fails it, a given signer key is checked
"$MYNASIM" report verify "$work/smoke" >"$work/verify.log"; code=$?
check "[ $code -eq 0 ]" "verify accepts an untouched report"
cp -r "$work/smoke" "$work/tampered"
sed -i '0,/"pass"/s//"fail"/' "$work/tampered/report.json"
"$MYNASIM" report verify "$work/tampered" >"$work/verify2.log"; code=$?
check "[ $code -eq 1 ] && grep -q 'report.json: edited' '$work/verify2.log'" "verify fails on an edited report.json"
cp -r "$work/smoke" "$work/extra" && echo x >"$work/extra/notes.txt"
"$MYNASIM" report verify "$work/extra" >/dev/null; code=$?
check "[ $code -eq 1 ]" "verify fails on a file that is not in the manifest"
openssl genpkey -algorithm ed25519 -out "$work/sign.pem" 2>/dev/null
openssl pkey -in "$work/sign.pem" -pubout -out "$work/sign.pub.pem"
"$MYNASIM" run --id 'pin-confirm\[card=valid\]' --sign-key "$work/sign.pem" --out "$work/signed" >/dev/null 2>&1
"$MYNASIM" report verify "$work/signed" --key "$work/sign.pub.pem" >/dev/null; code=$?
check "[ $code -eq 0 ]" "verify --key accepts the report signed with that key"
"$MYNASIM" report verify "$work/smoke" --key "$work/sign.pub.pem" >/dev/null; code=$?
check "[ $code -eq 1 ]" "verify --key refuses a report signed by another key"

# shards merged equal the unsharded run
"$MYNASIM" run -j 2 --tag pin --shard 1/2 --out "$work/shard1" >/dev/null 2>&1
"$MYNASIM" run -j 2 --tag pin --shard 2/2 --out "$work/shard2" >/dev/null 2>&1
"$MYNASIM" run -j 2 --tag pin --out "$work/whole" >/dev/null 2>&1
"$MYNASIM" report merge "$work/shard1" "$work/shard2" --out "$work/merged" >/dev/null 2>&1; code=$?
check "[ $code -eq 0 ]" "merge of two shards"
check "/usr/bin/python3 - '$work/whole/report.json' '$work/merged/report.json' <<'PY'
import json, sys
a, b = (json.load(open(p)) for p in sys.argv[1:3])
assert [(c['id'], c['verdict'], c['requirements']) for c in a['cases']] == [(c['id'], c['verdict'], c['requirements']) for c in b['cases']]
assert a['totals'] == b['totals'] and a['totals']['cases'] >= 6
assert sorted(map(json.dumps, a['inputs'])) == sorted(map(json.dumps, b['inputs']))
PY" "the merged report equals the unsharded run (cases, order, verdicts, totals, inputs)"
"$MYNASIM" report verify "$work/merged" >/dev/null; code=$?
check "[ $code -eq 0 ]" "the merged report is signed"
"$MYNASIM" report merge "$work/shard1" "$work/shard1" --out "$work/dup" >/dev/null 2>&1; code=$?
check "[ $code -eq 1 ]" "merging a shard twice is refused"

# clients described in YAML: the reference client through the generic adapter passes; a deliberately
# broken client (VERIFY in PIN無し mode) fails exactly the cases that forbid it, with expected vs actual
"$MYNASIM" run --tag pinless --client "$SOURCE_DIR/tests/data/clients/reference-as-generic.yaml" --out "$work/generic" >"$work/generic.log" 2>&1; code=$?
check "[ $code -eq 0 ] && grep -q 'against the reference-via-yaml client' '$work/generic.log'" "the generic adapter drives a client from its YAML (exit $code)"
"$MYNASIM" run --tag pinless --client "$SOURCE_DIR/tests/data/clients/verify-in-pinless.yaml" --out "$work/broken" >"$work/broken.log" 2>&1; code=$?
check "[ $code -eq 1 ]" "the broken client fails the run (exit $code)"
check "/usr/bin/python3 - '$work/broken/report.json' <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
failed = sorted(c['id'] for c in r['cases'] if c['verdict'] == 'fail')
assert failed == ['face-auth-card[face=matched]', 'face-auth-card[face=visual]', 'pinless-confirm[face=matched]', 'pinless-confirm[face=visual]', 'pinless-locked-pin', 'pinless-without-face'], failed
c = [c for c in r['cases'] if c['id'] == 'pinless-confirm[face=matched]'][0]
f = c['failures'][0]
assert f['expectation'] == 'apdu.not_contains' and f['expected'] == 'no hex:0020' and 'VERIFY EF 0018 (auth PIN) with 4-char PIN' in f['actual'], f
assert r['client']['name'] == 'broken-verify-in-pinless'
PY" "exactly the PIN無し cases fail, saying which VERIFY was sent"
# several clients in one run: every case once per client, ids say which, and only the broken one fails
"$MYNASIM" run -j 2 --tag pinless --client reference --client "$SOURCE_DIR/tests/data/clients/verify-in-pinless.yaml" \
    --out "$work/two-clients" >"$work/two-clients.log" 2>&1; code=$?
check "[ $code -eq 1 ] && /usr/bin/python3 -c \"import json; r=json.load(open('$work/two-clients/report.json')); c=r['cases']; assert len(c)==12 and all(x['verdict']=='pass' for x in c if x['id'].endswith('@reference')) and all(x['verdict']=='fail' for x in c if x['id'].endswith('@broken-verify-in-pinless')) and {x['client'] for x in c}=={'reference','broken-verify-in-pinless'}, [(x['id'],x['verdict']) for x in c]\"" "--client twice: cases × clients, only the broken client's cases fail"
printf 'adapter: 1\nname: x\ncommand: []\n' >"$work/bad-adapter.yaml"
"$MYNASIM" run --tag pinless --client "$work/bad-adapter.yaml" --out "$work/ba" >"$work/ba.log" 2>&1; code=$?
check "[ $code -eq 2 ] && grep -q 'bad-adapter.yaml:3:10: the command line is empty' '$work/ba.log'" "a broken adapter file is refused with file:line:col"

# every report written above matches the JSON Schema in the repo
check "/usr/bin/python3 - '$SOURCE_DIR/reports/report.schema.json' '$work'/{smoke,failing,waived,merged,broken}/report.json <<'PY' >/dev/null
import json, sys, jsonschema
schema = json.load(open(sys.argv[1]))
jsonschema.Draft202012Validator.check_schema(schema)
for path in sys.argv[2:]:
    jsonschema.validate(json.load(open(path)), schema, cls=jsonschema.Draft202012Validator)
PY" "report.json of every run (passing, failing, waived, merged, broken client) matches reports/report.schema.json"

# a client that hangs is killed at --step-timeout, its case is an error, and the run goes on
printf 'adapter: 1\nname: hangs\ncommand: ["sleep", "600"]\n' >"$work/hang.yaml"
start=$(date +%s)
"$MYNASIM" run --id 'pin-confirm*' --client "$work/hang.yaml" --step-timeout 1000 --out "$work/hang" >"$work/hang.log" 2>&1; code=$?
elapsed=$(( $(date +%s) - start ))
check "[ $code -eq 1 ] && [ $elapsed -lt 60 ]" "a hanging client ends the run with exit 1 within bounds (${elapsed} s)"
check "[ \$(grep -c '^error ' '$work/hang.log') -eq 3 ] && grep -q 'did not finish within 1000 ms and was killed' '$work/hang.log'" "each case is an error saying the step was killed, and every case ran"
check "! pgrep -f 'sleep 600' >/dev/null" "no hung client is left running"

# broken scenarios: exit 2 with file:line:col, nothing run
"$MYNASIM" run "$SOURCE_DIR/tests/data/bad-scenarios/unknown-profile.yaml" --out "$work/bad" >"$work/bad.log" 2>&1; code=$?
check "[ $code -eq 2 ]" "a broken scenario is a usage error (exit $code)"
check "grep -q 'unknown-profile.yaml:6:15: unknown card profile' '$work/bad.log'" "with file:line:col"
check "[ ! -e '$work/bad/report.json' ]" "and nothing runs"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
