#!/usr/bin/python3
"""Integration test of the reference client (`mynasim client`) through a real private pcscd + vpcd + the card
emulator, against the mock server over real HTTP and HTTPS: every action, every exit code, and the card's APDU
trace (PIN無し sends no VERIFY; a locked card gets no VERIFY with a PIN; a wrong PIN is never retried).

Usage: client_test.py MYNASIM SOURCE_DIR WORK_DIR   (needs root: the environment uses namespaces)
"""
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time

MYNASIM, SOURCE, WORK = sys.argv[1:4]
PROFILES = os.path.join(SOURCE, "card-profiles")
ENV = os.path.join(WORK, "env")
failures = []
passed = [0]


def check(condition, message):
    if condition:
        passed[0] += 1
    else:
        failures.append(message)
        print("FAIL:", message, flush=True)


def run(*args, env=None, timeout=60):
    return subprocess.run([MYNASIM, *args], capture_output=True, text=True, env=env, timeout=timeout)


class Server:
    def __init__(self, *args):
        self.process = subprocess.Popen([MYNASIM, "server", "run", "--listen", "127.0.0.1:0", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            raise SystemExit("server did not start: " + line + self.process.stdout.read())
        self.port = int(line.split("127.0.0.1:")[1].split()[0])
        self.url = line.split(" on ")[1].split()[0]
        self.token = self.process.stdout.readline().split("admin token: ")[1].strip()

    def admin(self, call, body):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("POST", "/admin/v1/" + call, body=json.dumps(body), headers={"Authorization": "Bearer " + self.token})
        response = connection.getresponse()
        return json.loads(response.read())

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        self.process.communicate(timeout=10)


def card_env():
    env = dict(os.environ)
    with open(os.path.join(ENV, "env")) as f:
        for line in f:
            if line.startswith("export "):
                key, value = line[len("export "):].strip().split("=", 1)
                env[key] = value.strip("'")
    return env


def insert(profile):
    run("sim", "ctl", "-d", ENV, "remove")
    result = run("sim", "ctl", "-d", ENV, "insert", "-p", os.path.join(PROFILES, profile + ".yaml"))
    if result.returncode != 0:
        raise SystemExit("cannot insert %s: %s %s" % (profile, result.stdout, result.stderr))


def trace():
    result = run("sim", "ctl", "-d", ENV, "trace", "--json", "--max", "1000")
    return [e["command"] for e in json.loads(result.stdout)["exchanges"] if "command" in e]


def client(*args, server=None, env=None, timeout=60):
    started = time.monotonic()
    base = ["client", *args[:1], "--server", (server or SERVER).url, "--json", *args[1:]]
    result = run(*base, env=env or ENV_VARS, timeout=timeout)
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        report = {"unparsed": result.stdout, "stderr": result.stderr}
    return result.returncode, report, time.monotonic() - started


def verifies(commands):
    """VERIFY commands carrying a PIN (empty VERIFY, which only asks the counter, excluded)."""
    return [c for c in commands if c.startswith("00200080") and len(c) > 8]


shutil.rmtree(WORK, ignore_errors=True)
os.makedirs(WORK)
up = run("sim", "up", "-p", os.path.join(PROFILES, "valid.yaml"), "-d", ENV)
if up.returncode != 0:
    raise SystemExit("sim up failed: " + up.stdout + up.stderr)
ENV_VARS = card_env()
BOX = os.path.join(WORK, "files")
SERVER = Server("--files", BOX, "--bulk-delay", "300")
try:
    # --- 暗証番号入力による資格確認
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 0 and report.get("result") == "ok", "PIN confirmation: %s %s" % (code, report))
    check(report.get("Name") == "テスト 太郎" and report.get("InsurerNumber") == "06139902" and report.get("QualificationValidity") == "1",
          "the profile's person and qualification: %s" % report)
    for field in ("NameKana", "Sex1", "Birthdate", "InsurerName", "InsuredCardSymbol", "InsuredIdentificationNumber",
                  "InsuredBranchNumber", "InsuredCardValidDate", "InsuredCardExpirationDate", "ConfirmationId"):
        check(field in report, "JSON carries " + field)
    check(report.get("pin_tries_left") == 3, "tries left reported: %s" % report.get("pin_tries_left"))
    commands = trace()
    check(len(verifies(commands)) == 1, "one VERIFY with the PIN: %s" % verifies(commands))
    check(any(c.startswith("802A0080") for c in commands), "COMPUTE DIGITAL SIGNATURE sent")
    # human-readable output by default
    result = run("client", "confirm", "--pin", "1234", "--server", SERVER.url, env=ENV_VARS)
    check(result.returncode == 0 and "テスト 太郎" in result.stdout and "06139902" in result.stdout, "text output: " + result.stdout)

    # --- wrong PIN: exit 10 with tries left, never retried
    insert("valid")
    code, report, _ = client("confirm", "--pin", "9999")
    check(code == 10 and report.get("result") == "wrong_pin" and report.get("pin_tries_left") == 2, "wrong PIN: %s %s" % (code, report))
    check(len(verifies(trace())) == 1, "a wrong PIN is sent once, never retried")
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 0, "right PIN afterwards resets the counter")

    # --- the last try: locked, then no VERIFY at all
    insert("pin-tries-left-1")
    code, report, _ = client("confirm", "--pin", "9999")
    check(code == 11 and report.get("pin_tries_left") == 0, "wrong PIN on the last try locks: %s %s" % (code, report))
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 11 and report.get("result") == "pin_locked", "then locked: %s %s" % (code, report))
    insert("auth-pin-locked")
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 11 and report.get("result") == "pin_locked", "locked card: %s %s" % (code, report))
    check(verifies(trace()) == [], "a locked card gets no VERIFY with a PIN")
    # a malformed PIN is refused before the card is touched
    insert("valid")
    code, report, _ = client("confirm", "--pin", "12")
    check(code == 2 and "4 digits" in report.get("message", ""), "malformed PIN: %s %s" % (code, report))
    check(trace() == [], "no APDU for a malformed PIN")

    # --- PIN無し: 顔認証 and 目視, no VERIFY at all
    for face in ("matched", "visual"):
        insert("valid")
        code, report, _ = client("confirm", "--pinless", "--face", face)
        check(code == 0 and report.get("Name") == "テスト 太郎" and report.get("face") == face, "PIN無し %s: %s %s" % (face, code, report))
        commands = trace()
        check(not any(c.startswith("0020") for c in commands), "PIN無し (%s) sends no VERIFY: %s" % (face, commands))
        check(any(c.startswith("0082") for c in commands) and any(c.startswith("002A00BE") for c in commands),
              "PIN無し does 特定機関認証 (PSO VERIFY CERTIFICATE, EXTERNAL AUTHENTICATE)")
    code, report, _ = client("confirm", "--pinless")
    check(code == 2 and "--face" in report.get("message", ""), "PIN無し without --face: %s %s" % (code, report))

    # --- certificates the server refuses (exit 30, the server's code)
    for profile, error in (("expired-auth-cert", "OQS-E2004"), ("not-yet-valid-auth-cert", "OQS-E2005"),
                           ("revoked-auth-cert", "OQS-E2006"), ("unknown-issuer-auth-cert", "OQS-E2002"),
                           ("bad-signature-auth-cert", "OQS-E2003"), ("truncated-auth-cert", "OQS-E2001")):
        insert(profile)
        code, report, _ = client("confirm", "--pin", "1234")
        check(code == 30 and report.get("error_code") == error, "%s: exit 30 %s, got %s %s" % (profile, error, code, report))

    # --- renewed certificate: the same person (名寄せ by serial)
    insert("renewed-auth-cert")
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 0 and report.get("Name") == "テスト 太郎", "renewed certificate: %s %s" % (code, report))

    # --- 初回登録
    insert("unregistered-person")
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 31 and report.get("error_code") == "OQS-E3001", "not registered: %s %s" % (code, report))
    code, report, _ = client("register", "--pinless", "--face", "visual")
    check(code == 0 and report.get("Name") == "テスト 次郎" and report.get("action") == "register", "初回登録 PIN無し: %s %s" % (code, report))
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 0 and report.get("Name") == "テスト 次郎", "confirmation after 初回登録: %s %s" % (code, report))
    code, report, _ = client("register", "--pin", "1234")
    check(code == 0, "registering again is no error")
    code, report, _ = client("register", "--insurer", "06139902", "--number", "2001", "--branch", "00", "--birthdate", "19800101")
    check(code == 2, "register has no insurance-card path: %s" % code)

    # --- card faults
    insert("non-jpki-card")
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 24 and report.get("result") == "not_my_number_card", "non-JPKI card: %s %s" % (code, report))
    insert("torn-mid-read")
    code, report, elapsed = client("confirm", "--pin", "1234")
    check(code == 22 and report.get("result") == "card_removed", "card pulled mid-read: %s %s" % (code, report))
    insert("mute-card")
    code, report, elapsed = client("confirm", "--pin", "1234", "--card-timeout", "800")
    check(code == 23 and elapsed < 5, "mute card: exit 23 within the timeout (%.1f s): %s" % (elapsed, report))
    insert("slow-card")
    code, report, elapsed = client("confirm", "--pin", "1234", "--card-timeout", "2000")
    check(code == 0, "slow card within the timeout: %s %s" % (code, report))
    code, report, elapsed = client("confirm", "--pin", "1234", "--card-timeout", "50")
    check(code == 23, "slow card beyond --card-timeout: %s %s" % (code, report))
    insert("signature-error")
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 25 and "6F00" in report.get("message", ""), "card refuses COMPUTE DIGITAL SIGNATURE: %s %s" % (code, report))
    check(len([c for c in trace() if c.startswith("802A")]) == 1, "a failed signature is not retried")
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 0, "the next session works: %s %s" % (code, report))
    run("sim", "ctl", "-d", ENV, "remove")
    code, report, _ = client("confirm", "--pin", "1234")
    check(code == 21 and report.get("result") == "no_card", "no card: %s %s" % (code, report))
    insert("valid")
    code, report, _ = client("confirm", "--pin", "1234", "--reader", "No Such Reader")
    check(code == 20 and "No Such Reader" in report.get("message", ""), "unknown reader: %s %s" % (code, report))
    lost = dict(ENV_VARS, PCSCLITE_CSOCK_NAME=os.path.join(WORK, "nothing-here.comm"))
    code, report, _ = client("confirm", "--pin", "1234", env=lost)
    check(code == 20, "no PC/SC service: %s %s" % (code, report))
    code, report, _ = client("confirm", "--pin", "1234", "--reader", ENV_VARS["MYNASIM_READER"])
    check(code == 0, "--reader by name")

    # --- insurance-card path (no card touched)
    insert("valid")
    code, report, _ = client("confirm", "--insurer", "06139902", "--symbol", "TEST-B", "--number", "2001", "--branch", "00",
                             "--birthdate", "19800101")
    check(code == 0 and report.get("Name") == "テスト 太郎" and report.get("mode") == "card", "insurance card: %s %s" % (code, report))
    check(trace() == [], "the insurance-card path touches no card")
    code, report, _ = client("confirm", "--insurer", "06139902", "--symbol", "TEST-B", "--number", "9999", "--branch", "00",
                             "--birthdate", "19800101")
    check(code == 32 and report.get("error_code") == "OQS-E4001", "unknown insurance card: %s %s" % (code, report))
    code, report, _ = client("confirm", "--insurer", "06139902")
    check(code == 2, "incomplete insurance card: %s" % code)

    # --- 薬剤情報 / 特定健診情報 with and without consent
    code, report, _ = client("medications", "--pin", "1234", "--consent", "yes")
    check(code == 0 and report.get("action") == "medications" and len(report.get("PharmaceuticalList", [])) >= 1,
          "medications with consent: %s %s" % (code, report))
    code, report, _ = client("medications", "--pin", "1234", "--consent", "no")
    check(code == 32 and report.get("error_code") == "OQS-E5001", "medications without consent: %s %s" % (code, report))
    code, report, _ = client("checkups", "--pinless", "--face", "matched", "--consent", "yes")
    check(code == 0 and len(report.get("CheckupResultList", [])) >= 1, "checkups with consent: %s %s" % (code, report))
    code, report, _ = client("checkups", "--confirmation-id", "0000000000000000")
    check(code == 32 and report.get("error_code") == "OQS-E5001", "checkups for an unknown visit: %s %s" % (code, report))
    code, report, _ = client("medications", "--pin", "1234")
    check(code == 2, "medications needs --consent: %s" % code)

    # --- server faults: timeout, malformed, HTTP error page, dropped connection, unreachable
    for kind, expected, extra in (("no_answer", 41, ["--timeout", "700"]), ("malformed", 42, []), ("status", 42, []),
                                  ("drop", 42, [])):
        insert("valid")
        SERVER.admin("faults", {"add": {"call": "/v1/confirmations", "kind": kind, "status": 503, "count": 1}})
        code, report, elapsed = client("confirm", "--pin", "1234", *extra)
        check(code == expected and elapsed < 10, "server fault %s: exit %d, got %s in %.1f s: %s" % (kind, expected, code, elapsed, report))
    SERVER.admin("faults", {"clear": True})
    code, report, _ = client("confirm", "--insurer", "06139902", "--symbol", "TEST-B", "--number", "2001", "--branch", "00",
                             "--birthdate", "19800101", server=type("S", (), {"url": "http://127.0.0.1:1"})())
    check(code == 40 and report.get("result") == "server_unreachable", "unreachable server: %s %s" % (code, report))

    # --- the reception system's side of the file interface (mynasim reception)
    def reception(*args, timeout=60):
        result = run("reception", *args[:1], "--files", BOX, "--json", *args[1:], timeout=timeout)
        try:
            return result.returncode, json.loads(result.stdout)
        except json.JSONDecodeError:
            return result.returncode, {"unparsed": result.stdout, "stderr": result.stderr}

    card_args = ["--insurer", "06139902", "--symbol", "TEST-B", "--number", "2001", "--branch", "00", "--birthdate", "19800101"]
    code, report = reception("confirm", *card_args, "--file-id", "RX-1")
    check(code == 0 and report.get("Name") == "テスト 太郎" and report.get("charset") == "UTF-8", "reception by card: %s %s" % (code, report))
    code, report = reception("confirm", *card_args, "--shift-jis")
    check(code == 0 and report.get("Name") == "テスト 太郎" and report.get("NameKana") == "ﾃｽﾄ ﾀﾛｳ" and report.get("charset") == "Shift_JIS",
          "reception in Shift_JIS: %s %s" % (code, report))
    code, report = reception("confirm", "--insurer", "06139902", "--number", "9999", "--branch", "00", "--birthdate", "19800101")
    check(code == 32 and report.get("error_code") == "OQS-E4001", "reception, unknown card: %s %s" % (code, report))
    code, report = reception("confirm", *card_args, "--date", "2026")
    check(code == 33 and report.get("result") == "rejected" and "ConfirmationDate" in report.get("message", ""),
          "reception, rejected request (.err): %s %s" % (code, report))
    code, report = reception("bulk", "--card", "06139902,TEST-B,2001,00,19800101", "--card", "06139902,TEST-B,9999,00,19800101",
                             "--card", "06139902,,2001,00,19800101")
    results = report.get("results", [])
    check(code == 0 and len(results) == 3 and report.get("polls", 0) >= 1, "reception bulk, polled: %s %s" % (code, report))
    if len(results) == 3:
        check(results[0].get("Name") == "テスト 太郎" and results[1].get("ErrorCode") == "OQS-E4001", "bulk items: %s" % results)
    code, report = reception("bulk", "--card", "06139902,TEST-B")
    check(code == 2, "bulk with a bad --card: %s" % code)
    # waiting for the patient at the reader, who confirms PIN無し with 目視 through the real reader
    insert("valid")
    waiting = subprocess.Popen([MYNASIM, "reception", "confirm", "--files", BOX, "--json", "--reader", "--wait-seconds", "20"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    time.sleep(0.5)
    code, report, _ = client("confirm", "--pinless", "--face", "visual")
    check(code == 0, "the patient at the reader: %s %s" % (code, report))
    out, _ = waiting.communicate(timeout=30)
    report = json.loads(out) if out.strip().startswith("{") else {"unparsed": out}
    check(waiting.returncode == 0 and report.get("Name") == "テスト 太郎" and report.get("face") == "visual" and
          report.get("reader_mode") == "pinless", "the waiting reception gets the patient: %s %s" % (waiting.returncode, report))
    code, report = reception("confirm", "--reader", "--wait-seconds", "1")
    check(code == 41 and report.get("error_code") == "OQS-E7001", "nobody at the reader: %s %s" % (code, report))
    result = run("reception", "confirm", "--files", os.path.join(WORK, "no-such-folder"), *card_args)
    check(result.returncode == 2 and "--files" in result.stderr, "reception without the folder: %s" % result.stderr)

    # --- HTTPS with the test PKI's server certificate
    pki_dir = os.path.join(WORK, "pki")
    run("pki", "emit", "--out", pki_dir)
    tls = Server("--tls-cert", os.path.join(pki_dir, "server", "server.crt"), "--tls-key", os.path.join(pki_dir, "server", "server.key"))
    try:
        insert("valid")
        ca = os.path.join(pki_dir, "ca", "server-tls-ca.pem")
        code, report, _ = client("confirm", "--pin", "1234", "--ca", ca, server=tls)
        check(code == 0 and report.get("Name") == "テスト 太郎", "HTTPS: %s %s" % (code, report))
        code, report, _ = client("confirm", "--pin", "1234", server=tls)
        check(code == 2 and "--ca" in report.get("message", ""), "HTTPS needs --ca: %s %s" % (code, report))
        wrong_ca = os.path.join(pki_dir, "ca", "jpki-auth-ca.pem")
        code, report, _ = client("confirm", "--pin", "1234", "--ca", wrong_ca, server=tls)
        check(code == 40, "HTTPS with the wrong CA: %s %s" % (code, report))
    finally:
        tls.stop()
    # client certificates, as the real terminals present: the test PKI's 特定機関 certificate
    mutual = Server("--tls-cert", os.path.join(pki_dir, "server", "server.crt"), "--tls-key", os.path.join(pki_dir, "server", "server.key"),
                    "--client-ca", os.path.join(pki_dir, "ca", "tokutei-kikan-ca.pem"))
    try:
        insert("valid")
        code, report, _ = client("confirm", "--pin", "1234", "--ca", ca, server=mutual)
        check(code == 40, "mutual TLS without a client certificate: %s %s" % (code, report))
        check(verifies(trace()) == [], "the challenge comes before VERIFY: a server that fails costs no PIN try")
        insert("valid")
        code, report, _ = client("confirm", "--pin", "1234", "--ca", ca, "--client-cert", os.path.join(pki_dir, "tokutei-kikan", "institution.crt"),
                                 "--client-key", os.path.join(pki_dir, "tokutei-kikan", "institution.key"), server=mutual)
        check(code == 0 and report.get("Name") == "テスト 太郎", "mutual TLS with the terminal's certificate: %s %s" % (code, report))
    finally:
        mutual.stop()
finally:
    SERVER.stop()
    run("sim", "down", "-d", ENV)

print("%d checks passed, %d failed" % (passed[0], len(failures)))
sys.exit(1 if failures else 0)
