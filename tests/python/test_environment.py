"""mynasim.Environment and the pcsc_env fixture: a real private pcscd with the card, never leaking processes."""
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

import mynasim


def running(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pid: int, seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not running(pid):
            return True
        time.sleep(0.1)
    return False


def opensc_atr(environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run(["opensc-tool", "-c", "default", "-a"], env={**os.environ, **environment},
                          capture_output=True, text=True, timeout=30)


def test_opensc_sees_the_card_and_the_process_ends_with_the_block():
    with mynasim.Environment("valid") as env:
        status = env.status()
        assert status["inserted"] and status["card"] == "valid"
        pcscd = status["pcscd_pid"]
        assert running(pcscd)
        result = opensc_atr(env.environment)
        assert result.returncode == 0, result.stderr
        assert "3b:e0:00:ff:81:31:fe:45:14" in result.stdout  # the My Number card's ATR
        assert env.reader == "Virtual PCD 00 00"
        folder = env.dir
    assert not env.up
    assert wait_gone(pcscd), "pcscd outlived the with block"
    assert not os.path.exists(folder)


def test_an_exception_in_the_block_still_ends_it():
    with pytest.raises(RuntimeError):
        with mynasim.Environment("valid") as env:
            pcscd = env.status()["pcscd_pid"]
            raise RuntimeError("the test broke")
    assert wait_gone(pcscd)


def test_it_ends_when_its_python_process_is_killed(tmp_path):
    # A child Python brings an environment up, prints pcscd's pid, then is killed with SIGKILL: no
    # cleanup code of its own runs, so only the environment's owner watch can end it.
    script = textwrap.dedent("""
        import sys, time, mynasim
        env = mynasim.Environment("valid")
        print(env.status()["pcscd_pid"], flush=True)
        time.sleep(600)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True, env=os.environ)
    try:
        pcscd = int(child.stdout.readline())
        assert running(pcscd)
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    assert wait_gone(pcscd, 10), "pcscd outlived its killed owner"


def test_insert_remove_reset_and_counters():
    with mynasim.Environment("valid", inserted=False) as env:
        assert not env.status()["inserted"]
        env.insert("pin-tries-left-2")
        assert env.status()["tries_left"]["auth"] == 2
        env.set_tries("auth", 1)
        assert env.status()["tries_left"]["auth"] == 1
        env.reset()
        env.remove()
        assert not env.status()["inserted"]
        assert opensc_atr(env.environment).returncode != 0  # no card


def test_trace_of_a_pyscard_client_in_another_process():
    with mynasim.Environment("valid") as env:
        script = textwrap.dedent("""
            from smartcard.System import readers
            connection = readers()[0].createConnection()
            connection.connect()
            data, sw1, sw2 = connection.transmit(list(bytes.fromhex("00A4040C0AD392F000260100000001")))
            print(f"{sw1:02X}{sw2:02X}")
        """)
        result = subprocess.run([sys.executable, "-c", script], env={**os.environ, **env.environment},
                                capture_output=True, text=True, timeout=60)
        assert result.stdout.strip() == "9000", result.stderr
        assert any(e["command_text"] == "SELECT JPKI AP" for e in env.trace())


def test_tear_after_pulls_the_card():
    with mynasim.Environment("valid") as env:
        env.tear_after(0)
        script = textwrap.dedent("""
            from smartcard.System import readers
            try:
                connection = readers()[0].createConnection()
                connection.connect()
                connection.transmit(list(bytes.fromhex("00A4040C0AD392F000260100000001")))
                print("answered")
            except Exception as e:
                print("failed:", type(e).__name__)
        """)
        result = subprocess.run([sys.executable, "-c", script], env={**os.environ, **env.environment},
                                capture_output=True, text=True, timeout=60)
        assert result.stdout.startswith("failed"), result.stdout + result.stderr


# Bad input.

def test_unknown_profile():
    with pytest.raises(mynasim.LoadError, match="no card profile named 'missing'"):
        mynasim.Environment("missing")


def test_broken_profile_file_fails_with_its_location(repo):
    with pytest.raises(mynasim.LoadError, match=r"bad-profiles/duplicate-key\.yaml:\d+:\d+: "):
        mynasim.Environment(repo / "tests/data/bad-profiles/duplicate-key.yaml")


def test_insert_an_unknown_profile_keeps_the_environment(pcsc_env):
    with pytest.raises(mynasim.LoadError):
        pcsc_env.insert("missing")
    assert pcsc_env.status()["card"] == "valid"


def test_calls_after_close_are_errors():
    env = mynasim.Environment("valid")
    env.close()
    env.close()  # idempotent
    with pytest.raises(mynasim.PcscEnvironmentError, match="closed"):
        env.status()


def test_set_tries_out_of_range(pcsc_env):
    with pytest.raises(mynasim.PcscEnvironmentError, match="set_tries"):
        pcsc_env.set_tries("auth", 99)


# The fixture.

@pytest.mark.mynasim_profile("expired-auth-cert")
def test_fixture_inserts_the_marked_profile_and_exports_the_socket(pcsc_env):
    assert pcsc_env.status()["card"] == "expired-auth-cert"
    assert os.environ["PCSCLITE_CSOCK_NAME"] == pcsc_env.environment["PCSCLITE_CSOCK_NAME"]
    assert opensc_atr({}).returncode == 0  # found through the exported variables alone


def test_fixture_gives_each_test_a_fresh_card(pcsc_env):
    assert pcsc_env.status()["tries_left"]["auth"] == 3
    pcsc_env.set_tries("auth", 0)


def test_fixture_gives_each_test_a_fresh_card_again(pcsc_env):
    assert pcsc_env.status()["tries_left"]["auth"] == 3


def test_in_process_pyscard_through_the_fixture(pcsc_env):
    from smartcard.System import readers

    connection = readers()[0].createConnection()
    connection.connect()
    data, sw1, sw2 = connection.transmit(list(bytes.fromhex("00A4040C0AD392F000260100000001")))
    connection.disconnect()
    assert (sw1, sw2) == (0x90, 0x00)


def test_a_killed_scenario_run_leaves_no_environment(tmp_path):
    # `mynasim run` (and Scenarios.run) give their benches' environments their own pid as owner.
    run = subprocess.Popen([mynasim.binary(), "run", "--id", "pin-*", "--out", str(tmp_path / "out")],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    pid_file = tmp_path / "out/work/worker-1/env/daemon.pid"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and not (pid_file.exists() and pid_file.read_text().strip()):
        time.sleep(0.05)
    try:
        daemon = int(pid_file.read_text().split()[0])
        assert running(daemon)
    finally:
        run.kill()
        run.wait()
    assert wait_gone(daemon, 10), "the environment outlived its killed run"
