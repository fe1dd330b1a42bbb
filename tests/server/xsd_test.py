"""An independent check of the file interface's shapes: the project's XSD (docs/schema/, written from
../shared/spec/oqs-files.md) applied by xmllint (libxml2, another XML implementation than ours) to every
answer and face file the mock writes, every request the reference reception writes, and the docs' examples.

Run by CTest (wire.xsd) on the fixtures of tests/integration_support/mynasim_integration.py.
"""
import os
import pathlib
import shutil
import subprocess
import time
import zipfile

import pytest

from mynasim_integration import Server

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / "schema"
REQUESTS = ROOT / "tests" / "data" / "requests"
VECTORS = ROOT / "tests" / "vectors" / "wire"


def kind_of(path):
    """The bulk families' files (OQSmu…) and the viewing files (YZK…, TKK…) have schemas of their own."""
    name = path.name.lower()
    if name.startswith("oqsmu"):
        return "bulk-"
    return "viewing-" if name.startswith(("yzk", "tkk")) else "reference-" if name.startswith("oqssiimm") else ""


def answer_schema(path):
    return "xmlmsg-%sanswer.xsd" % kind_of(path)


def request_schema(path):
    return "xmlmsg-%srequest.xsd" % kind_of(path)


def xmllint(schema, path):
    """(valid, what xmllint said)."""
    result = subprocess.run(["xmllint", "--noout", "--schema", os.fspath(SCHEMA / schema), os.fspath(path)],
                            capture_output=True, text=True, timeout=60)
    return result.returncode == 0, result.stderr.strip()


def is_xml_msg(path):
    head = path.read_bytes()[:200]
    return b"<XmlMsg>" in head


def answers_the_mock_wrote():
    files = [p for p in (VECTORS / "files").rglob("*") if p.is_file() and p.suffix in (".xml", ".err") and is_xml_msg(p)]
    files += [p for p in (VECTORS / "service").glob("*.xml") if is_xml_msg(p)]
    files += [p for p in (ROOT / "docs" / "examples").rglob("*") if p.is_file() and "Req" not in p.parts]
    return sorted(files)


def requests_written():
    return sorted(list((VECTORS / "reception").glob("*.xml")) + list((ROOT / "docs" / "examples" / "Req").glob("*.xml")) +
                  list(REQUESTS.glob("valid-*.xml")))


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) is not installed")
@pytest.mark.parametrize("path", answers_the_mock_wrote(), ids=lambda p: os.fspath(p.relative_to(ROOT)))
def test_recorded_answers_are_valid(path):
    valid, said = xmllint(answer_schema(path), path)
    assert valid, said


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) is not installed")
@pytest.mark.parametrize("path", requests_written(), ids=lambda p: os.fspath(p.relative_to(ROOT)))
def test_requests_are_valid(path):
    valid, said = xmllint(request_schema(path), path)
    assert valid, said


# The schema is no rubber stamp: the structural faults of the fixtures fail it too.
STRUCTURAL = ["bad-wrong-root.xml", "bad-no-header.xml", "bad-no-body.xml", "bad-header-after-body.xml", "bad-two-headers.xml",
              "bad-no-institution.xml", "bad-institution-9-digits.xml", "bad-date-with-dashes.xml", "bad-limit-flag-unknown.xml",
              "bad-charset-code-unknown.xml", "bad-insurer-6-digits.xml", "bad-insurer-letters.xml", "bad-branch-1-digit.xml",
              "bad-no-birthdate.xml", "bad-no-search-info.xml", "bad-duplicate-insurer.xml", "bad-value-holds-elements.xml"]


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) is not installed")
@pytest.mark.parametrize("name", STRUCTURAL)
def test_structural_faults_fail_the_schema(name):
    valid, _ = xmllint("xmlmsg-request.xsd", REQUESTS / name)
    assert not valid, name + " passes the request schema"


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) is not installed")
def test_a_live_server_writes_valid_files(mynasim_binary, run_mynasim, tmp_path):
    # every request fixture through a real folder: whatever the mock answers (.xml or .err) is a valid answer
    root = tmp_path / "box"
    (root / "Req").mkdir(parents=True)
    with Server(mynasim_binary, "--files", root):
        names = []
        for fixture in sorted(REQUESTS.glob("*.xml")):
            name = "OQSsiquc01req_live-" + fixture.name
            (root / "Req" / ("." + name)).write_bytes(fixture.read_bytes())
            os.rename(root / "Req" / ("." + name), root / "Req" / name)
            names.append(name)
        deadline = time.monotonic() + 30
        while any((root / "Req" / n).exists() for n in names) and time.monotonic() < deadline:
            time.sleep(0.05)
    written = sorted(p for p in (root / "Res").iterdir())
    assert len(written) == len(names), "one answer per request: %d of %d" % (len(written), len(names))
    for path in written:
        valid, said = xmllint("xmlmsg-answer.xsd", path)
        assert valid, "%s: %s" % (path.name, said)


