"""The file interface: `mynasim server run --files DIR` with a real folder, real inotify, and reader
confirmations made over real HTTP (docs/onshi-files.md). The tests share one server and its folder, as the
reception systems of a terminal do (each test uses request names of its own); the first test starts one of its own.

Run by CTest (server.file_drop) on the fixtures of tests/integration_support/mynasim_integration.py.
"""
import base64
import os
import time
import xml.etree.ElementTree as ET

import pytest

from mynasim_integration import Server, xml_field as field

SHIFT_JIS_DECLARATION = b'<?xml version="1.0" encoding="Shift_JIS"?>'


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


def card_request(file_id, insurer="06139902", symbol="TEST-B", number="2001", birth="19800101", extra="", mode=""):
    return ("<QualificationConfirmationRequest><ArbitraryFileIdentifier>%s</ArbitraryFileIdentifier>%s"
            "<InsurerNumber>%s</InsurerNumber><InsuredCardSymbol>%s</InsuredCardSymbol>"
            "<InsuredIdentificationNumber>%s</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber>"
            "<Birthdate>%s</Birthdate>%s</QualificationConfirmationRequest>"
            % (file_id, "<Mode>%s</Mode>" % mode if mode else "", insurer, symbol, number, birth, extra))


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


def server_arguments(box):
    return ("--files", box.root, "--bulk-delay", "800")


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
    with Server(mynasim_binary, *server_arguments(box)) as made:
        yield made


@pytest.fixture
def reader_request(card_session):
    """reader_request(server, profile, mode): a confirmation made at the reader, over HTTP: PIN (challenge signed by the card) or PIN無し."""

    def make(server, profile, mode):
        challenge = None
        if mode == "pin":
            _, body = server.post("/v1/challenge", b"")
            challenge = field(body, "Challenge")
        session = card_session(profile, challenge)
        certificate = base64.b64encode(bytes.fromhex(session["certificate_der"])).decode()
        if mode == "pin":
            signature = base64.b64encode(bytes.fromhex(session["signature"])).decode()
            return ("<QualificationConfirmationRequest><Mode>pin</Mode><Certificate>%s</Certificate><Challenge>%s</Challenge>"
                    "<Signature>%s</Signature></QualificationConfirmationRequest>" % (certificate, challenge, signature)).encode()
        return ("<QualificationConfirmationRequest><Mode>pinless</Mode><Certificate>%s</Certificate><FaceResult>matched</FaceResult>"
                "<InstitutionAuthenticated>1</InstitutionAuthenticated></QualificationConfirmationRequest>" % certificate).encode()

    return make


def test_request_dropped_before_the_start(server_factory, tmp_path):
    # A request waiting before the server starts is answered at start.
    box = new_box(tmp_path)
    box.drop("OQSsiquc01req_early.xml", card_request("EARLY"))
    server = server_factory(*server_arguments(box))
    files_line = server.line(2) or ""
    assert "file interface: " + box.root in files_line, "start-up names the folder: " + files_line
    assert wait_for(os.path.join(box.res, "OQSsiquc01res_early.xml")), "a request dropped before the start is answered"
    assert not os.path.exists(os.path.join(box.req, "OQSsiquc01req_early.xml")), "an answered request leaves Req"
    for folder in (box.res, box.face, box.rejected):
        assert os.path.isdir(folder), "the server creates " + folder


# --- single confirmation by insurance card (UTF-8)

def test_single_confirmation_by_insurance_card(server, box):
    box.drop("OQSsiquc01req_20260401-0001.xml", card_request("RECEPTION-0001"))
    answer_path = os.path.join(box.res, "OQSsiquc01res_20260401-0001.xml")
    assert wait_for(answer_path), "single request answered as OQSsiquc01res_<same id>.xml"
    answer = read(answer_path)
    assert field(answer, "ArbitraryFileIdentifier") == "RECEPTION-0001", "ArbitraryFileIdentifier echoed"
    assert field(answer, "SegmentOfResult") == "1" and field(answer, "QualificationValidity") == "1", "normal end, valid"
    assert field(answer, "Name") == "テスト 太郎" and field(answer, "InsurerNumber") == "06139902", "the holder's qualification"
    assert field(answer, "InsuredBranchNumber") == "00" and field(answer, "InsuredCardValidDate") == "20220401", "card fields"
    entries = server.journal(tag="RECEPTION-0001")
    assert len(entries) == 1 and entries[0]["call"] == "Req/OQSsiquc01req_20260401-0001.xml" and entries[0]["status"] == 200, \
        "the journal keeps the file request under its ArbitraryFileIdentifier: %s" % entries


