"""mynasim for Python: the My Number card simulator, its PC/SC environments, the mock
オンライン資格確認等システム and the scenario runner, built from the same C++ code as the `mynasim` CLI.

    import mynasim
    card = mynasim.Card("valid")                       # in-process card from card-profiles/valid.yaml
    data, sw = card.transmit("00A4040C0AD392F000260100000001")
    with mynasim.Environment("valid") as env: ...      # private pcscd + vpcd + the card
    with mynasim.Server() as server: ...               # the mock server on 127.0.0.1
    result = mynasim.Scenarios(tags=["pin"]).run()     # scenarios, results as objects

pytest: `pytest -p mynasim.pytest_plugin` gives the fixtures card, pcsc_env, onshi_server and scenario_runner
(python/README.md).
"""
from . import errors
from ._mynasim import Card, Environment, Exchange, Server, __version__, binary, load_profile, profile_dir, scenario_dir
from .apdu import Response
from .errors import CardError, Error, LoadError, PcscEnvironmentError, ScenarioError, ServerError
from .scenarios import CaseResult, Failure, RunResult, Scenarios

__all__ = [
    "Card", "CardError", "CaseResult", "Environment", "Error", "Exchange", "Failure", "LoadError", "PcscEnvironmentError",
    "Response", "RunResult", "ScenarioError", "Scenarios", "Server", "ServerError", "__version__", "binary", "errors", "load_profile",
    "profiles",
    "profile_dir", "scenario_dir",
]


def profiles(tag: str | None = None) -> list[str]:
    """Names of the shipped card profiles (card-profiles/), those with `tag` when given, sorted."""
    import pathlib

    names = []
    for file in sorted(pathlib.Path(profile_dir()).glob("*.yaml")):
        if tag is None or tag in load_profile(file)["tags"]:
            names.append(file.stem)
    return names
