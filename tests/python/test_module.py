"""The package itself: importable, typed, documented, and its stub in step with the compiled core."""
import ast
import inspect
import pathlib
import subprocess
import sys

import mynasim
from mynasim import _mynasim


def test_import_from_a_clean_interpreter():
    result = subprocess.run([sys.executable, "-c", "import mynasim; print(mynasim.__version__, mynasim.binary())"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    version, binary = result.stdout.split()
    assert version.count(".") == 2 and pathlib.Path(binary).is_file()


def test_the_stub_and_py_typed_ship_with_the_package():
    folder = pathlib.Path(mynasim.__file__).parent
    assert (folder / "py.typed").exists() and (folder / "_mynasim.pyi").exists()


def test_the_stub_names_exactly_what_the_core_has():
    stub = ast.parse((pathlib.Path(mynasim.__file__).parent / "_mynasim.pyi").read_text())
    for node in stub.body:
        if isinstance(node, ast.ClassDef):
            compiled = getattr(_mynasim, node.name)
            stubbed = {n.name for n in node.body if isinstance(n, ast.FunctionDef)} | {
                n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
            # __init__ exists on every class (Exchange's refuses): compared only where the stub has one.
            actual = {name for name in dir(compiled) if not name.startswith("__") or name in ("__enter__", "__exit__")}
            stubbed.discard("__init__")
            assert stubbed == actual, f"{node.name}: stub only {sorted(stubbed - actual)}, core only {sorted(actual - stubbed)}"
        elif isinstance(node, ast.FunctionDef):
            assert hasattr(_mynasim, node.name), node.name
    functions = {n.name for n in stub.body if isinstance(n, ast.FunctionDef)}
    compiled_functions = {name for name, value in vars(_mynasim).items() if inspect.isbuiltin(value)}
    assert functions == compiled_functions


def test_help_is_useful():
    # help() shows each class's docstring and its methods with theirs.
    expected = {"Card": "Sends one command APDU", "Environment": "PCSCLITE_CSOCK_NAME", "Server": "Adds a fault",
                "Scenarios": "Runs the selected cases", "RunResult": "signed manifest.json"}
    for name, phrase in expected.items():
        assert len(inspect.getdoc(getattr(mynasim, name)) or "") > 80, name
        text = subprocess.run([sys.executable, "-c", f"import mynasim; help(mynasim.{name})"], capture_output=True, text=True,
                              env={"PYTHONPATH": ":".join(sys.path), "PAGER": "cat"}).stdout
        assert phrase in text, f"help(mynasim.{name}) lacks {phrase!r}"


def test_every_public_name_is_exported():
    for name in mynasim.__all__:
        assert hasattr(mynasim, name), name


def test_errors_share_a_base():
    for error in (mynasim.LoadError, mynasim.CardError, mynasim.PcscEnvironmentError, mynasim.ServerError, mynasim.ScenarioError):
        assert issubclass(error, mynasim.Error)
