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

import pytest

from mynasim_integration import Server

ROOT = pathlib.Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "docs" / "schema"
REQUESTS = ROOT / "tests" / "data" / "requests"
VECTORS = ROOT / "tests" / "vectors" / "wire"


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
    valid, said = xmllint("xmlmsg-answer.xsd", path)
    assert valid, said


@pytest.mark.skipif(shutil.which("xmllint") is None, reason="xmllint (libxml2-utils) is not installed")
@pytest.mark.parametrize("path", requests_written(), ids=lambda p: os.fspath(p.relative_to(ROOT)))
def test_requests_are_valid(path):
    valid, said = xmllint("xmlmsg-request.xsd", path)
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
