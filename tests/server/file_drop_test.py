"""The file interface: `mynasim server run --files DIR` with a real folder, real inotify, and reader
confirmations made over real HTTP (docs/file-interface.md). The tests share one server and its folder, as the
reception systems of a terminal do (each test uses request names of its own); some start one of their own.
Every request fixture of tests/data/requests/ goes through the real folder, and its journal entry must carry
exactly the findings tests/data/requests/findings.txt lists for it (the unit test checks the same list).

Run by CTest (server.file_drop) on the fixtures of tests/integration_support/mynasim_integration.py.
"""
import base64
import os
import pathlib
import stat
import threading
import time

import pytest

from mynasim_integration import Server, xml_error, xml_field as field

FIXTURES = pathlib.Path(__file__).resolve().parents[1] / "data" / "requests"


class Box:
    """The terminal's folders: Req (requests in), Res (answers out), Face (reader confirmations), Rejected."""

    def __init__(self, root):
        self.root = root
        self.req, self.res, self.face, self.rejected = (os.path.join(root, d) for d in ("Req", "Res", "Face", "Rejected"))

    def drop(self, name, content):
        """As a careful reception writes: a temp name in the same folder, then rename."""
        data = content.encode() if isinstance(content, str) else content
        temporary = os.path.join(self.req, "." + name + ".tmp")
        with open(temporary, "wb") as f:
            f.write(data)
        os.rename(temporary, os.path.join(self.req, name))

    def face_files(self):
        return set(n for n in os.listdir(self.face) if not n.startswith("."))


def card_request(file_id, insurer="06139902", symbol="TEST-B", number="2001", birth="19800101", institution="9999000001"):
    return ('<?xml version="1.0" encoding="UTF-8"?><XmlMsg><MessageHeader><MedicalInstitutionCode>%s</MedicalInstitutionCode>'
            "<ArbitraryFileIdentifier>%s</ArbitraryFileIdentifier></MessageHeader><MessageBody><QualificationConfirmSearchInfo>"
            "<InsurerNumber>%s</InsurerNumber><InsuredCardSymbol>%s</InsuredCardSymbol>"
            "<InsuredIdentificationNumber>%s</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber>"
            "<Birthdate>%s</Birthdate><LimitApplicationCertificateRelatedConsFlg>0</LimitApplicationCertificateRelatedConsFlg>"
            "</QualificationConfirmSearchInfo></MessageBody></XmlMsg>" % (institution, file_id, insurer, symbol, number, birth))


