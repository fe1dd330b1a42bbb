#!/usr/bin/python3
"""Integration test of the file interface: `mynasim server run --files DIR` with a real folder, real inotify,
and reader confirmations made over real HTTP (docs/onshi-files.md).

Usage: file_drop_test.py MYNASIM SOURCE_DIR WORK_DIR
"""
import base64
import http.client
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET

MYNASIM, SOURCE, WORK = sys.argv[1:4]
PROFILES = os.path.join(SOURCE, "card-profiles")
BOX = os.path.join(WORK, "box")
REQ, RES, FACE, REJECTED = (os.path.join(BOX, d) for d in ("Req", "Res", "Face", "Rejected"))
failures = []
passed = [0]


def check(condition, message):
    if condition:
        passed[0] += 1
    else:
        failures.append(message)
        print("FAIL:", message, flush=True)


def card_request(file_id, insurer="06139902", symbol="TEST-B", number="2001", birth="19800101", extra="", mode=""):
    return ("<QualificationConfirmationRequest><ArbitraryFileIdentifier>%s</ArbitraryFileIdentifier>%s"
            "<InsurerNumber>%s</InsurerNumber><InsuredCardSymbol>%s</InsuredCardSymbol>"
            "<InsuredIdentificationNumber>%s</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber>"
            "<Birthdate>%s</Birthdate>%s</QualificationConfirmationRequest>"
            % (file_id, "<Mode>%s</Mode>" % mode if mode else "", insurer, symbol, number, birth, extra))


def drop(name, content):
    """As a careful reception writes: a temp name in the same folder, then rename."""
    data = content.encode() if isinstance(content, str) else content
    temporary = os.path.join(REQ, "." + name + ".tmp")
    with open(temporary, "wb") as f:
        f.write(data)
    os.rename(temporary, os.path.join(REQ, name))


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


def field(xml_bytes, name):
    if xml_bytes.startswith(b'<?xml version="1.0" encoding="Shift_JIS"?>'):  # ElementTree reads no multi-byte charsets
        xml_bytes = xml_bytes.decode("cp932").split("?>", 1)[1]
    node = ET.fromstring(xml_bytes).find(".//" + name)
    return None if node is None else (node.text or "")


