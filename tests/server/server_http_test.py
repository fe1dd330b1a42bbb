#!/usr/bin/python3
"""Integration test of `mynasim server run` over real sockets (HTTP and HTTPS), with real card sessions.

Usage: server_http_test.py MYNASIM SOURCE_DIR WORK_DIR
"""
import base64
import http.client
import json
import re
import os
import signal
import socket
import ssl
import subprocess
import sys
import xml.etree.ElementTree as ET

MYNASIM, SOURCE, WORK = sys.argv[1:4]
PROFILES = os.path.join(SOURCE, "card-profiles")
failures = []
passed = [0]


def check(condition, message):
    if condition:
        passed[0] += 1
    else:
        failures.append(message)
        print("FAIL:", message, flush=True)


class Server:
    def __init__(self, *args):
        self.process = subprocess.Popen([MYNASIM, "server", "run", "--listen", "127.0.0.1:0", *args],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            raise SystemExit("server did not start: " + line + self.process.stdout.read())
        self.port = int(line.split("127.0.0.1:")[1].split()[0])
        self.token = self.process.stdout.readline().split("admin token: ")[1].strip()

    def admin(self, call, body, token=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("POST", "/admin/v1/" + call, body=json.dumps(body),
                           headers={"Authorization": "Bearer " + (self.token if token is None else token)})
        response = connection.getresponse()
        return response.status, json.loads(response.read().decode())

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=10)
        return self.process.returncode, out


def post(connection, path, body=b""):
    connection.request("POST", path, body=body, headers={"Content-Type": "application/xml"})
    response = connection.getresponse()
    return response.status, response.read().decode()


def field(xml_text, name):
    node = ET.fromstring(xml_text).find(".//" + name)
    return None if node is None else (node.text or "")


def pin_request(connection, profile):
    status, body = post(connection, "/v1/challenge")
    challenge = field(body, "Challenge")
    session = json.loads(subprocess.run([MYNASIM, "card", "session", "--json", "-p", os.path.join(PROFILES, profile + ".yaml"),
                                         "--challenge", challenge], capture_output=True, text=True).stdout)
    b64 = lambda hex_text: base64.b64encode(bytes.fromhex(hex_text)).decode()
    return ("<QualificationConfirmationRequest><Mode>pin</Mode><Certificate>%s</Certificate><Challenge>%s</Challenge>"
            "<Signature>%s</Signature></QualificationConfirmationRequest>"
            % (b64(session["certificate_der"]), challenge, b64(session["signature"]))).encode()


CARD = (b"<QualificationConfirmationRequest><Mode>card</Mode><InsurerNumber>06139902</InsurerNumber>"
        b"<InsuredCardSymbol>TEST-B</InsuredCardSymbol><InsuredIdentificationNumber>2001</InsuredIdentificationNumber>"
        b"<InsuredBranchNumber>00</InsuredBranchNumber><Birthdate>19800101</Birthdate></QualificationConfirmationRequest>")

# --- plain HTTP
server = Server()
c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
status, body = post(c, "/v1/confirmations", pin_request(c, "valid"))
check(status == 200 and field(body, "Name") == "テスト 太郎", "PIN confirmation over HTTP: %s %s" % (status, body[:300]))
check(field(body, "InsurerNumber") == "06139902", "current insurer")
# keep-alive: the same connection serves several requests
for _ in range(3):
    status, body = post(c, "/v1/confirmations", CARD)
    check(status == 200 and field(body, "QualificationValidity") == "1", "card path on a kept-alive connection")
status, body = post(c, "/v1/confirmations", pin_request(c, "expired-auth-cert"))
check(status == 403 and field(body, "ErrorCode") == "OQS-E2004", "expired certificate: %s %s" % (status, body[:200]))
status, body = post(c, "/v1/confirmations", pin_request(c, "unregistered-person"))
check(status == 403 and field(body, "ErrorCode") == "OQS-E3001", "unregistered person")
status, body = post(c, "/v1/registrations", pin_request(c, "unregistered-person"))
check(status == 200 and field(body, "Name") == "テスト 次郎", "初回登録 then the qualification")
status, body = post(c, "/v1/confirmations", b"<QualificationConfirmationRequest><Mode>pin")
check(status == 400 and field(body, "ErrorCode") == "OQS-E0001" and "XML" in (field(body, "ErrorDetail") or ""),
      "malformed XML: %s %s" % (status, body[:200]))
c.request("GET", "/v1/challenge")
r = c.getresponse(); r.read()
check(r.status == 405, "GET is refused")
status, _ = post(c, "/v1/unknown")
check(status == 404, "unknown call")
# a body over the 1 MiB limit is refused from its Content-Length, before it is read
raw = socket.create_connection(("127.0.0.1", server.port), timeout=5)
raw.sendall(b"POST /v1/confirmations HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n")
check(raw.recv(100).startswith(b"HTTP/1.1 413"), "oversized body gets 413")
raw.close()
# garbage instead of HTTP: answered 400, and the server keeps serving
raw = socket.create_connection(("127.0.0.1", server.port), timeout=5)
raw.sendall(b"HELLO THERE\r\n\r\n")
check(raw.recv(100).startswith(b"HTTP/1.1 400"), "garbage gets 400")
raw.close()
c2 = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
status, _ = post(c2, "/v1/confirmations", CARD)
check(status == 200, "still serving after garbage")
# --- admin API: token, clock, faults, journal, reset
status, body = server.admin("clock", {}, token="wrong")
check(status == 401, "admin without the token is refused")
status, body = server.admin("clock", {"set": "2026-04-01T09:00:00Z"})
check(status == 200 and body["now"].startswith("2026-04-01T09:00"), "clock set: %s" % body)
status, body = server.admin("clock", {"advance": "+5y"})
check(body["now"].startswith("2031-04-01"), "clock advance: %s" % body)
status, body = post(c2, "/v1/confirmations", pin_request(c2, "valid"))
check(status == 403 and field(body, "ErrorCode") == "OQS-E2004", "five years later the certificate has expired")
server.admin("clock", {"set": "2026-04-01T09:00:00Z"})
status, body = server.admin("clock", {"advance": "+5x"})
check(status == 400 and "advance" in body["error"], "bad clock request: %s" % body)
status, body = server.admin("faults", {"add": {"call": "/v1/confirmations", "kind": "status", "status": 503, "count": 1}})
check(status == 200 and body["faults"][0]["remaining"] == 1, "fault added: %s" % body)
status, _ = post(c2, "/v1/confirmations", CARD)
check(status == 503, "injected 503: %s" % status)
status, _ = post(c2, "/v1/confirmations", CARD)
check(status == 200, "the fault was for one request only")
server.admin("faults", {"add": {"kind": "malformed", "count": 1}})
status, body = post(c2, "/v1/confirmations", CARD)
try:
    ET.fromstring(body)
    check(False, "malformed fault gave well-formed XML")
except ET.ParseError:
    pass
server.admin("faults", {"add": {"kind": "drop", "count": 1}})
try:
    post(http.client.HTTPConnection("127.0.0.1", server.port, timeout=5), "/v1/confirmations", CARD)
    check(False, "drop fault answered")
except (http.client.HTTPException, ConnectionError):
    pass
server.admin("faults", {"add": {"kind": "no_answer", "count": 1}})
try:
    post(http.client.HTTPConnection("127.0.0.1", server.port, timeout=1.5), "/v1/confirmations", CARD)
    check(False, "no_answer fault answered")
except (socket.timeout, TimeoutError):
    pass
server.admin("faults", {"add": {"kind": "latency", "latency_ms": 300, "count": 1}})
import time
started = time.monotonic()
status, _ = post(c2, "/v1/confirmations", CARD)
check(status == 200 and time.monotonic() - started >= 0.29, "latency fault delays the answer")
status, body = server.admin("faults", {"add": {"kind": "explode"}})
check(status == 400 and "kind" in body["error"], "unknown fault kind refused: %s" % body)
status, body = server.admin("faults", {"clear": True})
check(body["faults"] == [], "faults cleared")
tagged = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
tagged.request("POST", "/v1/confirmations", body=CARD, headers={"X-Mynasim-Tag": "scenario-42"})
tagged.getresponse().read()
status, body = server.admin("journal", {"tag": "scenario-42"})
check(len(body["entries"]) == 1 and body["entries"][0]["call"] == "/v1/confirmations" and body["entries"][0]["status"] == 200,
      "journal by tag: %s" % body)
status, now = server.admin("clock", {})
check(re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["entries"][0]["at"]) is not None
      and body["entries"][0]["at"] <= now["now"], "journal entries carry the server clock's time: %s" % body["entries"][0])
