"""mynasim.Server and the onshi_server fixture: the mock server as a process, its admin API as methods."""
import datetime
import os
import re

import pytest

import mynasim

CARD_REQUEST = (
    "<QualificationConfirmationRequest><Mode>card</Mode><InsurerNumber>{insurer}</InsurerNumber>"
    "<InsuredCardSymbol>{symbol}</InsuredCardSymbol><InsuredIdentificationNumber>{number}</InsuredIdentificationNumber>"
    "<InsuredBranchNumber>{branch}</InsuredBranchNumber><Birthdate>{birth}</Birthdate></QualificationConfirmationRequest>"
)


def challenge(server, tag=None):
    status, body, content_type = server.post("/v2/challenge", "", tag=tag)
    return status, body.decode(), content_type


def test_challenge_and_journal(onshi_server):
    status, body, content_type = challenge(onshi_server, tag="first")
    assert status == 200 and "<Challenge>" in body and content_type.startswith("application/xml")
    challenge(onshi_server)
    assert [e["call"] for e in onshi_server.journal()] == ["/v2/challenge", "/v2/challenge"]
    tagged = onshi_server.journal(tag="first")
    assert len(tagged) == 1 and tagged[0]["status"] == 200


def test_faults_for_the_next_requests(onshi_server):
    faults = onshi_server.add_fault("status", call="/v2/challenge", status=503, count=1)
    assert faults == [{"call": "/v2/challenge", "kind": "status", "remaining": 1, "status": 503}]
    assert challenge(onshi_server)[0] == 503
    assert challenge(onshi_server)[0] == 200  # used up
    onshi_server.add_fault("drop")
    with pytest.raises(mynasim.ServerError, match="POST /v2/challenge"):
        challenge(onshi_server)
    onshi_server.clear_faults()
    assert onshi_server.faults() == []
    assert challenge(onshi_server)[0] == 200


def test_no_answer_fault_times_out(onshi_server):
    onshi_server.add_fault("no_answer", call="/v2/challenge", count=1)
    with pytest.raises(mynasim.ServerError, match="POST /v2/challenge"):
        onshi_server.post("/v2/challenge", "", timeout=0.5)


def _unix(text: str) -> float:
    return datetime.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def test_clock(onshi_server):
    # The clock runs at real speed from the dataset's reference date: a loaded machine may see seconds pass.
    now = _unix(onshi_server.now())
    assert 0 <= now - _unix("2026-04-01T00:00:00Z") < 60
    assert 86400 <= _unix(onshi_server.advance_clock("+1d")) - now < 86400 + 60
    assert onshi_server.set_clock("2027-01-01T09:00:00Z") == "2027-01-01T09:00:00Z"
    expires = re.search(r"<ExpiresAt>([^<]+)</ExpiresAt>", challenge(onshi_server)[1])
    assert expires, "the challenge answer has no ExpiresAt"
    assert 300 <= _unix(expires.group(1)) - _unix("2027-01-01T09:00:00Z") < 360  # 5 minutes after the clock's time


def test_insurance_card_confirmation_and_reset(onshi_server):
    status, body, _ = onshi_server.post("/v2/confirmations", CARD_REQUEST.format(
        insurer="06139902", symbol="TEST-B", number="2001", branch="00", birth="19800101"))
    text = body.decode()
    assert status == 200, text
    assert "<Name>テスト 太郎</Name>" in text
    onshi_server.reset()
    assert onshi_server.journal() == []


@pytest.mark.mynasim_server(clock="2030-01-01T00:00:00Z")
def test_marker_sets_the_clock(onshi_server):
    assert onshi_server.now() == "2030-01-01T00:00:00Z"


def test_file_drop_folder_of_the_fixture(onshi_server, tmp_path):
    assert (tmp_path / "files" / "Req").is_dir()


def test_stop_is_idempotent_and_later_calls_fail():
    server = mynasim.Server()
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url)
    server.stop()
    server.stop()
    assert not server.running
    with pytest.raises(mynasim.ServerError, match="stopped"):
        server.journal()


# Bad input.

def test_broken_dataset_names_file_line_col(repo):
    broken = repo / "tests/data/bad-datasets/bad-sex.yaml"
    with pytest.raises(mynasim.ServerError, match=r"bad-sex\.yaml:\d+:\d+: "):
        mynasim.Server(data=os.fspath(broken))


def test_missing_dataset():
    with pytest.raises(mynasim.ServerError, match="no-such-data"):
        mynasim.Server(data="/no-such-data.yaml")


def test_bad_clock():
    with pytest.raises(mynasim.ServerError, match="clock"):
        mynasim.Server(clock="yesterday-ish")


def test_expiry_grace_setting():
    # The card path presents no certificate: the setting only has to be taken (scenarios cover its effect).
    with mynasim.Server(expiry_grace_from="month-end") as server:
        status, body, _ = server.post("/v2/confirmations", CARD_REQUEST.format(
            insurer="06139902", symbol="TEST-B", number="2001", branch="00", birth="19800101"))
        assert status == 200 and b"<QualificationValidity>1</QualificationValidity>" in body
    with pytest.raises(mynasim.ServerError, match="expiry-grace-from"):
        mynasim.Server(expiry_grace_from="month_end")


def test_bad_fault_kind_keeps_the_http_error_body(onshi_server):
    with pytest.raises(mynasim.ServerError, match=r"HTTP 400 .*kind"):
        onshi_server.add_fault("explode")


def test_bad_clock_change(onshi_server):
    with pytest.raises(mynasim.ServerError, match="HTTP 400"):
        onshi_server.set_clock("not a time")


def test_unknown_call_is_404(onshi_server):
    status, body, _, headers = onshi_server.post_with_headers("/v2/nothing", "<x/>")
    assert status == 404 and b"<SegmentOfResult>9</SegmentOfResult>" in body and "no such call" in headers["X-Mynasim-Detail"]


def test_malformed_xml_is_a_clear_error(onshi_server):
    status, body, _, headers = onshi_server.post_with_headers("/v2/confirmations", "<QualificationConfirmationRequest><Mode>")
    assert status == 400 and b"<ErrorCode>OQS-E0001</ErrorCode>" in body and "XML" in headers["X-Mynasim-Detail"]