class Server:
    def __init__(self):
        self.process = subprocess.Popen([MYNASIM, "server", "run", "--listen", "127.0.0.1:0", "--files", BOX,
                                         "--bulk-delay", "800"],
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        line = self.process.stdout.readline()
        if "listening on" not in line:
            raise SystemExit("server did not start: " + line + self.process.stdout.read())
        self.port = int(line.split("127.0.0.1:")[1].split()[0])
        self.token = self.process.stdout.readline().split("admin token: ")[1].strip()
        self.files_line = self.process.stdout.readline()

    def post(self, path, body):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("POST", path, body=body)
        response = connection.getresponse()
        return response.status, response.read()

    def journal(self, tag):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        connection.request("POST", "/admin/v1/journal", body=json.dumps({"tag": tag}),
                           headers={"Authorization": "Bearer " + self.token})
        return json.loads(connection.getresponse().read())["entries"]

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        out, _ = self.process.communicate(timeout=10)
        return self.process.returncode, out


def reader_request(profile, mode):
    """A confirmation made at the reader, over HTTP: PIN (challenge signed by the card) or PIN無し."""
    challenge = ""
    if mode == "pin":
        _, body = server.post("/v1/challenge", b"")
        challenge = field(body, "Challenge")
    args = [MYNASIM, "card", "session", "--json", "-p", os.path.join(PROFILES, profile + ".yaml")]
    if challenge:
        args += ["--challenge", challenge]
    session = json.loads(subprocess.run(args, capture_output=True, text=True).stdout)
    certificate = base64.b64encode(bytes.fromhex(session["certificate_der"])).decode()
    if mode == "pin":
        signature = base64.b64encode(bytes.fromhex(session["signature"])).decode()
        return ("<QualificationConfirmationRequest><Mode>pin</Mode><Certificate>%s</Certificate><Challenge>%s</Challenge>"
                "<Signature>%s</Signature></QualificationConfirmationRequest>" % (certificate, challenge, signature)).encode()
    return ("<QualificationConfirmationRequest><Mode>pinless</Mode><Certificate>%s</Certificate><FaceResult>matched</FaceResult>"
            "<InstitutionAuthenticated>1</InstitutionAuthenticated></QualificationConfirmationRequest>" % certificate).encode()


shutil.rmtree(BOX, ignore_errors=True)
os.makedirs(REQ)
# A request waiting before the server starts is answered at start.
drop("OQSsiquc01req_early.xml", card_request("EARLY"))
server = Server()
check("file interface: " + BOX in server.files_line, "start-up names the folder: " + server.files_line)
check(wait_for(os.path.join(RES, "OQSsiquc01res_early.xml")), "a request dropped before the start is answered")
check(not os.path.exists(os.path.join(REQ, "OQSsiquc01req_early.xml")), "an answered request leaves Req")
for folder in (RES, FACE, REJECTED):
    check(os.path.isdir(folder), "the server creates " + folder)

# --- single confirmation by insurance card (UTF-8)
drop("OQSsiquc01req_20260401-0001.xml", card_request("RECEPTION-0001"))
answer_path = os.path.join(RES, "OQSsiquc01res_20260401-0001.xml")
check(wait_for(answer_path), "single request answered as OQSsiquc01res_<same id>.xml")
answer = read(answer_path)
check(field(answer, "ArbitraryFileIdentifier") == "RECEPTION-0001", "ArbitraryFileIdentifier echoed")
check(field(answer, "SegmentOfResult") == "1" and field(answer, "QualificationValidity") == "1", "normal end, valid")
check(field(answer, "Name") == "テスト 太郎" and field(answer, "InsurerNumber") == "06139902", "the holder's qualification")
check(field(answer, "InsuredBranchNumber") == "00" and field(answer, "InsuredCardValidDate") == "20220401", "card fields")
entries = server.journal("RECEPTION-0001")
check(len(entries) == 1 and entries[0]["call"] == "Req/OQSsiquc01req_20260401-0001.xml" and entries[0]["status"] == 200,
      "the journal keeps the file request under its ArbitraryFileIdentifier: %s" % entries)

# explicit Mode card works the same
drop("OQSsiquc01req_explicit.xml", card_request("EXPLICIT", mode="card"))
check(wait_for(os.path.join(RES, "OQSsiquc01res_explicit.xml")) and
      field(read(os.path.join(RES, "OQSsiquc01res_explicit.xml")), "Name") == "テスト 太郎", "Mode card")

# --- Shift_JIS in and out (CharacterCodeIdentifier 1), half-width kana single bytes
sjis = ('<?xml version="1.0" encoding="Shift_JIS"?>' + card_request("SJIS-受付", extra="<CharacterCodeIdentifier>1</CharacterCodeIdentifier>")).encode("cp932")
drop("OQSsiquc01req_sjis.xml", sjis)
path = os.path.join(RES, "OQSsiquc01res_sjis.xml")
check(wait_for(path), "Shift_JIS request answered")
raw = read(path)
check(raw.startswith(b'<?xml version="1.0" encoding="Shift_JIS"?>'), "answer declares Shift_JIS: %r" % raw[:60])
text = raw.decode("cp932")
check("<Name>テスト 太郎</Name>" in text and "<ArbitraryFileIdentifier>SJIS-受付</ArbitraryFileIdentifier>" in text,
      "Shift_JIS round trip of Name and identifier")
check("ﾃｽﾄ ﾀﾛｳ".encode("cp932") in raw and len("ﾃｽﾄ".encode("cp932")) == 3, "half-width kana stay single bytes")

# --- processed errors are answers (.xml), unreadable requests are rejections (.err)
drop("OQSsiquc01req_nobody.xml", card_request("NOBODY", number="9999"))
path = os.path.join(RES, "OQSsiquc01res_nobody.xml")
check(wait_for(path) and field(read(path), "ErrorCode") == "OQS-E4001" and field(read(path), "SegmentOfResult") == "9",
      "unknown card: an answer with OQS-E4001")

rejections = [
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
for request_name, content, rejection, code, detail in rejections:
    drop(request_name, content)
for request_name, content, rejection, code, detail in rejections:
    path = os.path.join(RES, rejection)
    if not wait_for(path):
        check(False, "%s: no %s" % (request_name, rejection))
        continue
    body = read(path)
    check(field(body, "ErrorCode") == code, "%s: %s, got %s" % (request_name, code, body[:300]))
    check(detail is None or detail in (field(body, "ErrorDetail") or ""), "%s: detail names '%s': %s" % (request_name, detail, body[:400]))
    check(os.path.exists(os.path.join(REJECTED, request_name)) and not os.path.exists(os.path.join(REQ, request_name)),
          "%s: moved to Rejected/, nothing lost" % request_name)
check(read(os.path.join(REJECTED, "notes.txt")) == b"hello", "a rejected request is kept byte for byte")

# the watcher keeps going after all that
drop("OQSsiquc01req_after.xml", card_request("AFTER"))
check(wait_for(os.path.join(RES, "OQSsiquc01res_after.xml")), "still answering after rejections")

# --- a request written in place is read only once it is closed
path_in_place = os.path.join(REQ, "OQSsiquc01req_inplace.xml")
content = card_request("INPLACE").encode()
with open(path_in_place, "wb") as f:
    f.write(content[:40])
    f.flush()
    time.sleep(0.4)
    check(not os.path.exists(os.path.join(RES, "OQSsiquc01res_inplace.xml")) and
          not os.path.exists(os.path.join(RES, "OQSsiquc01res_inplace.err")), "a half-written request is not read")
    f.write(content[40:])
path = os.path.join(RES, "OQSsiquc01res_inplace.xml")
check(wait_for(path) and field(read(path), "Name") == "テスト 太郎", "answered after close")

# files still being written under a temporary name are left alone
for name in (".OQSsiquc01req_hidden.xml", "OQSsiquc01req_x.xml.tmp", "OQSsiquc01req_y.xml.part"):
    with open(os.path.join(REQ, name), "w") as f:
        f.write(card_request("TMP"))
time.sleep(0.4)
check(sorted(n for n in os.listdir(REQ)) == [".OQSsiquc01req_hidden.xml", "OQSsiquc01req_x.xml.tmp", "OQSsiquc01req_y.xml.part"],
      "temporary names stay in Req unanswered: %s" % os.listdir(REQ))
for name in os.listdir(REQ):
    os.unlink(os.path.join(REQ, name))

# --- bulk: SegmentOfResult 2 at once, then the final answer
bulk = ("<BulkQualificationConfirmationRequest><ArbitraryFileIdentifier>BULK-1</ArbitraryFileIdentifier>"
        "<ConfirmationDate>20260401</ConfirmationDate>" + card_request("B1") + card_request("B2", number="9999") +
        card_request("B3", mode="pin") + "</BulkQualificationConfirmationRequest>")
started = time.monotonic()
drop("OQSmuquc01req_batch.xml", bulk)
path = os.path.join(RES, "OQSmuquc01res_batch.xml")
check(wait_for(path), "bulk acknowledged")
first = read(path)
check(field(first, "SegmentOfResult") == "2" and field(first, "RequestCount") == "3" and field(first, "ArbitraryFileIdentifier") == "BULK-1",
      "bulk: first answer is SegmentOfResult 2 (poll again): %s" % first[:300])
check(os.path.exists(os.path.join(REQ, "OQSmuquc01req_batch.xml")), "bulk request stays in Req until its final answer")
final = first
while field(final, "SegmentOfResult") == "2" and time.monotonic() - started < 10:
    time.sleep(0.05)
    final = read(path)
check(field(final, "SegmentOfResult") == "1", "bulk: final answer after polling: %s" % final[:300])
check(time.monotonic() - started >= 0.7, "bulk: the final answer comes after the --bulk-delay")
items = ET.fromstring(final).findall("./ResultList/QualificationConfirmationResponse")
check(len(items) == 3, "bulk: one answer per request, got %d" % len(items))
if len(items) == 3:
    check(items[0].findtext("ArbitraryFileIdentifier") == "B1" and items[0].findtext(".//Name") == "テスト 太郎", "bulk item 1 valid")
    check(items[0].findtext("ConfirmationDate") == "20260401", "bulk date applies to the items")
    check(items[1].findtext("ErrorCode") == "OQS-E4001", "bulk item 2 not found")
    check(items[2].findtext("ErrorCode") == "OQS-E0001", "bulk item 3 refused (pin in a file)")
check(not os.path.exists(os.path.join(REQ, "OQSmuquc01req_batch.xml")),
      "bulk request removed after the final answer")

# --- waiting for the patient at the reader, answered by a confirmation there; Face written
drop("OQSsiquc01req_reader.xml", "<QualificationConfirmationRequest><ArbitraryFileIdentifier>WAIT-1</ArbitraryFileIdentifier>"
     "<Mode>reader</Mode><WaitSeconds>20</WaitSeconds></QualificationConfirmationRequest>")
time.sleep(0.3)
check(not os.path.exists(os.path.join(RES, "OQSsiquc01res_reader.xml")), "reader wait: no answer before the patient comes")
def face_files():
    return set(n for n in os.listdir(FACE) if not n.startswith("."))


faces_before = face_files()
status, body = server.post("/v1/confirmations", reader_request("valid", "pinless"))
check(status == 200, "PIN無し at the reader: %s %s" % (status, body[:200]))
path = os.path.join(RES, "OQSsiquc01res_reader.xml")
check(wait_for(path), "reader wait answered by the reader's confirmation")
waited = read(path)
check(field(waited, "ArbitraryFileIdentifier") == "WAIT-1" and field(waited, "Name") == "テスト 太郎", "the waiting reception gets the patient")
check(field(waited, "Mode") == "pinless" and field(waited, "FaceResult") == "matched", "how the patient was confirmed")
time.sleep(0.3)  # the Face file is written on the watcher thread
faces = sorted(face_files() - faces_before)
check(len(faces) == 1 and faces[0].startswith("OQSsiquc01res_face_20260401") and faces[0].endswith(".xml"),
      "Face/OQSsiquc01res_face_….xml written: %s" % faces)
if faces:
    face = read(os.path.join(FACE, faces[0]))
    check(field(face, "Name") == "テスト 太郎" and field(face, "FaceResult") == "matched", "Face file content")
# a failed PIN confirmation at the reader is reported too, with its error
status, body = server.post("/v1/confirmations", reader_request("expired-auth-cert", "pin"))
check(status == 403, "expired certificate at the reader")
deadline = time.monotonic() + 5
new = []
while time.monotonic() < deadline and len(new) < 1:
    new = sorted(face_files() - faces_before - set(faces))
    time.sleep(0.02)
check(len(new) == 1 and field(read(os.path.join(FACE, new[0])), "ErrorCode") == "OQS-E2004" and
      field(read(os.path.join(FACE, new[0])), "Mode") == "pin", "Face reports a failed PIN confirmation: %s" % new)
# card-path confirmations over HTTP are not reader confirmations
before = face_files()
server.post("/v1/confirmations", card_request("HTTP-CARD", mode="card").encode())
time.sleep(0.3)
check(face_files() == before, "no Face file for an insurance-card confirmation")

# nobody comes: the wait ends with OQS-E7001
drop("OQSsiquc01req_lonely.xml", "<QualificationConfirmationRequest><ArbitraryFileIdentifier>WAIT-2</ArbitraryFileIdentifier>"
     "<Mode>reader</Mode><WaitSeconds>1</WaitSeconds><CharacterCodeIdentifier>1</CharacterCodeIdentifier></QualificationConfirmationRequest>")
started = time.monotonic()
path = os.path.join(RES, "OQSsiquc01res_lonely.xml")
check(wait_for(path, 5), "reader wait times out")
elapsed = time.monotonic() - started
check(0.8 <= elapsed <= 3, "after WaitSeconds: %.2f s" % elapsed)
check(read(path).startswith(b'<?xml version="1.0" encoding="Shift_JIS"?>') and field(read(path), "ErrorCode") == "OQS-E7001",
      "timeout answer in the asked charset with OQS-E7001: %r" % read(path)[:200])

# no temporary files are left behind
leftovers = [n for d in (RES, FACE) for n in os.listdir(d) if n.startswith(".")]
check(not leftovers, "no temp files left: %s" % leftovers)

code, out = server.stop()
check(code == 0 and "stopped" in out, "clean stop on SIGTERM: %s %s" % (code, out[-300:]))

# a folder that cannot be made is a clear start-up error
blocker = os.path.join(WORK, "not-a-folder")
with open(blocker, "w") as f:
    f.write("x")
result = subprocess.run([MYNASIM, "server", "run", "--listen", "127.0.0.1:0", "--files", blocker], capture_output=True,
                        text=True, timeout=10)
check(result.returncode != 0 and "cannot create folder" in result.stderr, "unusable --files folder: %s" % result.stderr)

print("%d checks passed, %d failed" % (passed[0], len(failures)))
sys.exit(1 if failures else 0)
