"""Scenarios from Python: list them, run them, read the results as objects, write the reports.

The same code as `mynasim run` (scenarios/README.md describes the YAML format).
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Sequence, Union

from . import _mynasim

PathLike = Union[str, "os.PathLike[str]"]


@dataclass(frozen=True)
class Failure:
    """One expectation that did not hold: what was expected, what happened, where it is written."""

    step: int
    expectation: str
    expected: str
    actual: str
    where: str

    def __str__(self) -> str:
        return f"step {self.step} {self.expectation}: expected {self.expected}, actual {self.actual} ({self.where})"


@dataclass(frozen=True)
class CaseResult:
    """The outcome of one case, with its evidence (APDU trace and server journal)."""

    id: str
    verdict: str  # pass | fail | error | waived
    client: str
    duration_ms: int
    error: str
    failures: list[Failure]
    steps: list[dict[str, Any]]
    apdus: list[dict[str, Any]]
    journal: list[dict[str, Any]]
    waiver: str
    raw: dict[str, Any] = field(repr=False)

    @property
    def passed(self) -> bool:
        return self.verdict in ("pass", "waived")

    @staticmethod
    def from_report(entry: dict[str, Any]) -> "CaseResult":
        evidence = entry.get("evidence", {})
        return CaseResult(
            id=entry["id"],
            verdict=entry["verdict"],
            client=entry.get("client", ""),
            duration_ms=entry.get("duration_ms", 0),
            error=entry.get("error", ""),
            failures=[Failure(f["step"], f["expectation"], f["expected"], f["actual"], f["where"]) for f in entry.get("failures", [])],
            steps=entry.get("steps", []),
            apdus=evidence.get("apdus", []),
            journal=evidence.get("journal", []),
            waiver=entry.get("waiver", ""),
            raw=entry,
        )


class RunResult:
    """A finished run: every case's result, the totals, and the report (report.json's content)."""

    def __init__(self, report: dict[str, Any]):
        self.report = report
        self.cases = [CaseResult.from_report(c) for c in report["cases"]]

    @property
    def totals(self) -> dict[str, int]:
        return dict(self.report["totals"])

    @property
    def passed(self) -> bool:
        """True when no case failed or errored (waived cases count as passed)."""
        return all(c.passed for c in self.cases)

    def case(self, case_id: str) -> CaseResult:
        for c in self.cases:
            if c.id == case_id:
                return c
        raise KeyError(case_id)

    def write(self, out: PathLike, sign_key: Optional[PathLike] = None) -> list[str]:
        """Writes report.json, junit.xml, index.html and the signed manifest.json into `out`.

        Without `sign_key` (an Ed25519 private key, PEM) a throwaway TEST key signs the manifest.
        Returns the names of the files written.
        """
        return _mynasim._write_report(self.report, os.fspath(out), None if sign_key is None else os.fspath(sign_key))

    def __repr__(self) -> str:
        t = self.totals
        return f"<RunResult {t['pass']} passed, {t['fail']} failed, {t['error']} errors, {t['waived']} waived of {t['cases']}>"


class Scenarios:
    """A selection of scenarios: files or folders (default: the shipped scenarios/), filtered by tags and an id glob.

    Loading is strict: a broken file raises mynasim.LoadError naming file:line:col.
    """

    def __init__(
        self,
        paths: Optional[Iterable[PathLike]] = None,
        *,
        clients: Sequence[str] = ("reference",),
        tags: Sequence[str] = (),
        id: Optional[str] = None,
        shard: Optional[str] = None,
        profiles: Optional[PathLike] = None,
        requirements: Optional[PathLike] = None,
    ):
        self._selection = _mynasim._Selection()
        self._selection.paths = [os.fspath(p) for p in (paths or [])]
        self._selection.clients = [os.fspath(c) for c in clients]
        self._selection.tags = list(tags)
        self._selection.id = id
        self._selection.shard = shard
        self._selection.profiles = None if profiles is None else os.fspath(profiles)
        self._selection.requirements = None if requirements is None else os.fspath(requirements)
        self._scenarios = _mynasim._scenarios(self._selection)  # loads now: errors surface here

    @property
    def scenarios(self) -> list[dict[str, Any]]:
        """Each scenario: id, title, file, tags, requirements, clients, and its selected case ids."""
        return list(self._scenarios)

    def cases(self) -> list[dict[str, Any]]:
        """The selected cases: id, client, scenario, title, file, tags, requirements, parameters, profile."""
        return _mynasim._cases(self._selection)

    def run(
        self,
        *,
        jobs: int = 1,
        step_timeout: float = 60.0,
        waivers: Optional[PathLike] = None,
        on_case: Optional[Callable[[dict[str, Any]], None]] = None,
    ) -> RunResult:
        """Runs the selected cases, each on a private pcscd with a fresh card and its own mock server.

        jobs: parallel workers. step_timeout: seconds a client step may take before it is killed.
        on_case: called after each case with {id, verdict, duration_ms, error}.
        """
        report = _mynasim._run(
            self._selection, jobs=jobs, step_timeout=step_timeout,
            waivers=None if waivers is None else os.fspath(waivers), on_case=on_case)
        return RunResult(report)

    def __len__(self) -> int:
        return sum(len(s["cases"]) for s in self._scenarios)

    def __repr__(self) -> str:
        return f"<Scenarios {len(self._scenarios)} scenarios, {len(self)} cases>"
