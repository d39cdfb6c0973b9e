"""The core must never import Textual: the CLI, exports and tests run without a screen."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

CORE = Path(__file__).parents[2] / "zet_tui" / "core"
EXPORT = Path(__file__).parents[2] / "zet_tui" / "export"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), str(path))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_core_or_export_module_imports_textual() -> None:
    files = list(CORE.rglob("*.py")) + list(EXPORT.rglob("*.py"))
    assert files
    offenders = [
        f"{f}: {m}" for f in files for m in imported_modules(f)
        if m == "textual" or m.startswith("textual.") or m.startswith("zet_tui.app")
    ]
    assert offenders == []


def test_importing_every_core_module_leaves_textual_unloaded() -> None:
    mods = [f"zet_tui.core.{p.stem}" for p in CORE.glob("*.py") if p.stem != "__init__"]
    code = (
        "import importlib, sys\n"
        f"for m in {mods!r}: importlib.import_module(m)\n"
        "import zet_tui.cli\n"
        "sys.exit(1 if any(k == 'textual' or k.startswith('textual.') for k in sys.modules)"
        " else 0)\n"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