status, body = server.admin("journal", {"max": 3})
check(len(body["entries"]) == 3, "journal max")
status, body = server.admin("reset", {})
check(status == 200, "reset")
status, body = post(c2, "/v1/confirmations", pin_request(c2, "unregistered-person"))
check(status == 403 and field(body, "ErrorCode") == "OQS-E3001", "reset undid the registration made earlier")
status, body = server.admin("journal", {})
check(len(body["entries"]) == 2, "reset cleared the journal (then the challenge and the confirmation): %d" % len(body["entries"]))
status, body = server.admin("nothing", {})
check(status == 404, "unknown admin call")

code, out = server.stop()
check(code == 0 and "stopped" in out, "SIGTERM stops the server cleanly: %s %s" % (code, out))

# --- HTTPS with the test PKI, then with client certificates
pki = os.path.join(WORK, "pki")
subprocess.run([MYNASIM, "pki", "emit", "--out", pki], check=True, capture_output=True)
server = Server("--tls-cert", pki + "/server/server.crt", "--tls-key", pki + "/server/server.key")
context = ssl.create_default_context(cafile=pki + "/ca/server-tls-ca.pem")
s = http.client.HTTPSConnection("127.0.0.1", server.port, context=context, timeout=10)
status, body = post(s, "/v1/confirmations", pin_request(s, "person-2"))
check(status == 200 and field(body, "Name") == "テスト 花子", "PIN confirmation over HTTPS: %s %s" % (status, body[:200]))
try:
    plain = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    post(plain, "/v1/challenge")
    check(False, "plain HTTP to the HTTPS port was answered")
