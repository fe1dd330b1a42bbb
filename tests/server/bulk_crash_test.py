"""Crash safety of the file interface's bulk jobs (docs/file-interface.md, "Bulk confirmation"): the server is
ended without warning at each named point of a bulk job (MYNASIM_CRASH_AT: the process exits at once, as a
kill -9 would leave it) and by SIGKILL at moments spread over a 10,000-person job; after every restart no
accepted job is lost (its ReceptionNumber answers, the same number as before), every file in Res is whole
(an XmlMsg that parses, or a ZIP that tests good), and the request the crash cut is answered again.

Run by CTest (server.bulk_crash) on the fixtures of tests/integration_support/mynasim_integration.py.
"""
import json
import os
import random
import time
import xml.etree.ElementTree as ET
import zipfile

import pytest

from mynasim_integration import Server

CRASH_EXIT = 86  # FileDrop::crash_point


def search(number, birth="19800101", insurer="06139902", symbol="TEST-B"):
    return ("<QualificationConfirmSearchInfo><InsurerNumber>%s</InsurerNumber><InsuredCardSymbol>%s</InsuredCardSymbol>"
            "<InsuredIdentificationNumber>%s</InsuredIdentificationNumber><InsuredBranchNumber>00</InsuredBranchNumber>"
            "<Birthdate>%s</Birthdate><LimitApplicationCertificateRelatedConsFlg>0</LimitApplicationCertificateRelatedConsFlg>"
            "</QualificationConfirmSearchInfo>" % (insurer, symbol, number, birth))


def bulk_list(persons):
    """Step 1 of OQSmuquc: the default dataset's TEST-0001 card, then persons that are not found."""
    searches = [search("2001")] + [search(str(900000 + i)) for i in range(persons - 1)]
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?><XmlMsg><MessageHeader><MedicalInstitutionCode>9999000001'
            "</MedicalInstitutionCode><ArbitraryFileIdentifier>CRASH</ArbitraryFileIdentifier></MessageHeader><MessageBody>"
            + "".join(searches) + "</MessageBody></XmlMsg>").encode()


def result_request(number):
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?><XmlMsg><MessageHeader><MedicalInstitutionCode>9999000001'
            "</MedicalInstitutionCode></MessageHeader><MessageBody><ReceptionNumber>%s</ReceptionNumber></MessageBody></XmlMsg>"
            % number).encode()


class Box:
    def __init__(self, root):
        self.root = str(root)
        self.req, self.res, self.jobs = (os.path.join(self.root, d) for d in ("Req", "Res", "BulkJobs"))

    def drop(self, name, data):
        os.makedirs(self.req, exist_ok=True)
        temporary = os.path.join(self.req, "." + name + ".tmp")
        with open(temporary, "wb") as f:
            f.write(data)
        os.rename(temporary, os.path.join(self.req, name))

    def answer(self, name, timeout=60.0):
        path = os.path.join(self.res, name)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if os.path.exists(path):
                return path
            time.sleep(0.02)
        raise AssertionError("no %s within %s s; Res holds %s" % (name, timeout, os.listdir(self.res)))

    def pending(self):
        return [n for n in os.listdir(self.req) if not n.startswith(".")]

    def jobs_kept(self):
        return sorted(n for n in os.listdir(self.jobs) if n.endswith(".json")) if os.path.isdir(self.jobs) else []

    def assert_whole(self):
        """Every answer in Res is complete: a crash never leaves half a file under an answer's name."""
        for name in os.listdir(self.res):
            path = os.path.join(self.res, name)
            if name.startswith("."):
                continue  # a temporary of a write the crash cut: no answer's name, removed at the next start
            if name.endswith(".zip"):
                with zipfile.ZipFile(path) as z:
                    assert z.testzip() is None, name
                    ET.fromstring(z.read(z.namelist()[0]))
            else:
                ET.fromstring(open(path, "rb").read())


def header(path, element):
    root = ET.parse(path).getroot()
    return root.find("MessageHeader/" + element).text


def units(path):
    return ET.parse(path).getroot().findall("MessageBody/BulkConfirmUnit")


def start(binary, box, *extra):
    return Server(binary, "--files", box.root, "--bulk-ready-after", "0", *extra)


def crashed(server, timeout=60.0):
    """The server ended by its crash point (exit 86)."""
    try:
        code = server.process.wait(timeout=timeout)
    finally:
        server.close()
    assert code == CRASH_EXIT, "exit %s: %s" % (code, server.output)