def test_explicit_mode_card(server, box):
    # explicit Mode card works the same
    box.drop("OQSsiquc01req_explicit.xml", card_request("EXPLICIT", mode="card"))
    assert wait_for(os.path.join(box.res, "OQSsiquc01res_explicit.xml")) and \
        field(read(os.path.join(box.res, "OQSsiquc01res_explicit.xml")), "Name") == "テスト 太郎", "Mode card"


def test_shift_jis_in_and_out(server, box):
    # Shift_JIS in and out (CharacterCodeIdentifier 1), half-width kana single bytes
    sjis = ('<?xml version="1.0" encoding="Shift_JIS"?>' +
            card_request("SJIS-受付", extra="<CharacterCodeIdentifier>1</CharacterCodeIdentifier>")).encode("cp932")
    box.drop("OQSsiquc01req_sjis.xml", sjis)
    path = os.path.join(box.res, "OQSsiquc01res_sjis.xml")
    assert wait_for(path), "Shift_JIS request answered"
    raw = read(path)
    assert raw.startswith(SHIFT_JIS_DECLARATION), "answer declares Shift_JIS: %r" % raw[:60]
    text = raw.decode("cp932")
    assert "<Name>テスト 太郎</Name>" in text and "<ArbitraryFileIdentifier>SJIS-受付</ArbitraryFileIdentifier>" in text, \
        "Shift_JIS round trip of Name and identifier"
    assert "ﾃｽﾄ ﾀﾛｳ".encode("cp932") in raw and len("ﾃｽﾄ".encode("cp932")) == 3, "half-width kana stay single bytes"


# --- processed errors are answers (.xml), unreadable requests are rejections (.err)

def test_processed_error_is_an_answer(server, box):
    box.drop("OQSsiquc01req_nobody.xml", card_request("NOBODY", number="9999"))
    path = os.path.join(box.res, "OQSsiquc01res_nobody.xml")
    assert wait_for(path) and field(read(path), "ErrorCode") == "OQS-E4001" and field(read(path), "SegmentOfResult") == "9", \
        "unknown card: an answer with OQS-E4001"


REJECTIONS = [
    ("OQSsiquc01req_broken.xml", b"<QualificationConfirmationRequest><Mode>card", "OQSsiquc01res_broken.err", "OQS-E0001", "XML:"),
    ("OQSsiquc01req_root.xml", b"<Other/>", "OQSsiquc01res_root.err", "OQS-E0001", "root element"),
    ("OQSsiquc01req_pin.xml", card_request("PIN", mode="pin").encode(), "OQSsiquc01res_pin.err", "OQS-E0001", "reader"),
    ("OQSsiquc01req_missing.xml", b"<QualificationConfirmationRequest><InsurerNumber>06139902</InsurerNumber></QualificationConfirmationRequest>",
     "OQSsiquc01res_missing.err", "OQS-E0001", "InsuredIdentificationNumber"),
    ("OQSsiquc01req_badsjis.xml", b'<?xml version="1.0" encoding="Shift_JIS"?><QualificationConfirmationRequest>\x81</QualificationConfirmationRequest>',
     "OQSsiquc01res_badsjis.err", "OQS-E0002", "encoding"),
    ("OQSsiquc01req_charset.xml", card_request("CS", extra="<CharacterCodeIdentifier>7</CharacterCodeIdentifier>").encode(),
     "OQSsiquc01res_charset.err", "OQS-E0002", None),
    ("OQSsiquc01req_wait.xml", b"<QualificationConfirmationRequest><Mode>reader</Mode><WaitSeconds>0</WaitSeconds></QualificationConfirmationRequest>",
     "OQSsiquc01res_wait.err", "OQS-E0001", "WaitSeconds"),
    ("OQSsiquc01req_huge.xml", b"<QualificationConfirmationRequest>" + b"x" * (1024 * 1024 + 10), "OQSsiquc01res_huge.err", "OQS-E0001", "larger"),
    ("notes.txt", b"hello", "notes.txt.err", "OQS-E0001", "file name"),
    ("OQSxxxxx01req_a.xml", b"<a/>", "OQSxxxxx01req_a.err", "OQS-E0001", "file name"),
    ("OQSmuquc01req_empty.xml", b"<BulkQualificationConfirmationRequest/>", "OQSmuquc01res_empty.err", "OQS-E0001", "at least one"),
    ("OQSmuquc01req_many.xml", ("<BulkQualificationConfirmationRequest>" + card_request("M") * 1001 +
                                "</BulkQualificationConfirmationRequest>").encode(), "OQSmuquc01res_many.err", "OQS-E0001", "at most 1000"),
    ("OQSmuquc01req_baddate.xml", b"<BulkQualificationConfirmationRequest><ConfirmationDate>2026</ConfirmationDate>"
     b"</BulkQualificationConfirmationRequest>", "OQSmuquc01res_baddate.err", "OQS-E0001", "YYYYMMDD"),
]


