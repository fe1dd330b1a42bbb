#!/usr/bin/env python3
"""Example 3: a new card profile and a new scenario written by QA, run from Python, with a signed report.

The profile is a card whose auth PIN has 2 tries left; the scenario checks that one wrong PIN through the
reference client leaves 1 try and that the server was never asked. Nothing here touches C++.

Run: PYTHONPATH=build/python /usr/bin/python3 python/examples/new_scenario.py [OUT_DIR]
"""
import pathlib
import sys
import tempfile

import mynasim

# `extends` is a path relative to this file, or absolute: here the shipped valid.yaml.
PROFILE = """\
description: QA example - auth PIN with 2 tries left
extends: {shipped}/valid
tags: [pin, qa-example]
jpki:
  auth_pin_tries_left: 2
"""

SCENARIO = """\
scenario: 1
id: qa-wrong-pin-two-left
title: One wrong PIN on a card with 2 tries leaves 1 and asks the server nothing
requirements: [PIN-VERIFY-01, PIN-NORETRY-01]
tags: [qa-example]
setup:
  card: qa-two-tries.yaml
steps:
  - client: confirm --pin 9999
    expect:
      exit: wrong_pin
      card: {tries_left: 1}
      journal: {not_called: [/v2/confirmations]}
"""


def main() -> int:
    out = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else pathlib.Path(tempfile.mkdtemp(prefix="mynasim-example-"))
    folder = out / "qa"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "qa-two-tries.yaml").write_text(PROFILE.format(shipped=mynasim.profile_dir()))
    (folder / "qa-wrong-pin.yaml").write_text(SCENARIO)

    card = mynasim.Card(folder / "qa-two-tries.yaml")  # the profile loads: a typo would be a LoadError with file:line:col
    print("profile:", card.profile["description"], "- auth tries left:", card.tries_left("auth"))

    scenarios = mynasim.Scenarios([folder / "qa-wrong-pin.yaml"])
    print("cases:", [c["id"] for c in scenarios.cases()])
    result = scenarios.run(on_case=lambda c: print(f"  {c['verdict']:5} {c['id']} ({c['duration_ms']} ms)"))
    for case in result.cases:
        for failure in case.failures:
            print("   ", failure)
    files = result.write(out / "report")
    print(f"{result!r}; reports in {out / 'report'}: {', '.join(files)}")
    return 0 if result.passed else 1


if __name__ == "__main__":
    sys.exit(main())
