"""`mynasim server run` over real sockets (HTTP and HTTPS), with real card sessions: the requests, the admin
API (token, clock, faults, journal, reset), TLS with and without client certificates, CRLs, bad start-up input.

Run by CTest (server.http) on the fixtures of tests/integration_support/mynasim_integration.py.
"""
import base64
import http.client
import re
import socket
import ssl
import time
import xml.etree.ElementTree as ET

import pytest

from mynasim_integration import xml_field as field, xml_error

CARD = (b"<QualificationConfirmationRequest><Mode>card</Mode><InsurerNumber>06139902</InsurerNumber>"
        b"<InsuredCardSymbol>TEST-B</InsuredCardSymbol><InsuredIdentificationNumber>2001</InsuredIdentificationNumber>"
        b"<InsuredBranchNumber>00</InsuredBranchNumber><Birthdate>19800101</Birthdate></QualificationConfirmationRequest>")


def post(connection, path, body=b""):
    """POST on the given (possibly kept-alive) connection: (status, body as text)."""
    connection.request("POST", path, body=body, headers={"Content-Type": "application/xml"})
    response = connection.getresponse()
    return response.status, response.read().decode()


@pytest.fixture
def pin_request(card_session):
    """pin_request(connection, profile): a PIN confirmation request, the server's challenge signed by the profile's card."""

    def make(connection, profile):
        _, body = post(connection, "/v2/challenge")
        challenge = field(body, "Challenge")
        session = card_session(profile, challenge)
        b64 = lambda hex_text: base64.b64encode(bytes.fromhex(hex_text)).decode()
        return ("<QualificationConfirmationRequest><Mode>pin</Mode><Certificate>%s</Certificate><Challenge>%s</Challenge>"
                "<Signature>%s</Signature></QualificationConfirmationRequest>"
                % (b64(session["certificate_der"]), challenge, b64(session["signature"]))).encode()

    return make


@pytest.fixture
def server(server_factory):
    """A plain-HTTP server on the default dataset."""
    return server_factory()


@pytest.fixture(scope="module")
def pki(run_mynasim, tmp_path_factory):
    """The test PKI's files (`mynasim pki emit`): CAs, the server's and the 特定機関 certificates."""
    out = tmp_path_factory.mktemp("pki")
    run_mynasim("pki", "emit", "--out", out).check_returncode()
    return out


# --- plain HTTP

def test_confirmations_over_http(server, pin_request):
    c = server.connection()
    status, body = post(c, "/v2/confirmations", pin_request(c, "valid"))
    assert status == 200 and field(body, "Name") == "テスト 太郎", "PIN confirmation over HTTP: %s %s" % (status, body[:300])
    assert field(body, "InsurerNumber") == "06139902", "current insurer"
    # keep-alive: the same connection serves several requests
    for _ in range(3):
        status, body = post(c, "/v2/confirmations", CARD)
        assert status == 200 and field(body, "QualificationValidity") == "1", "card path on a kept-alive connection"
    status, body = post(c, "/v2/confirmations", pin_request(c, "expired-auth-cert"))
    assert status == 403 and xml_error(body) == ("OQS-E2004", "person"), "expired certificate: %s %s" % (status, body[:200])
    status, body = post(c, "/v2/confirmations", pin_request(c, "unregistered-person"))
    assert status == 403 and xml_error(body) == ("OQS-E3001", "person"), "unregistered person"
    status, body = post(c, "/v2/registrations", pin_request(c, "unregistered-person"))
    assert status == 200 and field(body, "Name") == "テスト 次郎", "初回登録 then the qualification"


def test_bad_requests(server):
    c = server.connection()
    status, headers, body = server.exchange("/v2/confirmations", b"<QualificationConfirmationRequest><Mode>pin")
    assert status == 400 and xml_error(body) == ("OQS-E0001", "file") and "XML" in headers.get("X-Mynasim-Detail", ""), \
        "malformed XML: %s %s %s" % (status, headers, body[:200])
    c.request("GET", "/v2/challenge")
    r = c.getresponse()
    r.read()
    assert r.status == 405, "GET is refused"
    status, _ = post(c, "/v2/unknown")
    assert status == 404, "unknown call"
    # a body over the 1 MiB limit is refused from its Content-Length, before it is read
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"POST /v2/confirmations HTTP/1.1\r\nHost: x\r\nContent-Length: 2097152\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 413"), "oversized body gets 413"
    # garbage instead of HTTP: answered 400, and the server keeps serving
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(b"HELLO THERE\r\n\r\n")
        assert raw.recv(100).startswith(b"HTTP/1.1 400"), "garbage gets 400"
    status, _ = post(server.connection(), "/v2/confirmations", CARD)
    assert status == 200, "still serving after garbage"


