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
assert any(j['call'] == '/v1/confirmations' for j in c['evidence']['journal'])
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
assert kinds['exit']['where'].endswith('wrong-expectations.yaml:11:7'), kinds['exit']
PY" "report.json keeps every failed expectation with expected, actual and file:line:col"
check "grep -q '<failure message=\"step 1 exit: expected wrong_pin' '$work/failing/junit.xml'" "junit.xml carries the failure"

# broken scenarios: exit 2 with file:line:col, nothing run
"$MYNASIM" run "$SOURCE_DIR/tests/data/bad-scenarios/unknown-profile.yaml" --out "$work/bad" >"$work/bad.log" 2>&1; code=$?
check "[ $code -eq 2 ]" "a broken scenario is a usage error (exit $code)"
check "grep -q 'unknown-profile.yaml:6:15: unknown card profile' '$work/bad.log'" "with file:line:col"
check "[ ! -e '$work/bad/report.json' ]" "and nothing runs"

echo "$failures failure(s)"
[ "$failures" -eq 0 ]
