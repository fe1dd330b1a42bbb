"""pytest fixtures of the integration tests that drive the `mynasim` binary (tests/server, tests/client,
tests/harness): the binary, the source tree, one Server helper (`mynasim server run`), one PcscSim helper
(`mynasim sim`), and the evidence of a failed test (the journal of each running server, the APDU trace of
each running card), as the mynasim.pytest_plugin shows them.

Nothing here imports the compiled Python module `mynasim` (it is not built in sanitizer builds): the tests
talk to the binary of the build under test, by subprocess and over loopback sockets only. CTest runs
each test module as

    MYNASIM=build/mynasim PYTHONPATH=tests/integration_support \\
        /usr/bin/python3 -m pytest -p no:cacheprovider -p mynasim_integration --strict-markers -q -rfE tests/server/server_http_test.py

(`--mynasim-binary PATH` instead of MYNASIM works too; without either, pytest stops with a usage error).

Fixtures
  mynasim_binary  the mynasim binary under test (pathlib.Path)
  source_dir      the source tree (pathlib.Path)
  profile_dir     source_dir / "card-profiles"
  run_mynasim     run_mynasim(*args, env=None, timeout=60) -> subprocess.CompletedProcess (text; stdout, stderr captured)
  card_session    card_session("valid", challenge=None) -> the JSON of `mynasim card session --json -p card-profiles/valid.yaml`
  server_factory  server_factory(*args) -> a started Server (`mynasim server run --listen 127.0.0.1:0 *args`); every
                  server it started is stopped when the test ends, passed or failed
Fixtures wider than one test use Server(...) and PcscSim(...) as context managers: leaving the `with` stops them.
"""
from __future__ import annotations

import http.client
import json
import os
import pathlib
import signal
import subprocess
import threading
import xml.etree.ElementTree as ET
from typing import Any, Callable, Iterator, Optional

import pytest

SOURCE_DIR = pathlib.Path(__file__).resolve().parents[2]
_SECTION_LIMIT = 200  # lines of journal or trace shown in a failure report


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mynasim integration")
    group.addoption("--mynasim-binary", default=os.environ.get("MYNASIM"), metavar="PATH",
                    help="the mynasim binary under test (default: $MYNASIM)")


def pytest_configure(config: pytest.Config) -> None:
    if config.option.help:
        return
    binary = config.getoption("--mynasim-binary")
    if not binary:
        raise pytest.UsageError("mynasim_integration: no mynasim binary: set MYNASIM=/path/to/build/mynasim "
                                "(CTest passes MYNASIM=$<TARGET_FILE:mynasim>) or pass --mynasim-binary PATH")
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        raise pytest.UsageError(f"mynasim_integration: the mynasim binary {binary!r} (MYNASIM or --mynasim-binary) "
                                "is not an executable file: build it first")


@pytest.fixture(scope="session")
def mynasim_binary(pytestconfig: pytest.Config) -> pathlib.Path:
    return pathlib.Path(pytestconfig.getoption("--mynasim-binary")).resolve()


@pytest.fixture(scope="session")
def source_dir() -> pathlib.Path:
    return SOURCE_DIR


@pytest.fixture(scope="session")
def profile_dir(source_dir: pathlib.Path) -> pathlib.Path:
    return source_dir / "card-profiles"


def run(binary: os.PathLike | str, *args: Any, env: Optional[dict[str, str]] = None,
        timeout: float = 60) -> subprocess.CompletedProcess:
    """`mynasim ARGS...`, output captured as text; its exit code is the caller's to check."""
    return subprocess.run([os.fspath(binary), *map(os.fspath, args)], stdin=subprocess.DEVNULL, capture_output=True,
                          text=True, encoding="utf-8", errors="replace", env=env, timeout=timeout)


@pytest.fixture(scope="session")
def run_mynasim(mynasim_binary: pathlib.Path) -> Callable[..., subprocess.CompletedProcess]:
    def run_it(*args: Any, env: Optional[dict[str, str]] = None, timeout: float = 60) -> subprocess.CompletedProcess:
        return run(mynasim_binary, *args, env=env, timeout=timeout)

    return run_it