except (http.client.HTTPException, ConnectionError, socket.timeout, OSError):
    pass
status, _ = post(s, "/v1/confirmations", CARD)
check(status == 200, "HTTPS still serving after a plain-HTTP attempt")
code, _ = server.stop()
check(code == 0, "HTTPS server stops cleanly")

server = Server("--tls-cert", pki + "/server/server.crt", "--tls-key", pki + "/server/server.key",
                "--client-ca", pki + "/ca/tokutei-kikan-ca.pem")
with_cert = ssl.create_default_context(cafile=pki + "/ca/server-tls-ca.pem")
with_cert.load_cert_chain(pki + "/tokutei-kikan/institution.crt", pki + "/tokutei-kikan/institution.key")
s = http.client.HTTPSConnection("127.0.0.1", server.port, context=with_cert, timeout=10)
status, _ = post(s, "/v1/confirmations", CARD)
check(status == 200, "client certificate accepted")
try:
    s2 = http.client.HTTPSConnection("127.0.0.1", server.port, context=context, timeout=5)
    post(s2, "/v1/confirmations", CARD)
    check(False, "a client without a certificate was served")
except (ssl.SSLError, ConnectionError, http.client.HTTPException, OSError):
    pass
code, _ = server.stop()
check(code == 0, "mTLS server stops cleanly")

# --- revocation through the CRL that `pki emit` writes (here: the valid card's serial, revoked)
revoking = os.path.join(WORK, "revoke-valid.yaml")
with open(revoking, "w") as f:
    f.write("extends: %s\njpki:\n  auth_certificate:\n    revoked: true\n" % os.path.join(PROFILES, "valid.yaml"))
crl_dir = os.path.join(WORK, "pki-crl")
subprocess.run([MYNASIM, "pki", "emit", "--out", crl_dir, revoking], check=True, capture_output=True)
server = Server("--crl", crl_dir + "/crl/jpki-auth-ca.crl")
c = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
status, body = post(c, "/v1/confirmations", pin_request(c, "valid"))
check(status == 403 and field(body, "ErrorCode") == "OQS-E2006", "revoked through --crl: %s %s" % (status, body[:200]))
status, body = post(c, "/v1/confirmations", pin_request(c, "person-2"))
check(status == 200, "a certificate not on the CRL still passes")
server.stop()
broken_crl = os.path.join(WORK, "broken.crl")
with open(broken_crl, "w") as f:
    f.write("not a CRL")
bad = subprocess.run([MYNASIM, "server", "run", "--listen", "127.0.0.1:0", "--crl", broken_crl],
                     capture_output=True, text=True, timeout=10)
check(bad.returncode == 1 and "--crl" in bad.stderr and "does not parse" in bad.stderr, "broken CRL: %s" % bad.stderr)

# --- a bad dataset never starts a server
bad = subprocess.run([MYNASIM, "server", "run", "--data", os.path.join(SOURCE, "tests/data/bad-datasets/bad-sex.yaml")],
                     capture_output=True, text=True, timeout=10)
check(bad.returncode == 1 and "bad-sex.yaml:7:10:" in bad.stderr, "bad dataset: %s" % bad.stderr)

print("%d passed, %d failed" % (passed[0], len(failures)))
sys.exit(1 if failures else 0)
