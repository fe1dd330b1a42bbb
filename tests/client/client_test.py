"""The reference client (`mynasim client`) through a real private pcscd + vpcd + the card emulator, against the
mock server over real HTTP and HTTPS: every action, every exit code, and the card's APDU trace (PIN無し sends
no VERIFY; a locked card gets no VERIFY with a PIN; a wrong PIN is never retried). Then the reception
system's side of the file interface (`mynasim reception`).

The tests of this module share one PC/SC environment and one server (each test inserts the card it needs).
Run by CTest (client.reference) on the fixtures of tests/integration_support/mynasim_integration.py; needs root
(the environment uses namespaces).
"""
import json
import os
import subprocess
import time

import pytest

from mynasim_integration import PcscSim, Server

CARD_ARGS = ["--insurer", "06139902", "--symbol", "TEST-B", "--number", "2001", "--branch", "00", "--birthdate", "19800101"]


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    return tmp_path_factory.mktemp("client")


@pytest.fixture(scope="module")
def sim(mynasim_binary, profile_dir, work):
    """The private PC/SC environment of this module, a valid card in its reader."""
    with PcscSim(mynasim_binary, work / "env", profile_dir / "valid.yaml") as made:
        yield made


@pytest.fixture(scope="module")
def box(work):
    return work / "files"


@pytest.fixture(scope="module")
def server(mynasim_binary, box):
    """The module's mock server, with the file interface in `box`."""
    with Server(mynasim_binary, "--files", box) as made:
        yield made


@pytest.fixture(autouse=True)
def no_faults_left(request):
    """A test that injects server faults leaves none behind, even when it fails."""
    yield
    server = request.node.funcargs.get("server")
    if server is not None and server.running:
        server.admin("faults", {"clear": True})


@pytest.fixture
def insert(sim, profile_dir):
    """insert(profile): a fresh card of the profile in the reader."""
    return lambda profile: sim.insert(profile_dir / (profile + ".yaml"))


@pytest.fixture
def client(run_mynasim, sim, server):
    """client(action, *args, url=…, env=…) -> (exit code, JSON report, seconds): `mynasim client ACTION --server URL --json ARGS`."""

    def run_client(*args, url=None, env=None, timeout=60):
        started = time.monotonic()
        result = run_mynasim("client", *args[:1], "--server", url or server.url, "--json", *args[1:],
                             env=env or sim.environment, timeout=timeout)
        try:
            report = json.loads(result.stdout)
        except json.JSONDecodeError:
            report = {"unparsed": result.stdout, "stderr": result.stderr}
        return result.returncode, report, time.monotonic() - started

    return run_client


@pytest.fixture
def reception(run_mynasim, server, box):
    """reception(action, *args) -> (exit code, JSON report): `mynasim reception ACTION --files BOX --json ARGS`."""

    def run_reception(*args, timeout=60):
        result = run_mynasim("reception", *args[:1], "--files", box, "--json", *args[1:], timeout=timeout)
        try:
            return result.returncode, json.loads(result.stdout)
        except json.JSONDecodeError:
            return result.returncode, {"unparsed": result.stdout, "stderr": result.stderr}

    return run_reception


@pytest.fixture(scope="module")
def pki(run_mynasim, work):
    """The test PKI's files (`mynasim pki emit`): the server's TLS certificate, its CA, the 特定機関 certificate."""
    out = work / "pki"
    run_mynasim("pki", "emit", "--out", out).check_returncode()
    return out


def verifies(commands):
    """VERIFY commands carrying a PIN (empty VERIFY, which only asks the counter, excluded)."""
    return [c for c in commands if c.startswith("00200080") and len(c) > 8]


# --- 暗証番号入力による資格確認

