# The pytest suite of the Python module: run with PYTHONPATH=build/python (CTest's python.pytest does).
import pathlib

import pytest

pytest_plugins = ["mynasim.pytest_plugin", "pytester"]

REPO = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture
def repo() -> pathlib.Path:
    return REPO
