"""The pytest plugin, seen from a QA engineer's own test files (run in a separate pytest process)."""
import pytest

pytest_plugins = ["pytester"]


def run(pytester: pytest.Pytester, *arguments: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "mynasim.pytest_plugin", "-p", "no:cacheprovider", *arguments, timeout=300)


def test_markers_fixtures_and_parametrisation(pytester):
    pytester.makepyfile(test_qa="""
        import pytest, mynasim

        def test_default_profile(card):
            assert card.profile["name"] == "valid"

        @pytest.mark.mynasim_profile("auth-pin-locked")
        def test_marked(card):
            assert card.locked("auth")

        @pytest.mark.mynasim_profiles(tag="pin")
        def test_every_pin_profile(card):
            assert "pin" in card.profile["tags"]

        @pytest.mark.mynasim_profiles(names=["valid", "expired-auth-cert"])
        def test_named(mynasim_profile, card):
            assert card.profile["name"] == mynasim_profile

        def test_factory(card_factory):
            assert card_factory("pin-tries-left-1").tries_left("auth") == 1
    """)
    result = run(pytester, "-v")
    result.assert_outcomes(passed=2 + 5 + 2 + 1)
    result.stdout.fnmatch_lines(["*test_every_pin_profile?auth-pin-locked? PASSED*", "*test_named?expired-auth-cert? PASSED*"])


def test_default_profile_option(pytester):
    pytester.makepyfile(test_qa="""
        def test_default(card):
            assert card.profile["name"] == "person-2"
    """)
    run(pytester, "--mynasim-profile", "person-2").assert_outcomes(passed=1)


def test_a_failing_test_shows_its_apdu_trace_and_server_journal(pytester):
    pytester.makepyfile(test_qa="""
        def test_wrong_expectation(card, onshi_server):
            card.transmit("00A4040C0AD392F000260100000001")
            onshi_server.post("/v2/challenge", "", tag="qa")
            assert card.transmit("00A4020C020018").sw == 0x6A82

        def test_passing(card, onshi_server):
            card.transmit("00A4040C0AD392F000260100000001")
    """)
    result = run(pytester)
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines([
        "*mynasim APDU trace (in-process card 1: valid)*",
        "00A4040C0AD392F000260100000001 → 9000 SELECT JPKI AP",
        "00A4020C020018 → 9000 SELECT EF 0018 (auth PIN)",
        "*mynasim server journal*",
        "*/v2/challenge → 200*<Challenge>*",
    ])
    assert result.stdout.str().count("mynasim APDU trace") == 1  # the passing test shows nothing


def test_a_failing_pcsc_test_shows_the_readers_trace(pytester):
    pytester.makepyfile(test_qa="""
        import pytest
        from smartcard.System import readers

        @pytest.mark.mynasim_profile("auth-pin-locked")
        def test_locked_card(pcsc_env):
            connection = readers()[0].createConnection()
            connection.connect()
            connection.transmit(list(bytes.fromhex("00A4040C0AD392F000260100000001")))
            assert pcsc_env.status()["tries_left"]["auth"] == 3
    """)
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*mynasim APDU trace (pcsc_env card)*", "00A4040C0AD392F000260100000001 → 9000  SELECT JPKI AP*"])


def test_a_failing_scenario_run_lists_its_failures(pytester, repo):
    folder = repo / "tests/data/failing-scenarios"
    pytester.makepyfile(test_qa=f"""
        def test_scenarios(scenario_runner):
            assert scenario_runner.run([{str(folder)!r}]).passed
    """)
    result = run(pytester)
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*mynasim scenario results*", "FAIL deliberately-wrong", "*step 1 exit: expected wrong_pin*"])


def test_marker_mistakes_are_usage_errors(pytester):
    pytester.makepyfile(test_qa="""
        import pytest

        @pytest.mark.mynasim_profiles(tag="no-such-tag")
        def test_none(card):
            pass
    """)
    result = run(pytester)
    assert result.ret != 0
    result.stdout.fnmatch_lines(["*test_qa.py::test_none: no shipped profile has the tag 'no-such-tag'*"])


def test_a_broken_marked_profile_fails_with_its_location(pytester, repo):
    broken = repo / "tests/data/bad-profiles/duplicate-key.yaml"
    pytester.makepyfile(test_qa=f"""
        import pytest

        @pytest.mark.mynasim_profile({str(broken)!r})
        def test_broken(card):
            pass
    """)
    result = run(pytester)
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*LoadError: *duplicate-key.yaml:*:*: *"])