def test_pin_confirmation(client, insert, sim, server, run_mynasim):
    insert("valid")
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 0 and report.get("result") == "ok", "PIN confirmation: %s %s" % (code, report)
    assert report.get("Name") == "テスト 太郎" and report.get("InsurerNumber") == "06139902" and report.get("QualificationValidity") == "1", \
        "the profile's person and qualification: %s" % report
    for field in ("NameKana", "Sex1", "Birthdate", "InsurerName", "InsuredCardSymbol", "InsuredIdentificationNumber",
                  "InsuredBranchNumber", "InsuredCardValidDate", "ConfirmationId"):
        assert field in report, "JSON carries " + field
    # the whole answer, nested as the XML nests: an open-ended qualification's expiration date is an empty tag
    result = report["XmlMsg"]["MessageBody"]["ResultList"][0]["ResultOfQualificationConfirmation"]
    assert result["InsuredCardExpirationDate"] == "" and "InsuredCardExpirationDate" not in report, "absent values: %s" % result
    assert report["XmlMsg"]["MessageHeader"]["ReferenceClassification"] == "1", "looked up by the card"
    assert report.get("pin_tries_left") == 3, "tries left reported: %s" % report.get("pin_tries_left")
    commands = sim.trace()
    assert len(verifies(commands)) == 1, "one VERIFY with the PIN: %s" % verifies(commands)
    assert any(c.startswith("802A0080") for c in commands), "COMPUTE DIGITAL SIGNATURE sent"
    # human-readable output by default
    result = run_mynasim("client", "confirm", "--pin", "1234", "--server", server.url, env=sim.environment)
    assert result.returncode == 0 and "テスト 太郎" in result.stdout and "06139902" in result.stdout, "text output: " + result.stdout


def test_wrong_pin_is_never_retried(client, insert, sim):
    # wrong PIN: exit 10 with tries left, never retried
    insert("valid")
    code, report, _ = client("confirm", "--pin", "9999")
    assert code == 10 and report.get("result") == "wrong_pin" and report.get("pin_tries_left") == 2, "wrong PIN: %s %s" % (code, report)
    assert len(verifies(sim.trace())) == 1, "a wrong PIN is sent once, never retried"
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 0, "right PIN afterwards resets the counter"


def test_last_try_locks(client, insert, sim):
    # the last try: locked, then no VERIFY at all
    insert("pin-tries-left-1")
    code, report, _ = client("confirm", "--pin", "9999")
    assert code == 11 and report.get("pin_tries_left") == 0, "wrong PIN on the last try locks: %s %s" % (code, report)
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 11 and report.get("result") == "pin_locked", "then locked: %s %s" % (code, report)
    insert("auth-pin-locked")
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 11 and report.get("result") == "pin_locked", "locked card: %s %s" % (code, report)
    assert verifies(sim.trace()) == [], "a locked card gets no VERIFY with a PIN"


def test_malformed_pin_touches_no_card(client, insert, sim):
    # a malformed PIN is refused before the card is touched
    insert("valid")
    code, report, _ = client("confirm", "--pin", "12")
    assert code == 2 and "4 digits" in report.get("message", ""), "malformed PIN: %s %s" % (code, report)
    assert sim.trace() == [], "no APDU for a malformed PIN"


# --- PIN無し: 顔認証 and 目視, no VERIFY at all

@pytest.mark.parametrize("face", ["matched", "visual"])
def test_pinless_sends_no_verify(client, insert, sim, face):
    insert("valid")
    code, report, _ = client("confirm", "--pinless", "--face", face)
    assert code == 0 and report.get("Name") == "テスト 太郎" and report.get("face") == face, "PIN無し %s: %s %s" % (face, code, report)
    commands = sim.trace()
    assert not any(c.startswith("0020") for c in commands), "PIN無し (%s) sends no VERIFY: %s" % (face, commands)
    assert any(c.startswith("0082") for c in commands) and any(c.startswith("002A00BE") for c in commands), \
        "PIN無し does 特定機関認証 (PSO VERIFY CERTIFICATE, EXTERNAL AUTHENTICATE)"


def test_pinless_needs_face(client):
    code, report, _ = client("confirm", "--pinless")
    assert code == 2 and "--face" in report.get("message", ""), "PIN無し without --face: %s %s" % (code, report)


# --- certificates the server refuses (exit 30, the server's code)