@pytest.mark.parametrize("point", ["bulk-job-kept", "bulk-accepted"])
def test_a_crash_in_step_one_loses_no_job_and_gives_no_second_number(mynasim_binary, tmp_path, monkeypatch, point):
    box = Box(tmp_path / "oqs")
    monkeypatch.setenv("MYNASIM_CRASH_AT", point)
    server = start(mynasim_binary, box)
    box.drop("OQSmuquc01req_C1.xml", bulk_list(3))
    crashed(server)
    # The job was kept before the crash; the request is still waiting (it is removed only after its answer).
    assert len(box.jobs_kept()) == 1 and box.pending() == ["OQSmuquc01req_C1.xml"]
    kept = json.load(open(os.path.join(box.jobs, box.jobs_kept()[0])))["reception_number"]
    answered_before = os.path.exists(os.path.join(box.res, "OQSmuquc01res_C1.xml"))
    assert answered_before == (point == "bulk-accepted")
    if answered_before:
        assert header(os.path.join(box.res, "OQSmuquc01res_C1.xml"), "ReceptionNumber") == kept
    box.assert_whole()
    monkeypatch.delenv("MYNASIM_CRASH_AT")
    with start(mynasim_binary, box):
        # answered again at start, with the number it was given before the crash: no second job
        answer = box.answer("OQSmuquc01res_C1.xml")
        deadline = time.monotonic() + 10
        while box.pending() and time.monotonic() < deadline:
            time.sleep(0.02)
        assert box.pending() == []
        assert header(answer, "ReceptionNumber") == kept and box.jobs_kept() == [kept + ".json"]
        box.drop("OQSmuquc02req_C1.xml", result_request(kept))
        result = box.answer("OQSmuquc02res_C1.xml")
        assert header(result, "SegmentOfResult") == "1" and len(units(result)) == 3
        assert [u.find("ProcessingResultStatus").text for u in units(result)] == ["1", "2", "2"]


def test_the_same_list_dropped_again_while_running_is_a_new_job(mynasim_binary, tmp_path):
    """Only a request left in Req by a crash keeps its number: the same name and bytes dropped anew (a daily list
    reusing its file name) is a new job, confirmed on its own day."""
    box = Box(tmp_path / "oqs")
    with start(mynasim_binary, box):
        box.drop("OQSmuquc01req_daily.xml", bulk_list(2))
        first = header(box.answer("OQSmuquc01res_daily.xml"), "ReceptionNumber")
        deadline = time.monotonic() + 10
        while box.pending() and time.monotonic() < deadline:
            time.sleep(0.02)
        os.remove(os.path.join(box.res, "OQSmuquc01res_daily.xml"))
        box.drop("OQSmuquc01req_daily.xml", bulk_list(2))
        second = header(box.answer("OQSmuquc01res_daily.xml"), "ReceptionNumber")
    assert first != second and len(box.jobs_kept()) == 2


def test_a_crash_after_step_two_is_written_answers_it_again_whole(mynasim_binary, tmp_path, monkeypatch):
    box = Box(tmp_path / "oqs")
    with start(mynasim_binary, box):
        box.drop("OQSmuquc01req_C2.xml", bulk_list(5))
        number = header(box.answer("OQSmuquc01res_C2.xml"), "ReceptionNumber")
    monkeypatch.setenv("MYNASIM_CRASH_AT", "bulk-result-written")
    server = start(mynasim_binary, box, "--bulk-zip")
    box.drop("OQSmuquc02req_C2.xml", result_request(number))
    crashed(server)
    box.assert_whole()
    first = os.path.join(box.res, "OQSmuquc02res_C2.zip")
    assert os.path.exists(first) and box.pending() == ["OQSmuquc02req_C2.xml"]
    os.remove(first)
    monkeypatch.delenv("MYNASIM_CRASH_AT")
    with start(mynasim_binary, box, "--bulk-zip"):
        again = box.answer("OQSmuquc02res_C2.zip")
        with zipfile.ZipFile(again) as z:
            assert z.namelist() == ["OQSmuquc02res_C2.xml"]
            root = ET.fromstring(z.read("OQSmuquc02res_C2.xml"))
        assert root.find("MessageHeader/NumberOfProcessingResult").text == "5"
        assert len(root.findall("MessageBody/BulkConfirmUnit")) == 5


def test_kills_at_any_moment_of_a_large_job(mynasim_binary, tmp_path):
    """SIGKILL at moments spread over step 1 and step 2 of a 10,000-person job, then a restart each time."""
    box = Box(tmp_path / "oqs")
    rng = random.Random(16)
    listing = bulk_list(10000)
    numbers = set()
    for round_ in range(4):
        with start(mynasim_binary, box) as server:
            box.drop("OQSmuquc01req_K%d.xml" % round_, listing)
            time.sleep(rng.uniform(0.0, 0.4))
            server.kill()
        box.assert_whole()
        with start(mynasim_binary, box):
            numbers.add(header(box.answer("OQSmuquc01res_K%d.xml" % round_), "ReceptionNumber"))
    assert len(numbers) == 4 and sorted(n[:-5] for n in box.jobs_kept()) == sorted(numbers)
    # Step 2 of one job, killed while it is answered, then answered whole after the restart.
    number = sorted(numbers)[0]
    for round_ in range(3):
        with start(mynasim_binary, box) as server:
            box.drop("OQSmuquc02req_K%d.xml" % round_, result_request(number))
            time.sleep(rng.uniform(0.0, 0.6))
            server.kill()
        box.assert_whole()
    with start(mynasim_binary, box):
        for round_ in range(3):
            result = box.answer("OQSmuquc02res_K%d.xml" % round_)
            assert header(result, "NumberOfProcessingResult") == "10000"
            assert header(result, "NumberOfNormalProcessing") == "1" and header(result, "NumberOfError") == "9999"
        # every number given before the kills still answers
        for i, n in enumerate(sorted(numbers)):
            box.drop("OQSmuquc02req_A%d.xml" % i, result_request(n))
            assert header(box.answer("OQSmuquc02res_A%d.xml" % i), "SegmentOfResult") == "1"
    assert not [n for n in os.listdir(box.res) if n.startswith(".")], "temporaries left after a restart"