@pytest.fixture(scope="session")
def card_session(run_mynasim, profile_dir: pathlib.Path) -> Callable[..., dict[str, Any]]:
    """card_session(profile, challenge=None): a card session of the profile (signing the challenge, if any), as JSON."""

    def session(profile: str, challenge: Optional[str] = None) -> dict[str, Any]:
        args = ["card", "session", "--json", "-p", profile_dir / (profile + ".yaml")]
        if challenge:
            args += ["--challenge", challenge]
        result = run_mynasim(*args)
        try:
            return json.loads(result.stdout)
        except json.JSONDecodeError:
            raise RuntimeError(f"mynasim card session -p {profile} gave no JSON (exit {result.returncode}): "
                               f"{result.stdout[:500]} {result.stderr[:500]}") from None

    return session


def xml_field(xml: str | bytes, name: str) -> Optional[str]:
    """The text of the first element `name` anywhere in the XML ("" when empty, None when absent).
    Bytes declared Shift_JIS are decoded first (ElementTree reads no multi-byte charsets)."""
    if isinstance(xml, bytes) and xml.startswith(b"<?xml") and b'encoding="Shift_JIS"' in xml.split(b"?>", 1)[0]:
        xml = xml.decode("cp932").split("?>", 1)[1]
    node = ET.fromstring(xml).find(".//" + name)
    return None if node is None else (node.text or "")


def xml_error(xml: str | bytes) -> tuple[Optional[str], Optional[str]]:
    """An XmlMsg answer's error and its level: (code, "file") from the MessageHeader (SegmentOfResult 9),
    (code, "person") from the MessageBody (ProcessingResultStatus 2), or (None, None)."""
    file_level = xml_field(xml, "ErrorCode")
    if file_level:
        return file_level, "file"
    if xml_field(xml, "ProcessingResultStatus") == "2":
        return xml_field(xml, "ProcessingResultCode"), "person"
    return None, None


def xml_error_code(xml: str | bytes) -> Optional[str]:
    """The error code of an XmlMsg answer at either level (None when it reports none)."""
    return xml_error(xml)[0]


# Servers and simulators alive in this process, in start order: their journal and trace go into the report
# of a failed test.
_LIVE: dict[Any, None] = {}


class ServerStartError(RuntimeError):
    pass


