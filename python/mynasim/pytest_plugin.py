"""pytest plugin for mynasim: fixtures for the card, a real PC/SC environment, the mock server and scenarios.

Enable it with `pytest -p mynasim.pytest_plugin`, or `pytest_plugins = ["mynasim.pytest_plugin"]` in a conftest.py.

Fixtures
  card            an in-process mynasim.Card (profile from the markers below, default "valid")
  card_factory    card_factory("expired-auth-cert") -> a new in-process Card
  pcsc_env        the mynasim.Environment of this pytest session, with a fresh card of the test's profile
                  inserted, and PCSCLITE_CSOCK_NAME / MYNASIM_SIM_DIR / MYNASIM_READER exported for the test
  onshi_server    a mynasim.Server for this test (dataset and clock from the markers below)
  scenario_runner runs scenarios: scenario_runner.run(paths, tags=..., id=...) -> mynasim.RunResult
  mynasim_profile the profile name this test uses

Markers
  @pytest.mark.mynasim_profile("expired-auth-cert")   the card's profile (name or path)
  @pytest.mark.mynasim_profiles(tag="pin")            run the test once per shipped profile with that tag
  @pytest.mark.mynasim_profiles(names=["valid", ...]) ... or once per named profile
  @pytest.mark.mynasim_server(data="d.yaml", clock="2026-05-01T00:00:00Z")   the server's dataset and clock

When a test fails, its report shows the APDU trace of its card and the journal of its server.
"""
from __future__ import annotations

import os
from typing import Any, Callable, Iterator, Optional

import pytest

import mynasim

_SECTION_LIMIT = 200  # lines of trace or journal shown in a failure report


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("mynasim")
    group.addoption("--mynasim-profile", default="valid", help="card profile for tests that name none (default: valid)")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "mynasim_profile(profile): the card profile (name in card-profiles/ or path) of this test")
    config.addinivalue_line("markers", "mynasim_profiles(tag=None, names=None): run this test once per profile with the tag, or per name")
    config.addinivalue_line("markers", "mynasim_server(data=None, clock=None): dataset and clock of the onshi_server fixture")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    marker = metafunc.definition.get_closest_marker("mynasim_profiles")
    if marker is None:
        return
    if not {"card", "pcsc_env", "mynasim_profile"} & set(metafunc.fixturenames):
        raise pytest.UsageError(f"{metafunc.definition.nodeid}: mynasim_profiles needs the card, pcsc_env or mynasim_profile fixture")
    names = marker.kwargs.get("names")
    if names is None:
        tag = marker.kwargs.get("tag", marker.args[0] if marker.args else None)
        names = mynasim.profiles(tag)
        if not names:
            raise pytest.UsageError(f"{metafunc.definition.nodeid}: no shipped profile has the tag {tag!r}")
    metafunc.parametrize("mynasim_profile", list(names), indirect=True, ids=[str(n) for n in names])


@pytest.fixture
def mynasim_profile(request: pytest.FixtureRequest) -> str:
    """The profile of this test: a mynasim_profiles parameter, the mynasim_profile marker, or --mynasim-profile."""
    if hasattr(request, "param"):
        return request.param
    marker = request.node.get_closest_marker("mynasim_profile")
    if marker is not None:
        if not marker.args:
            raise pytest.UsageError(f"{request.node.nodeid}: mynasim_profile needs a profile name or path")
        return marker.args[0]
    return request.config.getoption("--mynasim-profile")


def _traced(request: pytest.FixtureRequest, made: mynasim.Card) -> mynasim.Card:
    """Keeps the card for the test's failure report."""
    request.node.stash[_CARDS] = request.node.stash.get(_CARDS, []) + [made]
    return made


@pytest.fixture
def card(request: pytest.FixtureRequest, mynasim_profile: Any) -> mynasim.Card:
    """An in-process card; `@pytest.mark.parametrize("card", [...], indirect=True)` picks profiles too."""
    return _traced(request, mynasim.Card(getattr(request, "param", mynasim_profile)))


@pytest.fixture
def card_factory(request: pytest.FixtureRequest):
    """card_factory(profile, seed=None) -> a new in-process Card (all of them are traced in failure reports)."""

    def make(profile: Any, seed: Optional[int] = None) -> mynasim.Card:
        return _traced(request, mynasim.Card(profile, seed=seed))

    return make


@pytest.fixture(scope="session")
def mynasim_session_environment() -> Iterator[mynasim.Environment]:
    """One private pcscd for the session: libpcsclite reads PCSCLITE_CSOCK_NAME once per process, so an
    in-process pyscard client can only ever talk to the first environment it saw."""
    with mynasim.Environment("valid", inserted=False) as env:
        yield env