@pytest.mark.parametrize("profile, error", [("expired-auth-cert", "OQS-E2004"), ("not-yet-valid-auth-cert", "OQS-E2005"),
                                            ("revoked-auth-cert", "OQS-E2006"), ("unknown-issuer-auth-cert", "OQS-E2002"),
                                            ("bad-signature-auth-cert", "OQS-E2003"), ("truncated-auth-cert", "OQS-E2001")])
def test_refused_certificate(client, insert, profile, error):
    insert(profile)
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 30 and report.get("error_code") == error, "%s: exit 30 %s, got %s %s" % (profile, error, code, report)


def test_renewed_certificate_is_the_same_person(client, insert):
    # renewed certificate: the same person (名寄せ by serial)
    insert("renewed-auth-cert")
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 0 and report.get("Name") == "テスト 太郎", "renewed certificate: %s %s" % (code, report)


# --- 初回登録

def test_first_registration(client, insert):
    insert("unregistered-person")
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 31 and report.get("error_code") == "OQS-E3001", "not registered: %s %s" % (code, report)
    code, report, _ = client("register", "--pinless", "--face", "visual")
    assert code == 0 and report.get("Name") == "テスト 次郎" and report.get("action") == "register", "初回登録 PIN無し: %s %s" % (code, report)
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 0 and report.get("Name") == "テスト 次郎", "confirmation after 初回登録: %s %s" % (code, report)
    code, report, _ = client("register", "--pin", "1234")
    assert code == 0, "registering again is no error"
    code, report, _ = client("register", *CARD_ARGS)
    assert code == 2, "register has no insurance-card path: %s" % code


# --- card faults

def test_card_faults(client, insert, sim):
    insert("non-jpki-card")
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 24 and report.get("result") == "not_my_number_card", "non-JPKI card: %s %s" % (code, report)
    insert("torn-mid-read")
    code, report, elapsed = client("confirm", "--pin", "1234")
    assert code == 22 and report.get("result") == "card_removed", "card pulled mid-read: %s %s" % (code, report)
    insert("mute-card")
    code, report, elapsed = client("confirm", "--pin", "1234", "--card-timeout", "800")
    assert code == 23 and elapsed < 5, "mute card: exit 23 within the timeout (%.1f s): %s" % (elapsed, report)
    insert("slow-card")
    code, report, elapsed = client("confirm", "--pin", "1234", "--card-timeout", "2000")
    assert code == 0, "slow card within the timeout: %s %s" % (code, report)
    code, report, elapsed = client("confirm", "--pin", "1234", "--card-timeout", "50")
    assert code == 23, "slow card beyond --card-timeout: %s %s" % (code, report)
    insert("signature-error")
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 25 and "6F00" in report.get("message", ""), "card refuses COMPUTE DIGITAL SIGNATURE: %s %s" % (code, report)
    assert len([c for c in sim.trace() if c.startswith("802A")]) == 1, "a failed signature is not retried"
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 0, "the next session works: %s %s" % (code, report)


def test_reader_faults(client, insert, sim, work):
    sim.remove()
    code, report, _ = client("confirm", "--pin", "1234")
    assert code == 21 and report.get("result") == "no_card", "no card: %s %s" % (code, report)
    insert("valid")
    code, report, _ = client("confirm", "--pin", "1234", "--reader", "No Such Reader")
    assert code == 20 and "No Such Reader" in report.get("message", ""), "unknown reader: %s %s" % (code, report)
    lost = dict(sim.environment, PCSCLITE_CSOCK_NAME=os.fspath(work / "nothing-here.comm"))
    code, report, _ = client("confirm", "--pin", "1234", env=lost)
    assert code == 20, "no PC/SC service: %s %s" % (code, report)
    code, report, _ = client("confirm", "--pin", "1234", "--reader", sim.variables["MYNASIM_READER"])
    assert code == 0, "--reader by name"


# --- insurance-card path (no card touched)