class Server:
    """`mynasim server run --listen 127.0.0.1:0 ARGS...`, started and up (its first lines read) when constructed.

    port, url, token: from its start-up lines; line(i): its i-th output line; output: all of it so far.
    admin(call, body) -> (status, JSON answer); journal(**query) -> entries; post(path, body) -> (status, bytes).
    stop() ends it with SIGTERM and returns (exit code, output); kill() sends SIGKILL; close() (or leaving
    `with`) stops it if it still runs, by SIGKILL if SIGTERM does not do it in time.
    """

    START_TIMEOUT = 60.0  # generous for sanitizer builds
    STOP_TIMEOUT = 10.0

    def __init__(self, binary: os.PathLike | str, *args: Any, start_timeout: float = START_TIMEOUT):
        self.command = [os.fspath(binary), "server", "run", "--listen", "127.0.0.1:0", *map(os.fspath, args)]
        self._lines: list[str] = []
        self._ended = False
        self._changed = threading.Condition()
        self.process = subprocess.Popen(self.command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, encoding="utf-8", errors="replace")
        self._reader = threading.Thread(target=self._read, name="mynasim server output", daemon=True)
        self._reader.start()
        _LIVE[self] = None
        try:
            listening = self.line(0, start_timeout) or ""
            token = self.line(1, start_timeout) or ""
            if "listening on " not in listening or not token.startswith("admin token: "):
                raise ServerStartError(f"server did not start ({' '.join(self.command)}): {self._dead_output()}")
        except BaseException:
            self.close()
            raise
        self.url = listening.split("listening on ", 1)[1].split()[0]  # http://127.0.0.1:PORT or https://…
        self.port = int(self.url.rsplit(":", 1)[1])
        self.token = token[len("admin token: "):].strip()

    def _read(self) -> None:
        for text in self.process.stdout:
            with self._changed:
                self._lines.append(text)
                self._changed.notify_all()
        self.process.stdout.close()
        with self._changed:
            self._ended = True
            self._changed.notify_all()

    def _dead_output(self) -> str:
        """What the process wrote, once it ended (or after a short wait if it still runs)."""
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            pass
        else:
            self._reader.join(timeout=2)
        return f"exit {self.process.returncode}, output: {self.output!r}"

    def line(self, index: int, timeout: float = 10.0) -> Optional[str]:
        """The index-th line the server wrote, waiting up to timeout for it; None if it never comes."""
        with self._changed:
            self._changed.wait_for(lambda: len(self._lines) > index or self._ended, timeout)
            return self._lines[index] if len(self._lines) > index else None

    @property
    def output(self) -> str:
        with self._changed:
            return "".join(self._lines)

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def connection(self, timeout: float = 10) -> http.client.HTTPConnection:
        """A new plain-HTTP connection to the server."""
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)

    def post(self, path: str, body: bytes = b"", headers: Optional[dict[str, str]] = None,
             timeout: float = 10) -> tuple[int, bytes]:
        """POST on a new connection: (status, body)."""
        connection = self.connection(timeout)
        try:
            connection.request("POST", path, body=body, headers=headers or {})
            response = connection.getresponse()
            return response.status, response.read()
        finally:
            connection.close()

    def exchange(self, path: str, body: bytes = b"", timeout: float = 10) -> tuple[int, dict[str, str], bytes]:
        """POST on a new connection: (status, header fields, body)."""
        connection = self.connection(timeout)
        try:
            connection.request("POST", path, body=body)
            response = connection.getresponse()
            return response.status, {k: v for k, v in response.getheaders()}, response.read()
        finally:
            connection.close()

    def admin(self, call: str, body: Optional[dict[str, Any]] = None, token: Optional[str] = None,
              timeout: float = 10) -> tuple[int, Any]:
        """POST /admin/v1/CALL with the admin token (or the given one): (status, the JSON answer)."""
        status, answer = self.post("/admin/v1/" + call, json.dumps(body or {}).encode(),
                                   {"Authorization": "Bearer " + (self.token if token is None else token)}, timeout)
        return status, json.loads(answer.decode())

    def journal(self, **query: Any) -> list[dict[str, Any]]:
        """The journal's entries (admin `journal` with the query: tag=, max=)."""
        status, answer = self.admin("journal", query)
        if status != 200:
            raise RuntimeError(f"admin journal: {status} {answer}")
        return answer["entries"]

    def stop(self, timeout: float = STOP_TIMEOUT) -> tuple[int, str]:
        """SIGTERM, then wait: (exit code, all the output)."""
        if self.running:
            self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=timeout)
        self._reader.join(timeout=timeout)
        _LIVE.pop(self, None)
        return self.process.returncode, self.output

    def kill(self) -> None:
        """SIGKILL, as a crash would end it."""
        if self.running:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self._reader.join(timeout=self.STOP_TIMEOUT)
        _LIVE.pop(self, None)

    def close(self) -> None:
        try:
            self.stop()
        except subprocess.TimeoutExpired:
            self.kill()
        _LIVE.pop(self, None)

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def evidence(self) -> tuple[str, str]:
        title = f"mynasim server journal ({self.url})"
        if not self.url.startswith("http://"):
            return title, "unavailable: the admin API of a TLS server is not read here"
        try:
            status, answer = self.admin("journal", {}, timeout=5)
            return title, _clip([_journal_line(e) for e in answer["entries"]])
        except (OSError, http.client.HTTPException, ValueError, KeyError, RuntimeError) as e:
            return title, f"unavailable: {e!r}"


@pytest.fixture
def server_factory(mynasim_binary: pathlib.Path) -> Iterator[Callable[..., Server]]:
    """server_factory(*args) -> a started Server of this test; all are stopped when the test ends."""
    started: list[Server] = []

    def start(*args: Any, start_timeout: float = Server.START_TIMEOUT) -> Server:
        server = Server(mynasim_binary, *args, start_timeout=start_timeout)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


