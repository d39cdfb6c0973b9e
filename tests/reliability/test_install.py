"""zet-tui installed the way pipx installs it: a wheel, non-editable, in a fresh venv.

Nothing of the checkout may be reachable there: the test builds the wheel from a
copy of the sources, installs it with its declared dependencies (pinned by
constraints.txt, so pip's cache serves them), and runs the commands from a
folder outside the repository. This is what catches a questionnaire folder that
is not package data, a dependency used but not declared, or a module missing
from the package list.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import select
import shutil
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from openpyxl import load_workbook

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("pyproject.toml", "setup.py", "README.md", "zet_tui", "questionnaires")
ANSI = re.compile(rb"\x1b(\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


def _run(argv: list[str | Path], *, env: dict[str, str], cwd: Path,
         timeout: float = 300) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([str(a) for a in argv], capture_output=True, text=True, env=env, cwd=cwd,
                          timeout=timeout, check=False)
    assert proc.returncode == 0, f"{argv} -> {proc.returncode}\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}"
    return proc


def _clean_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("ZET_", "PYTHON", "VIRTUAL_ENV", "TEXTUAL"))}
    env.update({"HOME": str(home), "XDG_DATA_HOME": str(home / "data"), "LANG": "C.UTF-8",
                "LC_ALL": "C.UTF-8", "TERM": "xterm-256color"})
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str], Path]:
    """(bin folder of the fresh venv, environment, a work folder outside the repository)."""
    base = tmp_path_factory.mktemp("install")
    src = base / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in SOURCES:
        item = ROOT / name
        if item.is_dir():
            shutil.copytree(item, src / name, ignore=ignore)
        else:
            shutil.copy2(item, src / name)
    work = base / "work"
    work.mkdir()
    env = _clean_env(work)
    _run([sys.executable, "-m", "pip", "wheel", "--quiet", "--disable-pip-version-check",
          "--no-deps", "--wheel-dir", base / "dist", src], env=env, cwd=work)
    wheel = next((base / "dist").glob("zet_tui-*.whl"))
    venv = base / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", venv], env=env, cwd=work)
    _run([sys.executable, "-m", "pip", "--python", venv / "bin" / "python", "install", "--quiet",
          "--disable-pip-version-check", "-c", ROOT / "constraints.txt", wheel], env=env, cwd=work)
    return venv / "bin", env, work


def test_the_wheel_carries_the_questionnaires_and_no_checkout_is_used(
        installed: tuple[Path, dict[str, str], Path]) -> None:
    bin_dir, env, work = installed
    where = _run([bin_dir / "python", "-c", "import zet_tui, sys; print(zet_tui.__file__)"],
                 env=env, cwd=work).stdout.strip()
    assert "site-packages" in where and not where.startswith(str(ROOT))
    check = _run([bin_dir / "zet", "questionnaires", "check"], env=env, cwd=work).stdout
    for name in ("inwoner", "professional", "dossier", "wmo-checklist"):
        assert re.search(rf"site-packages/zet_tui/questionnaires/{name}\.md: ok", check), check


def test_demo_export_and_the_app_run_from_the_installed_wheel(
        installed: tuple[Path, dict[str, str], Path]) -> None:
    bin_dir, env, work = installed
    db = work / "zet.db"
    demo = _run([bin_dir / "zet", "--db", db, "demo"], env=env, cwd=work).stdout
    assert "Demo-evaluatie" in demo and "9 sessies" in demo
    assert "Demo-evaluatie regio Veenhorst" in demo  # the second, regional demo
    folder = Path(_run([bin_dir / "zet", "--db", db, "export", "--evaluation", "Demo-evaluatie Voorbeeldstad",
                        "--out", work / "exports"], env=env, cwd=work).stdout.strip().splitlines()[-1])
    assert (folder / "evaluatierapport.md").is_file()
    workbook = load_workbook(folder / "antwoorden.xlsx", read_only=True)
    assert "Inwoner" in workbook.sheetnames
    workbook.close()
    screen, code = _start_app([str(bin_dir / "zet"), "--db", str(db)], "Gesprek met de inwoner",
                              env, work)
    assert "Geen vragenlijsten gevonden" not in screen
    assert code == 0, screen[-500:]


def _start_app(argv: list[str], marker: str, env: dict[str, str], cwd: Path,
               timeout: float = 60) -> tuple[str, int | None]:
    """Start the app on a pseudo-terminal, wait for `marker` on screen, quit with ctrl+q;
    (the screen text without escape codes, exit code)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=cwd,
                            start_new_session=True, close_fds=True)
    os.close(slave)
    raw = b""
    try:
        deadline = time.monotonic() + timeout
        quit_sent = False
        while time.monotonic() < deadline and proc.poll() is None:
            if not quit_sent and marker.encode() in ANSI.sub(b"", raw):
                os.write(master, b"\x11")  # ctrl+q
                quit_sent = True
            if select.select([master], [], [], 0.1)[0]:
                try:
                    raw += os.read(master, 65536)
                except OSError:
                    break
        screen = ANSI.sub(b"", raw).decode(errors="replace")
        assert quit_sent, f"{marker!r} not on screen within {timeout} s: {screen[-800:]!r}"
        return screen, proc.wait(timeout=10)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        os.close(master)