def test_insurance_card_path(client, insert, sim):
    insert("valid")
    code, report, _ = client("confirm", *CARD_ARGS)
    assert code == 0 and report.get("Name") == "テスト 太郎" and report.get("mode") == "card", "insurance card: %s %s" % (code, report)
    assert sim.trace() == [], "the insurance-card path touches no card"
    code, report, _ = client("confirm", "--insurer", "06139902", "--symbol", "TEST-B", "--number", "9999", "--branch", "00",
                             "--birthdate", "19800101")
    assert code == 32 and report.get("error_code") == "OQS-E4001", "unknown insurance card: %s %s" % (code, report)
    code, report, _ = client("confirm", "--insurer", "06139902")
    assert code == 2, "incomplete insurance card: %s" % code


# --- 薬剤情報 / 特定健診情報 with and without consent

def test_medications_and_checkups(client, insert):
    insert("valid")
    code, report, _ = client("medications", "--pin", "1234", "--consent", "yes")
    assert code == 0 and report.get("action") == "medications" and len(report.get("PharmaceuticalList", [])) >= 1, \
        "medications with consent: %s %s" % (code, report)
    code, report, _ = client("medications", "--pin", "1234", "--consent", "no")
    assert code == 32 and report.get("error_code") == "OQS-E5001", "medications without consent: %s %s" % (code, report)
    code, report, _ = client("checkups", "--pinless", "--face", "matched", "--consent", "yes")
    assert code == 0 and len(report.get("CheckupResultList", [])) >= 1, "checkups with consent: %s %s" % (code, report)
    code, report, _ = client("checkups", "--confirmation-id", "0000000000000000")
    assert code == 32 and report.get("error_code") == "OQS-E5001", "checkups for an unknown visit: %s %s" % (code, report)
    code, report, _ = client("medications", "--pin", "1234")
    assert code == 2, "medications needs --consent: %s" % code


# --- server faults: timeout, malformed, HTTP error page, dropped connection, unreachable

@pytest.mark.parametrize("kind, expected, extra", [("no_answer", 41, ["--timeout", "700"]), ("malformed", 42, []), ("status", 42, []),
                                                   ("drop", 42, [])])
def test_server_fault(client, insert, server, kind, expected, extra):
    insert("valid")
    server.admin("faults", {"add": {"call": "/v2/confirmations", "kind": kind, "status": 503, "count": 1}})
    code, report, elapsed = client("confirm", "--pin", "1234", *extra)
    assert code == expected and elapsed < 10, "server fault %s: exit %d, got %s in %.1f s: %s" % (kind, expected, code, elapsed, report)


def test_unreachable_server(client):
    code, report, _ = client("confirm", *CARD_ARGS, url="http://127.0.0.1:1")
    assert code == 40 and report.get("result") == "server_unreachable", "unreachable server: %s %s" % (code, report)


# --- the reception system's side of the file interface (mynasim reception)

def test_reception_requests(reception):
    code, report = reception("confirm", *CARD_ARGS, "--file-id", "RX-1")
    assert code == 0 and report.get("Name") == "テスト 太郎" and report.get("charset") == "UTF-8", "reception by card: %s %s" % (code, report)
    code, report = reception("confirm", *CARD_ARGS, "--shift-jis")
    assert code == 0 and report.get("Name") == "テスト 太郎" and report.get("NameKana") == "ﾃｽﾄ ﾀﾛｳ" and report.get("charset") == "Shift_JIS", \
        "reception in Shift_JIS: %s %s" % (code, report)
    code, report = reception("confirm", "--insurer", "06139902", "--number", "9999", "--branch", "00", "--birthdate", "19800101")
    assert code == 32 and report.get("error_code") == "OQS-E4001" and report.get("error_level") == "person", \
        "reception, unknown card (person level): %s %s" % (code, report)
    assert report["XmlMsg"]["MessageBody"]["ProcessingResultStatus"] == "2", "the nested XmlMsg: %s" % report
    code, report = reception("confirm", *CARD_ARGS, "--date", "2026")
    assert code == 32 and report.get("error_level") == "file" and report.get("SegmentOfResult") == "9", \
        "reception, a request the terminal cannot process (file level): %s %s" % (code, report)
    code, report = reception("confirm", *CARD_ARGS, "--institution", "1312345678")
    assert code == 32 and report.get("error_code") == "OQS-E0004", "reception, another institution: %s %s" % (code, report)