class PcscSimError(RuntimeError):
    pass


class PcscSim:
    """`mynasim sim up -p PROFILE -d DIRECTORY`: a private pcscd (own namespaces, never the machine's) with the
    emulated card in a vpcd reader; `sim down` on close() or when leaving `with`, even if up failed half way.

    environment: os.environ plus the variables of DIRECTORY/env (PCSCLITE_CSOCK_NAME, MYNASIM_READER, …);
    insert(profile_path), remove(), exchanges() -> the card's APDU trace, trace() -> its commands (hex).
    """

    def __init__(self, binary: os.PathLike | str, directory: os.PathLike | str, profile: os.PathLike | str):
        self.binary = os.fspath(binary)
        self.directory = os.fspath(directory)
        up = run(self.binary, "sim", "up", "-p", profile, "-d", self.directory, timeout=120)
        if up.returncode != 0:
            self.close()
            raise PcscSimError(f"mynasim sim up -d {self.directory} failed (exit {up.returncode}): {up.stdout} {up.stderr}")
        _LIVE[self] = None
        self.variables: dict[str, str] = {}
        try:
            with open(os.path.join(self.directory, "env"), encoding="utf-8") as f:
                for line in f:
                    if line.startswith("export "):
                        key, value = line[len("export "):].strip().split("=", 1)
                        self.variables[key] = value.strip("'")
        except BaseException:
            self.close()
            raise
        self.environment = dict(os.environ, **self.variables)

    def ctl(self, *args: Any, timeout: float = 60) -> subprocess.CompletedProcess:
        return run(self.binary, "sim", "ctl", "-d", self.directory, *args, timeout=timeout)

    def remove(self) -> None:
        self.ctl("remove")

    def insert(self, profile: os.PathLike | str) -> None:
        """A fresh card of the profile in the reader (the one there before is removed)."""
        self.remove()
        result = self.ctl("insert", "-p", profile)
        if result.returncode != 0:
            raise PcscSimError(f"cannot insert {profile}: {result.stdout} {result.stderr}")

    def exchanges(self, limit: int = 1000) -> list[dict[str, Any]]:
        result = self.ctl("trace", "--json", "--max", str(limit))
        try:
            return json.loads(result.stdout)["exchanges"]
        except (json.JSONDecodeError, KeyError):
            raise PcscSimError(f"sim ctl trace gave no trace (exit {result.returncode}): {result.stdout} {result.stderr}") from None

    def trace(self) -> list[str]:
        """The commands (hex) the card received since it was inserted."""
        return [e["command"] for e in self.exchanges() if "command" in e]

    def close(self) -> None:
        _LIVE.pop(self, None)
        run(self.binary, "sim", "down", "-d", self.directory, timeout=120)

    def __enter__(self) -> "PcscSim":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def evidence(self) -> tuple[str, str]:
        title = f"mynasim APDU trace ({self.directory})"
        try:
            return title, _clip([_exchange_line(e) for e in self.exchanges()])
        except (OSError, subprocess.SubprocessError, PcscSimError) as e:
            return title, f"unavailable: {e}"


def _clip(lines: list[str]) -> str:
    if len(lines) > _SECTION_LIMIT:
        lines = [f"… {len(lines) - _SECTION_LIMIT} earlier lines left out"] + lines[-_SECTION_LIMIT:]
    return "\n".join(lines) if lines else "(nothing)"


def _short(text: Any, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[:limit - 3] + "…"


def _journal_line(e: dict[str, Any]) -> str:
    status = e.get("status") or e.get("note") or "no answer"
    return f"{e.get('at', '')} {e.get('call', '')} → {status}  request: {_short(e.get('request', ''))}  answer: {_short(e.get('response', ''))}"


def _exchange_line(e: dict[str, Any]) -> str:
    response = e.get("response") or "(no answer)"
    if len(response) > 40:
        response = response[:32] + "…" + response[-4:]
    return f"{e.get('command', '')} → {response}  {e.get('command_text', '')} / {e.get('response_text', '')}"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.when in ("setup", "call"):
        for live in list(_LIVE):
            report.sections.append(live.evidence())
