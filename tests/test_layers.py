"""The layers run one way, and the build says so: import-linter's contracts (pyproject.toml)
hold on the tree, and a wrong-way import breaks them."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = shutil.which("lint-imports", path=str(Path(sys.executable).parent))


def lint(src: Path, config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([LINT_IMPORTS, "--config", str(config), "--no-cache"],
                          capture_output=True, text=True, cwd=src.parent,
                          env={"PYTHONPATH": str(src), "PATH": "/usr/bin:/bin"})


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package and of its contracts, to break without touching the real one."""
    shutil.copytree(ROOT / "src" / "runrecover", tmp_path / "src" / "runrecover",
                    ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_contracts_hold_on_the_tree(tree: Path):
    result = lint(tree / "src", tree / "pyproject.toml")
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(("module", "line", "contract"), [
    ("render/status.py", "from runrecover import store", "Views show answers"),
    ("rules/windows.py", "import sqlmodel", "Rules are pure"),
    ("store.py", "from runrecover.questions import status", "Layers run one way"),
    ("questions/status.py", "from runrecover.render import console", "Layers run one way"),
])
def test_a_wrong_way_import_breaks_the_build(tree: Path, module: str, line: str,
                                             contract: str):
    path = tree / "src" / "runrecover" / module
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}  # noqa\n", encoding="utf-8")
    result = lint(tree / "src", tree / "pyproject.toml")
    assert result.returncode != 0
    assert f"{contract}" in result.stdout and "BROKEN" in result.stdout