def test_reception_reads_the_face_file_of_the_patient_at_the_reader(client, insert, reception, mynasim_binary, box):
    # a reception watching Face/ for the next patient, who confirms PIN無し with 目視 through the real reader
    insert("valid")
    waiting = subprocess.Popen([os.fspath(mynasim_binary), "reception", "face", "--files", os.fspath(box), "--json", "--timeout", "20000"],
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8")
    try:
        time.sleep(0.5)
        code, report, _ = client("confirm", "--pinless", "--face", "visual")
        assert code == 0, "the patient at the reader: %s %s" % (code, report)
        out, _ = waiting.communicate(timeout=30)
    finally:
        if waiting.poll() is None:
            waiting.kill()
            waiting.communicate()
    report = json.loads(out) if out.strip().startswith("{") else {"unparsed": out}
    assert waiting.returncode == 0 and report.get("Name") == "テスト 太郎" and report.get("ReferenceClassification") == "1" and \
        report.get("face_file", "").startswith("Face/OQSsiquc01res_face_"), "the waiting reception reads the face file: %s %s" % (waiting.returncode, report)
    code, report = reception("face", "--timeout", "500")
    assert code == 41, "no patient at the reader: %s %s" % (code, report)
    code, report = reception("face", "--newest")
    assert code == 0 and report.get("face_file") is not None, "the newest face file: %s %s" % (code, report)


def test_reception_without_the_folder(run_mynasim, work):
    result = run_mynasim("reception", "confirm", "--files", work / "no-such-folder", *CARD_ARGS)
    assert result.returncode == 2 and "--files" in result.stderr, "reception without the folder: %s" % result.stderr


# --- HTTPS with the test PKI's server certificate

def test_https(client, insert, server_factory, pki, sim):
    tls = server_factory("--tls-cert", pki / "server/server.crt", "--tls-key", pki / "server/server.key")
    insert("valid")
    ca = pki / "ca/server-tls-ca.pem"
    code, report, _ = client("confirm", "--pin", "1234", "--ca", ca, url=tls.url)
    assert code == 0 and report.get("Name") == "テスト 太郎", "HTTPS: %s %s" % (code, report)
    code, report, _ = client("confirm", "--pin", "1234", url=tls.url)
    assert code == 2 and "--ca" in report.get("message", ""), "HTTPS needs --ca: %s %s" % (code, report)
    code, report, _ = client("confirm", "--pin", "1234", "--ca", pki / "ca/jpki-auth-ca.pem", url=tls.url)
    assert code == 40, "HTTPS with the wrong CA: %s %s" % (code, report)


def test_mutual_tls(client, insert, server_factory, pki, sim):
    # client certificates, as the real terminals present: the test PKI's 特定機関 certificate
    mutual = server_factory("--tls-cert", pki / "server/server.crt", "--tls-key", pki / "server/server.key",
                            "--client-ca", pki / "ca/tokutei-kikan-ca.pem")
    ca = pki / "ca/server-tls-ca.pem"
    insert("valid")
    code, report, _ = client("confirm", "--pin", "1234", "--ca", ca, url=mutual.url)
    assert code == 40, "mutual TLS without a client certificate: %s %s" % (code, report)
    assert verifies(sim.trace()) == [], "the challenge comes before VERIFY: a server that fails costs no PIN try"
    insert("valid")
    code, report, _ = client("confirm", "--pin", "1234", "--ca", ca, "--client-cert", pki / "tokutei-kikan/institution.crt",
                             "--client-key", pki / "tokutei-kikan/institution.key", url=mutual.url)
    assert code == 0 and report.get("Name") == "テスト 太郎", "mutual TLS with the terminal's certificate: %s %s" % (code, report)
