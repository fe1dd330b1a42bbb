"""python/examples/ run as a user runs them: each must finish cleanly and say what it promises."""
import os
import subprocess
import sys

import mynasim


def run_example(repo, name, *arguments):
    result = subprocess.run([sys.executable, str(repo / "python/examples" / name), *map(str, arguments)],
                            capture_output=True, text=True, timeout=180, env=os.environ)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr, result.stderr
    return result.stdout


def test_every_example_is_tested(repo):
    assert sorted(p.name for p in (repo / "python/examples").glob("*.py")) == [
        "card_pin_lockout.py", "new_scenario.py", "pyscard_pin_confirmation.py"]


def test_card_pin_lockout(repo):
    out = run_example(repo, "card_pin_lockout.py")
    assert "wrong PIN 3: SW 63C0, tries left 0" in out
    assert "the right PIN on a locked card: SW 6983" in out


def test_pyscard_pin_confirmation(repo):
    out = run_example(repo, "pyscard_pin_confirmation.py")
    assert "Name: テスト 太郎" in out and "InsurerNumber: 06139902" in out
    assert "VERIFY EF 0018 (auth PIN)" in out and "COMPUTE DIGITAL SIGNATURE" in out


def test_pyscard_pin_confirmation_with_an_expired_certificate_is_refused(repo):
    result = subprocess.run([sys.executable, str(repo / "python/examples/pyscard_pin_confirmation.py"), "expired-auth-cert"],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode != 0
    assert "the server refused: HTTP 403 OQS-E2004" in result.stderr, result.stderr


def test_new_scenario(repo, tmp_path):
    out = run_example(repo, "new_scenario.py", tmp_path)
    assert "pass  qa-wrong-pin-two-left" in out
    verified = subprocess.run([mynasim.binary(), "report", "verify", str(tmp_path / "report")], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr
