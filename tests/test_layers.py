"""Imports point down: the contracts in pyproject.toml ([tool.importlinter]) hold, so a new upward import fails here."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_imports_keep_the_layers_of_pyproject():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    # --no-cache: a run must read today's code, and the tree gets no cache directory.
    result = subprocess.run([str(lint_imports), "--no-cache"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[result.stdout.find("Contracts"):] + result.stderr