# --- admin API: token, clock, faults, journal, reset

def test_admin_token_and_clock(server, pin_request):
    status, body = server.admin("clock", {}, token="wrong")
    assert status == 401, "admin without the token is refused"
    status, body = server.admin("clock", {"set": "2026-04-01T09:00:00Z"})
    assert status == 200 and body["now"].startswith("2026-04-01T09:00"), "clock set: %s" % body
    status, body = server.admin("clock", {"advance": "+5y"})
    assert body["now"].startswith("2031-04-01"), "clock advance: %s" % body
    c = server.connection()
    status, body = post(c, "/v2/confirmations", pin_request(c, "valid"))
    assert status == 403 and xml_error(body) == ("OQS-E2004", "person"), "five years later the certificate has expired"
    server.admin("clock", {"set": "2026-04-01T09:00:00Z"})
    status, body = server.admin("clock", {"advance": "+5x"})
    assert status == 400 and "advance" in body["error"], "bad clock request: %s" % body


def test_admin_faults(server):
    c = server.connection()
    status, body = server.admin("faults", {"add": {"call": "/v2/confirmations", "kind": "status", "status": 503, "count": 1}})
    assert status == 200 and body["faults"][0]["remaining"] == 1, "fault added: %s" % body
    status, _ = post(c, "/v2/confirmations", CARD)
    assert status == 503, "injected 503: %s" % status
    status, _ = post(c, "/v2/confirmations", CARD)
    assert status == 200, "the fault was for one request only"
    server.admin("faults", {"add": {"kind": "malformed", "count": 1}})
    status, body = post(c, "/v2/confirmations", CARD)
    with pytest.raises(ET.ParseError):  # else: the malformed fault gave well-formed XML
        ET.fromstring(body)
    server.admin("faults", {"add": {"kind": "drop", "count": 1}})
    with pytest.raises((http.client.HTTPException, ConnectionError)):  # else: the drop fault answered
        post(server.connection(timeout=5), "/v2/confirmations", CARD)
    server.admin("faults", {"add": {"kind": "no_answer", "count": 1}})
    with pytest.raises((socket.timeout, TimeoutError)):  # else: the no_answer fault answered
        post(server.connection(timeout=1.5), "/v2/confirmations", CARD)
    server.admin("faults", {"add": {"kind": "latency", "latency_ms": 300, "count": 1}})
    started = time.monotonic()
    status, _ = post(c, "/v2/confirmations", CARD)
    assert status == 200 and time.monotonic() - started >= 0.29, "latency fault delays the answer"
    status, body = server.admin("faults", {"add": {"kind": "explode"}})
    assert status == 400 and "kind" in body["error"], "unknown fault kind refused: %s" % body
    status, body = server.admin("faults", {"clear": True})
    assert body["faults"] == [], "faults cleared"
    # after all those faults (a connection left unanswered among them), SIGTERM still ends the server cleanly
    code, out = server.stop()
    assert code == 0 and "stopped" in out, "SIGTERM stops the server cleanly: %s %s" % (code, out)


def test_admin_journal(server):
    c = server.connection()
    for _ in range(3):
        post(c, "/v2/confirmations", CARD)
    tagged = server.connection(timeout=5)
    tagged.request("POST", "/v2/confirmations", body=CARD, headers={"X-Mynasim-Tag": "scenario-42"})
    tagged.getresponse().read()
    status, body = server.admin("journal", {"tag": "scenario-42"})
    assert len(body["entries"]) == 1 and body["entries"][0]["call"] == "/v2/confirmations" and body["entries"][0]["status"] == 200, \
        "journal by tag: %s" % body
    status, now = server.admin("clock", {})
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", body["entries"][0]["at"]) is not None \
        and body["entries"][0]["at"] <= now["now"], "journal entries carry the server clock's time: %s" % body["entries"][0]
    status, body = server.admin("journal", {"max": 3})
    assert len(body["entries"]) == 3, "journal max"
    status, body = server.admin("nothing", {})
    assert status == 404, "unknown admin call"