def wait_for(path, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if os.path.exists(path):
            return True
        time.sleep(0.02)
    return False


def read(path):
    with open(path, "rb") as f:
        return f.read()


def expected_findings():
    """tests/data/requests/findings.txt: {fixture: [(severity, rule, where), ...]}."""
    table, current = {}, None
    for line in (FIXTURES / "findings.txt").read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            current = line[2:]
            table[current] = []
        elif line:
            severity, rule, where = line.split(" ", 2)
            table[current].append((severity, rule, where))
    return table


def journal_entry(server, call, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        entries = [e for e in server.journal(max=2000) if e["call"] == call]
        if entries:
            return entries[-1]
        time.sleep(0.02)
    return None


def new_box(folder):
    made = Box(os.fspath(folder / "box"))
    os.makedirs(made.req)
    return made


@pytest.fixture(scope="module")
def box(tmp_path_factory):
    """The folder of the module's server."""
    return new_box(tmp_path_factory.mktemp("terminal"))


@pytest.fixture(scope="module")
def server(mynasim_binary, box):
    """The module's server on `box`."""
    with Server(mynasim_binary, "--files", box.root) as made:
        yield made


@pytest.fixture
def reader_request(card_session):
    """reader_request(server, profile, mode): a confirmation made at the reader, over HTTP: PIN (challenge signed by the card) or PIN無し."""

    def make(server, profile, mode):
        challenge = None
        if mode == "pin":
            _, body = server.post("/v2/challenge", b"")
            challenge = field(body, "Challenge")
        session = card_session(profile, challenge)
        certificate = base64.b64encode(bytes.fromhex(session["certificate_der"])).decode()
        if mode == "pin":
            signature = base64.b64encode(bytes.fromhex(session["signature"])).decode()
            return ("<QualificationConfirmationRequest><Mode>pin</Mode><Certificate>%s</Certificate><Challenge>%s</Challenge>"
                    "<Signature>%s</Signature></QualificationConfirmationRequest>" % (certificate, challenge, signature)).encode()
        return ("<QualificationConfirmationRequest><ArbitraryFileIdentifier>READER</ArbitraryFileIdentifier><Mode>pinless</Mode>"
                "<Certificate>%s</Certificate><FaceResult>matched</FaceResult><InstitutionAuthenticated>1</InstitutionAuthenticated>"
                "<PrescriptionIssueSelect>1</PrescriptionIssueSelect></QualificationConfirmationRequest>" % certificate).encode()

    return make


def test_request_dropped_before_the_start(server_factory, tmp_path):
    # A request waiting before the server starts is answered at start.
    box = new_box(tmp_path)
    box.drop("OQSsiquc01req_early.xml", card_request("EARLY"))
    server = server_factory("--files", box.root)
    assert wait_for(os.path.join(box.res, "OQSsiquc01res_early.xml")), "a request dropped before the start is answered"
    assert "file interface: " + box.root in server.output, "start-up names the folder: " + server.output
    assert "institution: 9999000001" in server.output, "start-up names the institution"
    assert not os.path.exists(os.path.join(box.req, "OQSsiquc01req_early.xml")), "an answered request leaves Req"
    for folder in (box.res, box.face, box.rejected):
        assert os.path.isdir(folder), "the server creates " + folder


def test_folders_in_any_case(server_factory, tmp_path):
    # Windows shares: a reception that made req/res/face in lower case gets them used, not doubled.
    root = tmp_path / "lower"
    for name in ("req", "res", "face"):
        (root / name).mkdir(parents=True)
    server_factory("--files", root)
    (root / "req" / "OQSsiquc01req_lower.xml").write_text(card_request("LOWER"), encoding="utf-8")
    assert wait_for(os.fspath(root / "res" / "OQSsiquc01res_lower.xml")), "answered in res/: %s" % sorted(os.listdir(root))
    assert not (root / "Req").exists() and not (root / "Res").exists(), "no second folder in another case: %s" % sorted(os.listdir(root))


def test_single_confirmation_by_insurance_card(server, box):
    box.drop("OQSsiquc01req_card.xml", card_request("CARD-1"))
    path = os.path.join(box.res, "OQSsiquc01res_card.xml")
    assert wait_for(path), "answer written"
    answer = read(path)
    assert answer.startswith(b'<?xml version="1.0" encoding="UTF-8" standalone="no"?>'), answer[:80]
    assert field(answer, "SegmentOfResult") == "1" and field(answer, "ProcessingResultStatus") == "1", answer[:400]
    assert field(answer, "ArbitraryFileIdentifier") == "CARD-1" and field(answer, "MedicalInstitutionCode") == "9999000001"
    assert field(answer, "ReferenceClassification") == "2" and field(answer, "Name") == "テスト 太郎"
    entry = journal_entry(server, "Req/OQSsiquc01req_card.xml")
    assert entry and entry["tag"] == "CARD-1" and entry["findings"] == [], "journaled by the file identifier: %s" % entry


def test_shift_jis_in_and_out(server, box):
    request = card_request("受付０００１").replace('encoding="UTF-8"', 'encoding="Shift_JIS"').encode("cp932")
    box.drop("OQSsiquc01req_sjis.xml", request)
    path = os.path.join(box.res, "OQSsiquc01res_sjis.xml")
    assert wait_for(path)
    answer = read(path)
    assert answer.startswith(b'<?xml version="1.0" encoding="Shift_JIS" standalone="no"?>'), answer[:80]
    assert b"\xC3\xBD\xC4" in answer, "half-width kana as single bytes"
    assert field(answer, "ArbitraryFileIdentifier") == "受付０００１" and field(answer, "CharacterCodeIdentifier") == "1"


def test_the_two_error_levels(server, box):
    # the person: not found, the file was fine
    box.drop("OQSsiquc01req_nobody.xml", card_request("NOBODY", birth="19800102"))
    path = os.path.join(box.res, "OQSsiquc01res_nobody.xml")
    assert wait_for(path)
    assert field(read(path), "SegmentOfResult") == "1" and xml_error(read(path)) == ("OQS-E4001", "person"), read(path)[:600]
    # the file: another institution's code
    box.drop("OQSsiquc01req_elsewhere.xml", card_request("ELSEWHERE", institution="1312345678"))
    path = os.path.join(box.res, "OQSsiquc01res_elsewhere.xml")
    assert wait_for(path)
    assert field(read(path), "SegmentOfResult") == "9" and xml_error(read(path)) == ("OQS-E0004", "file"), read(path)[:600]
    assert field(read(path), "ArbitraryFileIdentifier") == "ELSEWHERE", "the header is echoed"
    entry = journal_entry(server, "Req/OQSsiquc01req_elsewhere.xml")
    assert [f["rule"] for f in entry["findings"]] == ["institution-code"], entry


@pytest.mark.parametrize("fixture", sorted(p.name for p in FIXTURES.glob("*.xml")))
def test_every_fixture_through_the_folder(server, box, fixture):
    content = (FIXTURES / fixture).read_bytes()
    request = "OQSsiquc01req_fx-%s" % fixture
    box.drop(request, content)
    stem = request[len("OQSsiquc01req_"):-len(".xml")]
    unreadable = fixture.startswith("unreadable-")
    answer = os.path.join(box.res, ("OQSsiquc01req_%s.err" if unreadable else "OQSsiquc01res_%s.xml") % stem)
    assert wait_for(answer), "%s answered as %s: %s" % (fixture, os.path.basename(answer), sorted(os.listdir(box.res))[-5:])
    text = read(answer)
    entry = journal_entry(server, "Req/" + request)
    got = [(f["severity"], f["rule"], f["where"]) for f in entry["findings"]]
    assert got == expected_findings()[fixture], "%s: the journal's findings %s" % (fixture, got)
    if fixture.startswith(("valid-", "notice-")):
        assert field(text, "SegmentOfResult") == "1", "%s is processed: %s" % (fixture, text[:300])
    else:
        assert field(text, "SegmentOfResult") == "9" and field(text, "ErrorCode"), "%s is a file-level error: %s" % (fixture, text[:300])
    if unreadable:
        kept = os.path.join(box.rejected, request)
        assert os.path.exists(kept) and read(kept) == content, "%s is kept byte for byte in Rejected" % fixture
    assert not os.path.exists(os.path.join(box.req, request)), "%s left Req" % fixture


def test_a_symlink_is_not_followed(server, box, tmp_path):
    secret = tmp_path / "outside.xml"
    secret.write_text(card_request("SECRET-OUTSIDE"), encoding="utf-8")
    os.symlink(secret, os.path.join(box.req, "OQSsiquc01req_link.xml"))
    err = os.path.join(box.res, "OQSsiquc01req_link.err")
    assert wait_for(err), "a symlink is answered by .err: %s" % sorted(os.listdir(box.res))[-5:]
    entry = journal_entry(server, "Req/OQSsiquc01req_link.xml")
    assert [(f["rule"], f["where"]) for f in entry["findings"]] == [("not-a-file", "Req/OQSsiquc01req_link.xml")], entry
    assert b"SECRET-OUTSIDE" not in read(err) and "SECRET-OUTSIDE" not in str(entry), "the target is never read"
    assert os.path.islink(os.path.join(box.rejected, "OQSsiquc01req_link.xml")), "the link itself is kept in Rejected"
    assert secret.read_text(encoding="utf-8") == card_request("SECRET-OUTSIDE"), "the target is untouched"


def test_a_fifo_does_not_hang_the_watcher(server, box):
    fifo = os.path.join(box.req, "OQSsiquc01req_fifo.xml")
    os.mkfifo(fifo)
    err = os.path.join(box.res, "OQSsiquc01req_fifo.err")
    assert wait_for(err), "a FIFO is answered by .err"
    assert stat.S_ISFIFO(os.lstat(os.path.join(box.rejected, "OQSsiquc01req_fifo.xml")).st_mode), "the FIFO is kept in Rejected"
    box.drop("OQSsiquc01req_after-fifo.xml", card_request("AFTER-FIFO"))
    assert wait_for(os.path.join(box.res, "OQSsiquc01res_after-fifo.xml")), "still answering after the FIFO"


def test_names(server, box):
    # a name that is no request of the interface; <id>s with spaces and non-ASCII (answered, with a warning)
    box.drop("notes.txt", "hello")
    assert wait_for(os.path.join(box.res, "notes.txt.err"))
    assert [f["rule"] for f in journal_entry(server, "Req/notes.txt")["findings"]] == ["file-name"]
    # a 薬剤情報 request written in the 資格確認 layout: answered under its own name, as the file's error
    box.drop("YZKsiquc01req_meds.xml", card_request("MEDS"))
    answer = os.path.join(box.res, "YZKsiquc01res_meds.xml")
    assert wait_for(answer)
    assert b"<SegmentOfResult>9</SegmentOfResult>" in read(answer)
    rules = [f["rule"] for f in journal_entry(server, "Req/YZKsiquc01req_meds.xml")["findings"]]
    assert "required" in rules and "unknown-element" in rules, rules
    for name, answer in (("OQSsiquc01req_my file.xml", "OQSsiquc01res_my file.xml"), ("OQSsiquc01req_受付.xml", "OQSsiquc01res_受付.xml")):
        box.drop(name, card_request("NAMED"))
        assert wait_for(os.path.join(box.res, answer)), name
        findings = journal_entry(server, "Req/" + name)["findings"]
        assert [(f["severity"], f["rule"]) for f in findings] == [("warning", "file-name-characters")], findings


def test_ten_megabytes_are_refused_and_kept(server, box):
    big = b"<XmlMsg>" + b" " * (10 * 1024 * 1024) + b"</XmlMsg>"
    box.drop("OQSsiquc01req_big.xml", big)
    assert wait_for(os.path.join(box.res, "OQSsiquc01req_big.err"))
    assert os.path.getsize(os.path.join(box.rejected, "OQSsiquc01req_big.xml")) == len(big), "nothing is lost"
    assert [f["rule"] for f in journal_entry(server, "Req/OQSsiquc01req_big.xml")["findings"]] == ["too-large"]


def test_no_host_path_in_what_a_reception_reads(server, box):
    # answers and journal name files relative to the interface folder, never by the host's path
    for name in os.listdir(box.res):
        assert box.root.encode() not in read(os.path.join(box.res, name)), "host path in " + name
    assert box.root not in str(server.journal(max=2000)), "host path in the journal"


def test_request_written_in_place_is_read_once_closed(server, box):
    path_in_place = os.path.join(box.req, "OQSsiquc01req_inplace.xml")
    content = card_request("INPLACE").encode()
    with open(path_in_place, "wb") as f:
        f.write(content[:40])
        f.flush()
        time.sleep(0.4)
        assert not os.path.exists(os.path.join(box.res, "OQSsiquc01res_inplace.xml")) and \
            not os.path.exists(os.path.join(box.res, "OQSsiquc01req_inplace.err")), "a half-written request is not read"
        f.write(content[40:])
    path = os.path.join(box.res, "OQSsiquc01res_inplace.xml")
    assert wait_for(path) and field(read(path), "Name") == "テスト 太郎", "answered after close"


def test_temporary_names_are_left_alone(server, box):
    names = (".OQSsiquc01req_hidden.xml", "OQSsiquc01req_x.xml.tmp", "OQSsiquc01req_y.xml.part")
    try:
        for name in names:
            with open(os.path.join(box.req, name), "w") as f:
                f.write(card_request("TMP"))
        time.sleep(0.4)
        assert sorted(n for n in os.listdir(box.req)) == sorted(names), "temporary names stay in Req unanswered: %s" % os.listdir(box.req)
    finally:
        for name in names:
            os.unlink(os.path.join(box.req, name))


@pytest.mark.parametrize("mode", ["pin", "pinless"])
def test_a_face_file_after_each_confirmation_at_the_reader(server, box, reader_request, mode):
    before = box.face_files()
    status, body = server.post("/v2/confirmations", reader_request(server, "valid", mode))
    assert status == 200, body[:300]
    deadline = time.monotonic() + 10
    while box.face_files() == before and time.monotonic() < deadline:
        time.sleep(0.02)
    new = sorted(box.face_files() - before)
    assert len(new) == 1 and new[0].startswith("OQSsiquc01res_face_9999000001") and new[0][-19:-4].lstrip("_").isdigit(), new
    face = read(os.path.join(box.face, new[0]))
    assert face.startswith(b'<?xml version="1.0" encoding="Shift_JIS" standalone="no"?>'), face[:80]
    assert field(face, "ReferenceClassification") == "1" and field(face, "Name") == "テスト 太郎" and field(face, "CharacterCodeIdentifier") == "1"
    for absent in ("Mode", "FaceResult", "Registration", "QualificationConfirmSearchInfo"):
        assert field(face, absent) is None, "a face file has no %s" % absent
    # the time last in the name, as vendors parse it: OQSsiquc01res_face_.+_(\d{14})\.xml
    assert new[0].rsplit("_", 1)[1][:-4] == field(face, "ProcessExecutionTime"), new[0]
    if mode == "pinless":
        assert field(face, "PrescriptionIssueSelect") == "1"


def test_no_temp_files_left_and_a_clean_stop(server, box):
    # after all that (when the whole module ran): no temporary files are left behind, and SIGTERM ends the server cleanly
    leftovers = [n for d in (box.res, box.face) for n in os.listdir(d) if n.startswith(".")]
    assert not leftovers, "no temp files left: %s" % leftovers
    code, out = server.stop()
    assert code == 0 and "stopped" in out, "clean stop on SIGTERM: %s %s" % (code, out[-300:])


def test_unusable_files_folder(run_mynasim, tmp_path):
    # a folder that cannot be made is a clear start-up error
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    result = run_mynasim("server", "run", "--listen", "127.0.0.1:0", "--files", blocker, timeout=10)
    assert result.returncode != 0 and "cannot create folder" in result.stderr, "unusable --files folder: %s" % result.stderr


def test_bad_institution_setting(run_mynasim):
    result = run_mynasim("server", "run", "--listen", "127.0.0.1:0", "--institution", "12345", timeout=10)
    assert result.returncode == 2 and "--institution" in result.stderr, result.stderr
