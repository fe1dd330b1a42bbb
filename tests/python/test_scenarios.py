"""mynasim.Scenarios and the scenario_runner fixture: load, list, run, results as objects, reports."""
import json
import subprocess

import pytest

import mynasim


def test_the_shipped_scenarios_load():
    scenarios = mynasim.Scenarios()
    assert len(scenarios.scenarios) >= 29
    cases = scenarios.cases()
    assert len(cases) == len(scenarios) >= 71
    assert {"id", "client", "scenario", "title", "file", "tags", "requirements", "parameters", "profile"} <= set(cases[0])
    assert all(c["requirements"] for c in cases)


def test_selection_by_tag_and_id():
    pin = mynasim.Scenarios(tags=["pin"])
    assert pin.scenarios and all("pin" in s["tags"] for s in pin.scenarios)
    one = mynasim.Scenarios(id="pin-confirm*")
    assert [c["id"] for c in one.cases()] and all(c["id"].startswith("pin-confirm") for c in one.cases())


def test_shards_split_the_selection():
    everything = [c["id"] for c in mynasim.Scenarios().cases()]
    shards = [[c["id"] for c in mynasim.Scenarios(shard=f"{k}/3").cases()] for k in (1, 2, 3)]
    assert sorted(sum(shards, [])) == sorted(everything)


def test_run_results_as_objects_and_a_verified_report(scenario_runner, repo, tmp_path):
    folder = repo / "tests/data/failing-scenarios"
    seen = []
    result = mynasim.Scenarios([folder]).run(jobs=1, on_case=seen.append)
    assert not result.passed
    assert result.totals == {"cases": 2, "pass": 1, "fail": 1, "error": 0, "waived": 0}
    assert sorted(s["id"] for s in seen) == ["control", "deliberately-wrong"]
    control, wrong = result.case("control"), result.case("deliberately-wrong")
    assert control.passed and control.verdict == "pass"
    assert wrong.verdict == "fail"
    assert {f.expectation for f in wrong.failures} >= {"exit", "journal.not_called", "apdu.not_contains"}
    assert any("wrong_pin" in f.expected for f in wrong.failures)
    assert all(f.where.startswith(str(folder)) for f in wrong.failures)
    assert any(e["command_text"].startswith("VERIFY") for e in wrong.apdus)
    assert any(e["call"] == "/v2/confirmations" for e in wrong.journal)
    files = result.write(tmp_path / "report")
    assert {"report.json", "junit.xml", "index.html"} <= set(files)
    assert json.loads((tmp_path / "report" / "report.json").read_text())["totals"]["fail"] == 1
    verified = subprocess.run([mynasim.binary(), "report", "verify", str(tmp_path / "report")], capture_output=True, text=True)
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_waivers_from_python(repo):
    folder = repo / "tests/data/failing-scenarios"
    result = mynasim.Scenarios([folder / "wrong-expectations.yaml"]).run(waivers=folder / "waivers.yaml.txt")
    assert result.passed
    assert result.cases[0].verdict == "waived" and result.cases[0].waiver


def test_scenario_runner_fixture(scenario_runner):
    result = scenario_runner.run(id="pin-confirm*", write_report=True)
    assert result.passed, [str(f) for c in result.cases for f in c.failures]
    assert len(scenario_runner.load(id="pin-confirm*")) == len(result.cases)


# Bad input.

def test_every_broken_scenario_names_file_line_col(repo):
    broken = sorted((repo / "tests/data/bad-scenarios").glob("*.yaml"))
    assert len(broken) >= 20
    for file in broken:
        with pytest.raises(mynasim.LoadError) as caught:
            mynasim.Scenarios([file])
        error = caught.value
        assert error.file == str(file), str(error)
        assert str(error).startswith(f"{file}:{error.line}:{error.column}: ")


def test_bad_shard():
    with pytest.raises(mynasim.ScenarioError, match="K/N"):
        mynasim.Scenarios(shard="4/3")


def test_unknown_client():
    with pytest.raises(mynasim.ScenarioError, match="no file 'vendor.yaml'"):
        mynasim.Scenarios(clients=["vendor.yaml"])


def test_running_nothing_is_an_error():
    with pytest.raises(mynasim.ScenarioError, match="no case selected"):
        mynasim.Scenarios(id="no-such-case-*").run()


def test_missing_scenario_path():
    with pytest.raises(mynasim.Error):
        mynasim.Scenarios(["/no/such/scenarios"])