def test_admin_reset(server, pin_request):
    c = server.connection()
    status, body = post(c, "/v2/registrations", pin_request(c, "unregistered-person"))
    assert status == 200, "初回登録 before the reset: %s %s" % (status, body[:200])
    status, body = server.admin("reset", {})
    assert status == 200, "reset"
    status, body = post(c, "/v2/confirmations", pin_request(c, "unregistered-person"))
    assert status == 403 and xml_error(body) == ("OQS-E3001", "person"), "reset undid the registration made earlier"
    status, body = server.admin("journal", {})
    assert len(body["entries"]) == 2, "reset cleared the journal (then the challenge and the confirmation): %d" % len(body["entries"])


# --- HTTPS with the test PKI, then with client certificates

def test_https(server_factory, pki, pin_request):
    server = server_factory("--tls-cert", pki / "server/server.crt", "--tls-key", pki / "server/server.key")
    context = ssl.create_default_context(cafile=pki / "ca/server-tls-ca.pem")
    s = http.client.HTTPSConnection("127.0.0.1", server.port, context=context, timeout=10)
    status, body = post(s, "/v2/confirmations", pin_request(s, "person-2"))
    assert status == 200 and field(body, "Name") == "テスト 花子", "PIN confirmation over HTTPS: %s %s" % (status, body[:200])
    with pytest.raises((http.client.HTTPException, ConnectionError, socket.timeout, OSError)):  # else: plain HTTP to the HTTPS port was answered
        post(server.connection(timeout=5), "/v2/challenge")
    status, _ = post(s, "/v2/confirmations", CARD)
    assert status == 200, "HTTPS still serving after a plain-HTTP attempt"
    code, _ = server.stop()
    assert code == 0, "HTTPS server stops cleanly"


def test_mutual_tls(server_factory, pki):
    server = server_factory("--tls-cert", pki / "server/server.crt", "--tls-key", pki / "server/server.key",
                            "--client-ca", pki / "ca/tokutei-kikan-ca.pem")
    context = ssl.create_default_context(cafile=pki / "ca/server-tls-ca.pem")
    with_cert = ssl.create_default_context(cafile=pki / "ca/server-tls-ca.pem")
    with_cert.load_cert_chain(pki / "tokutei-kikan/institution.crt", pki / "tokutei-kikan/institution.key")
    s = http.client.HTTPSConnection("127.0.0.1", server.port, context=with_cert, timeout=10)
    status, _ = post(s, "/v2/confirmations", CARD)
    assert status == 200, "client certificate accepted"
    with pytest.raises((ssl.SSLError, ConnectionError, http.client.HTTPException, OSError)):  # else: a client without a certificate was served
        s2 = http.client.HTTPSConnection("127.0.0.1", server.port, context=context, timeout=5)
        post(s2, "/v2/confirmations", CARD)
    code, _ = server.stop()
    assert code == 0, "mTLS server stops cleanly"


# --- revocation through the CRL that `pki emit` writes (here: the valid card's serial, revoked)

def test_crl_revokes(server_factory, run_mynasim, profile_dir, pin_request, tmp_path):
    revoking = tmp_path / "revoke-valid.yaml"
    revoking.write_text("extends: %s\njpki:\n  auth_certificate:\n    revoked: true\n" % (profile_dir / "valid.yaml"))
    crl_dir = tmp_path / "pki-crl"
    run_mynasim("pki", "emit", "--out", crl_dir, revoking).check_returncode()
    server = server_factory("--crl", crl_dir / "crl/jpki-auth-ca.crl")
    c = server.connection()
    status, body = post(c, "/v2/confirmations", pin_request(c, "valid"))
    assert status == 403 and xml_error(body) == ("OQS-E2006", "person"), "revoked through --crl: %s %s" % (status, body[:200])
    status, body = post(c, "/v2/confirmations", pin_request(c, "person-2"))
    assert status == 200, "a certificate not on the CRL still passes"


def test_broken_crl(run_mynasim, tmp_path):
    broken_crl = tmp_path / "broken.crl"
    broken_crl.write_text("not a CRL")
    bad = run_mynasim("server", "run", "--listen", "127.0.0.1:0", "--crl", broken_crl, timeout=10)
    assert bad.returncode == 1 and "--crl" in bad.stderr and "does not parse" in bad.stderr, "broken CRL: %s" % bad.stderr


# --- a bad dataset never starts a server

def test_bad_dataset(run_mynasim, source_dir):
    bad = run_mynasim("server", "run", "--listen", "127.0.0.1:0", "--data", source_dir / "tests/data/bad-datasets/bad-sex.yaml",
                      timeout=10)
    assert bad.returncode == 1 and "bad-sex.yaml:7:10:" in bad.stderr, "bad dataset: %s" % bad.stderr