@pytest.fixture
def pcsc_env(request: pytest.FixtureRequest, mynasim_profile: Any, mynasim_session_environment: mynasim.Environment,
             monkeypatch: pytest.MonkeyPatch) -> mynasim.Environment:
    """The session's PC/SC environment with a fresh card of this test's profile inserted, its variables exported."""
    env = mynasim_session_environment
    env.insert(getattr(request, "param", mynasim_profile))
    for key, value in env.environment.items():
        monkeypatch.setenv(key, value)
    request.node.stash[_ENVIRONMENT] = env
    return env


@pytest.fixture
def onshi_server(request: pytest.FixtureRequest, tmp_path) -> Iterator[mynasim.Server]:
    """A mock server of this test only; the mynasim_server marker sets data and clock. Its file-drop folder is tmp_path/files."""
    marker = request.node.get_closest_marker("mynasim_server")
    options = dict(marker.kwargs) if marker else {}
    options.setdefault("files", os.fspath(tmp_path / "files"))
    with mynasim.Server(**options) as server:
        request.node.stash[_SERVER] = server
        yield server


class ScenarioRunner:
    """Runs scenarios from a test: run() returns a mynasim.RunResult and keeps it for the failure report."""

    def __init__(self, out_dir):
        self._out_dir = out_dir
        self.results: list[mynasim.RunResult] = []

    def load(self, paths=None, **selection) -> mynasim.Scenarios:
        """mynasim.Scenarios(paths, **selection): list without running."""
        return mynasim.Scenarios(paths, **selection)

    def run(self, paths=None, *, jobs: int = 1, step_timeout: float = 60.0, waivers=None, write_report: bool = False,
            **selection) -> mynasim.RunResult:
        """Runs the selection (tags=, id=, clients=, shard=); with write_report the reports go to the test's tmp folder."""
        result = mynasim.Scenarios(paths, **selection).run(jobs=jobs, step_timeout=step_timeout, waivers=waivers)
        self.results.append(result)
        if write_report:
            result.write(self._out_dir / f"report-{len(self.results)}")
        return result


@pytest.fixture
def scenario_runner(request: pytest.FixtureRequest, tmp_path) -> ScenarioRunner:
    runner = ScenarioRunner(tmp_path)
    request.node.stash[_RUNNER] = runner
    return runner


_CARDS = pytest.StashKey[list]()
_ENVIRONMENT = pytest.StashKey[mynasim.Environment]()
_SERVER = pytest.StashKey[mynasim.Server]()
_RUNNER = pytest.StashKey[ScenarioRunner]()


def _clip(lines: list[str]) -> str:
    if len(lines) > _SECTION_LIMIT:
        lines = [f"… {len(lines) - _SECTION_LIMIT} earlier lines left out"] + lines[-_SECTION_LIMIT:]
    return "\n".join(lines) if lines else "(nothing)"


def _exchange_line(e: dict[str, Any]) -> str:
    response = e.get("response") or "(no answer)"
    if len(response) > 40:
        response = response[:32] + "…" + response[-4:]
    return f"{e.get('command', '')} → {response}  {e.get('command_text', '')} / {e.get('response_text', '')}"


def _journal_line(e: dict[str, Any]) -> str:
    def short(text: str) -> str:
        text = " ".join(str(text).split())
        return text if len(text) <= 160 else text[:157] + "…"

    status = e.get("status") or e.get("note") or "no answer"
    return f"{e.get('at', '')} {e.get('call', '')} → {status}  request: {short(e.get('request', ''))}  answer: {short(e.get('response', ''))}"


def _live_section(title: str, lines: Callable[[], list[str]]) -> tuple[str, str]:
    """A section read from a running environment or server: the error instead, should reading it fail."""
    try:
        return title, _clip(lines())
    except mynasim.Error as e:
        return title, f"unavailable: {e}"


def _evidence(item: pytest.Item) -> list[tuple[str, str]]:
    sections = []
    for number, made in enumerate(item.stash.get(_CARDS, []), 1):
        sections.append((f"mynasim APDU trace (in-process card {number}: {made.profile['name']})", _clip(made.trace_text().splitlines())))
    env = item.stash.get(_ENVIRONMENT, None)
    if env is not None and env.up:
        sections.append(_live_section("mynasim APDU trace (pcsc_env card)", lambda: [_exchange_line(e) for e in env.trace()]))
    server = item.stash.get(_SERVER, None)
    if server is not None and server.running:
        sections.append(_live_section("mynasim server journal", lambda: [_journal_line(e) for e in server.journal()]))
    runner = item.stash.get(_RUNNER, None)
    if runner is not None:
        lines = []
        for result in runner.results:
            for case in result.cases:
                if not case.passed:
                    lines.append(f"{case.verdict.upper()} {case.id}" + (f": {case.error}" if case.error else ""))
                    lines.extend(f"    {failure}" for failure in case.failures)
        if lines:
            sections.append(("mynasim scenario results", _clip(lines)))
    return sections


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()
    if report.failed and call.when in ("setup", "call"):
        for title, text in _evidence(item):
            report.sections.append((title, text))