@pytest.fixture(scope="module")
def rejecting(server, box):
    """The module's folder, every unreadable request dropped into it at once."""
    for request_name, content, _, _, _ in REJECTIONS:
        box.drop(request_name, content)
    return box


@pytest.mark.parametrize("request_name, content, rejection, code, detail", REJECTIONS, ids=[r[0] for r in REJECTIONS])
def test_unreadable_request_is_rejected(rejecting, request_name, content, rejection, code, detail):
    path = os.path.join(rejecting.res, rejection)
    assert wait_for(path), "%s: no %s" % (request_name, rejection)
    body = read(path)
    assert field(body, "ErrorCode") == code, "%s: %s, got %s" % (request_name, code, body[:300])
    assert detail is None or detail in (field(body, "ErrorDetail") or ""), "%s: detail names '%s': %s" % (request_name, detail, body[:400])
    assert os.path.exists(os.path.join(rejecting.rejected, request_name)) and not os.path.exists(os.path.join(rejecting.req, request_name)), \
        "%s: moved to Rejected/, nothing lost" % request_name


def test_rejected_request_is_kept_byte_for_byte(rejecting):
    wait_for(os.path.join(rejecting.res, "notes.txt.err"))
    assert read(os.path.join(rejecting.rejected, "notes.txt")) == b"hello", "a rejected request is kept byte for byte"


def test_still_answering_after_rejections(rejecting):
    for _, _, rejection, _, _ in REJECTIONS:
        wait_for(os.path.join(rejecting.res, rejection))
    # the watcher keeps going after all that
    rejecting.drop("OQSsiquc01req_after.xml", card_request("AFTER"))
    assert wait_for(os.path.join(rejecting.res, "OQSsiquc01res_after.xml")), "still answering after rejections"


# --- requests still being written

def test_request_written_in_place_is_read_once_closed(server, box):
    path_in_place = os.path.join(box.req, "OQSsiquc01req_inplace.xml")
    content = card_request("INPLACE").encode()
    with open(path_in_place, "wb") as f:
        f.write(content[:40])
        f.flush()
        time.sleep(0.4)
        assert not os.path.exists(os.path.join(box.res, "OQSsiquc01res_inplace.xml")) and \
            not os.path.exists(os.path.join(box.res, "OQSsiquc01res_inplace.err")), "a half-written request is not read"
        f.write(content[40:])
    path = os.path.join(box.res, "OQSsiquc01res_inplace.xml")
    assert wait_for(path) and field(read(path), "Name") == "テスト 太郎", "answered after close"


def test_temporary_names_are_left_alone(server, box):
    # files still being written under a temporary name are left alone
    names = (".OQSsiquc01req_hidden.xml", "OQSsiquc01req_x.xml.tmp", "OQSsiquc01req_y.xml.part")
    try:
        for name in names:
            with open(os.path.join(box.req, name), "w") as f:
                f.write(card_request("TMP"))
        time.sleep(0.4)
        assert sorted(n for n in os.listdir(box.req)) == [".OQSsiquc01req_hidden.xml", "OQSsiquc01req_x.xml.tmp", "OQSsiquc01req_y.xml.part"], \
            "temporary names stay in Req unanswered: %s" % os.listdir(box.req)
    finally:
        for name in names:
            os.unlink(os.path.join(box.req, name))


# --- bulk: SegmentOfResult 2 at once, then the final answer

def test_bulk_request(server, box):
    bulk = ("<BulkQualificationConfirmationRequest><ArbitraryFileIdentifier>BULK-1</ArbitraryFileIdentifier>"
            "<ConfirmationDate>20260401</ConfirmationDate>" + card_request("B1") + card_request("B2", number="9999") +
            card_request("B3", mode="pin") + "</BulkQualificationConfirmationRequest>")
    started = time.monotonic()
    box.drop("OQSmuquc01req_batch.xml", bulk)
    path = os.path.join(box.res, "OQSmuquc01res_batch.xml")
    assert wait_for(path), "bulk acknowledged"
    first = read(path)
    assert field(first, "SegmentOfResult") == "2" and field(first, "RequestCount") == "3" and field(first, "ArbitraryFileIdentifier") == "BULK-1", \
        "bulk: first answer is SegmentOfResult 2 (poll again): %s" % first[:300]
    assert os.path.exists(os.path.join(box.req, "OQSmuquc01req_batch.xml")), "bulk request stays in Req until its final answer"
    final = first
    while field(final, "SegmentOfResult") == "2" and time.monotonic() - started < 10:
        time.sleep(0.05)
        final = read(path)
    assert field(final, "SegmentOfResult") == "1", "bulk: final answer after polling: %s" % final[:300]
    assert time.monotonic() - started >= 0.7, "bulk: the final answer comes after the --bulk-delay"
    items = ET.fromstring(final).findall("./ResultList/QualificationConfirmationResponse")
    assert len(items) == 3, "bulk: one answer per request, got %d" % len(items)
    assert items[0].findtext("ArbitraryFileIdentifier") == "B1" and items[0].findtext(".//Name") == "テスト 太郎", "bulk item 1 valid"
    assert items[0].findtext("ConfirmationDate") == "20260401", "bulk date applies to the items"
    assert items[1].findtext("ErrorCode") == "OQS-E4001", "bulk item 2 not found"
    assert items[2].findtext("ErrorCode") == "OQS-E0001", "bulk item 3 refused (pin in a file)"
    assert not os.path.exists(os.path.join(box.req, "OQSmuquc01req_batch.xml")), "bulk request removed after the final answer"