BULK_FAULTS = [
    # 10,001 searches: more than a list may hold
    "<XmlMsg><MessageHeader><MedicalInstitutionCode>9999000001</MedicalInstitutionCode></MessageHeader><MessageBody>"
    + "<QualificationConfirmSearchInfo><InsurerNumber>06139902</InsurerNumber><InsuredIdentificationNumber>1</InsuredIdentificationNumber>"
      "<InsuredBranchNumber>00</InsuredBranchNumber><Birthdate>19800101</Birthdate></QualificationConfirmSearchInfo>" * 10001
    + "</MessageBody></XmlMsg>",
    # a month that does not exist
    "<XmlMsg><MessageHeader><MedicalInstitutionCode>9999000001</MedicalInstitutionCode></MessageHeader><MessageBody>"
    "<QualificationConfirmSearchInfo><MedicalTreatmentMonth>202613</MedicalTreatmentMonth></QualificationConfirmSearchInfo></MessageBody></XmlMsg>",
    # both a list and a number
    "<XmlMsg><MessageHeader><MedicalInstitutionCode>9999000001</MedicalInstitutionCode></MessageHeader><MessageBody>"
    "<ReceptionNumber>1</ReceptionNumber><ReceptionNumber>2</ReceptionNumber></MessageBody></XmlMsg>",
]


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) is not installed")
@pytest.mark.parametrize("index", range(len(BULK_FAULTS)))
def test_bulk_faults_fail_the_schema(index, tmp_path):
    path = tmp_path / "OQSmuquc01req_fault.xml"
    path.write_text(BULK_FAULTS[index])
    valid, _ = xmllint("xmlmsg-bulk-request.xsd", path)
    assert not valid


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) is not installed")
def test_a_live_bulk_job_writes_valid_files(mynasim_binary, run_mynasim, tmp_path):
    """The reference reception's bulk requests (every family, both steps) and the live server's answers, a ZIP's XML too."""
    root = tmp_path / "box"
    written = tmp_path / "requests"
    (root / "Req").mkdir(parents=True)
    written.mkdir()
    jobs = [["--id", "L", "--card", "06139902,TEST-B,2001,00,19800101", "--card", "06139902,TEST-B,2001,00,19800102", "--shift-jis"],
            ["--id", "H", "--family", "hvq", "--consent-from", "20260301", "--consent-to", "20260331"],
            ["--id", "O", "--family", "onq", "--examination-from", "20260301", "--examination-to", "20260331"],
            ["--id", "T", "--family", "tic", "--month", "202604"],
            ["--id", "M", "--family", "imm", "--registration", "06139902,TEST-B,2001,00,19800101,P-1",
             "--registration", "06139902,TEST-B,2001,00,19800102,P-2"]]
    with Server(mynasim_binary, "--files", root, "--bulk-ready-after", "0", "--bulk-zip"):
        for job in jobs:
            done = run_mynasim("reception", "bulk", "--files", root, "--retry", "50", *job)
            assert done.returncode == 0, done.stdout + done.stderr
        unknown = run_mynasim("reception", "bulk-result", "--files", root, "--id", "U", "--reception-number", "1")
        assert unknown.returncode == 32, unknown.stdout + unknown.stderr
    # what the reception wrote, from the journal's copies being cut at 4096 characters: written again offline
    for job in jobs:
        (written / "Req").mkdir(exist_ok=True)
        offline = run_mynasim("reception", "bulk-submit", "--files", written, "--timeout", "1", *job)
        assert offline.returncode == 41, offline.stdout + offline.stderr  # no server there: the request stays
    offline = run_mynasim("reception", "bulk-result", "--files", written, "--timeout", "1", "--id", "R", "--reception-number", "202604010900000001")
    assert offline.returncode == 41
    requests = sorted((written / "Req").iterdir())
    assert len(requests) == 6
    for path in requests:
        valid, said = xmllint("xmlmsg-bulk-request.xsd", path)
        assert valid, "%s: %s" % (path.name, said)
    answers = sorted((root / "Res").iterdir())
    assert len([p for p in answers if p.suffix == ".zip"]) == 5
    for path in answers:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as z:
                (tmp_path / "unzipped").mkdir(exist_ok=True)
                path = tmp_path / "unzipped" / z.namelist()[0]
                path.write_bytes(z.read(z.namelist()[0]))
        valid, said = xmllint("xmlmsg-bulk-answer.xsd", path)
        assert valid, "%s: %s" % (path.name, said)