# --- waiting for the patient at the reader, answered by a confirmation there; Face written

def test_reader_wait_answered_at_the_reader(server, box, reader_request):
    box.drop("OQSsiquc01req_reader.xml", "<QualificationConfirmationRequest><ArbitraryFileIdentifier>WAIT-1</ArbitraryFileIdentifier>"
             "<Mode>reader</Mode><WaitSeconds>20</WaitSeconds></QualificationConfirmationRequest>")
    time.sleep(0.3)
    assert not os.path.exists(os.path.join(box.res, "OQSsiquc01res_reader.xml")), "reader wait: no answer before the patient comes"
    faces_before = box.face_files()
    status, body = server.post("/v1/confirmations", reader_request(server, "valid", "pinless"))
    assert status == 200, "PIN無し at the reader: %s %s" % (status, body[:200])
    path = os.path.join(box.res, "OQSsiquc01res_reader.xml")
    assert wait_for(path), "reader wait answered by the reader's confirmation"
    waited = read(path)
    assert field(waited, "ArbitraryFileIdentifier") == "WAIT-1" and field(waited, "Name") == "テスト 太郎", "the waiting reception gets the patient"
    assert field(waited, "Mode") == "pinless" and field(waited, "FaceResult") == "matched", "how the patient was confirmed"
    time.sleep(0.3)  # the Face file is written on the watcher thread
    faces = sorted(box.face_files() - faces_before)
    assert len(faces) == 1 and faces[0].startswith("OQSsiquc01res_face_20260401") and faces[0].endswith(".xml"), \
        "Face/OQSsiquc01res_face_….xml written: %s" % faces
    face = read(os.path.join(box.face, faces[0]))
    assert field(face, "Name") == "テスト 太郎" and field(face, "FaceResult") == "matched", "Face file content"
    # a failed PIN confirmation at the reader is reported too, with its error
    status, body = server.post("/v1/confirmations", reader_request(server, "expired-auth-cert", "pin"))
    assert status == 403, "expired certificate at the reader"
    deadline = time.monotonic() + 5
    new = []
    while time.monotonic() < deadline and len(new) < 1:
        new = sorted(box.face_files() - faces_before - set(faces))
        time.sleep(0.02)
    assert len(new) == 1 and field(read(os.path.join(box.face, new[0])), "ErrorCode") == "OQS-E2004" and \
        field(read(os.path.join(box.face, new[0])), "Mode") == "pin", "Face reports a failed PIN confirmation: %s" % new
    # card-path confirmations over HTTP are not reader confirmations
    before = box.face_files()
    server.post("/v1/confirmations", card_request("HTTP-CARD", mode="card").encode())
    time.sleep(0.3)
    assert box.face_files() == before, "no Face file for an insurance-card confirmation"


def test_reader_wait_times_out(server, box):
    # nobody comes: the wait ends with OQS-E7001
    box.drop("OQSsiquc01req_lonely.xml", "<QualificationConfirmationRequest><ArbitraryFileIdentifier>WAIT-2</ArbitraryFileIdentifier>"
             "<Mode>reader</Mode><WaitSeconds>1</WaitSeconds><CharacterCodeIdentifier>1</CharacterCodeIdentifier></QualificationConfirmationRequest>")
    started = time.monotonic()
    path = os.path.join(box.res, "OQSsiquc01res_lonely.xml")
    assert wait_for(path, 5), "reader wait times out"
    elapsed = time.monotonic() - started
    assert 0.8 <= elapsed <= 3, "after WaitSeconds: %.2f s" % elapsed
    assert read(path).startswith(SHIFT_JIS_DECLARATION) and field(read(path), "ErrorCode") == "OQS-E7001", \
        "timeout answer in the asked charset with OQS-E7001: %r" % read(path)[:200]


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
