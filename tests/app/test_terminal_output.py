"""The real `zet` on a pseudo-terminal: what reaches the terminal byte for byte.

Under Pilot nothing is written to a terminal, so two guarantees are checked here:
stored escape sequences (clear screen, OSC 52 clipboard write, window title) are
shown as `␛...` and never sent as escapes, and a crash ends with one Dutch line and
a non-zero exit, without the traceback's local variables (interview text).
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from zet_tui.core.answers import Answer
from zet_tui.core.store import Session, Store
from zet_tui.core.vocab import AnswerStatus

pytestmark = pytest.mark.slow
ANSI = re.compile("\x1b(?:\\[[0-?]*[ -/]*[@-~]|\\][^\x07\x1b]*(?:\x07|\x1b\\\\)|[=>])")

OSC52 = "\x1b]52;c;R0VIRUlN\x07"  # "write GEHEIM to the clipboard"
TITLE = "\x1b]0;PWNED\x07"
CRASH_DRIVER = """
import sys
from zet_tui.app import app as app_module

def on_mount(self):
    toelichting = "GEHEIM-" + "interviewtekst"
    raise RuntimeError("kapot bij " + toelichting)

app_module.ZetApp.on_mount = on_mount
from zet_tui.cli import main
sys.exit(main(["tui", "--db", sys.argv[1]]))
"""


class Terminal:
    """A process on a pseudo-terminal of 120x40; `output` is every byte it wrote."""

    def __init__(self, argv: list[str], tmp_path: Path) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
               "XDG_DATA_HOME": str(tmp_path / "xdg"), "COLUMNS": "120", "LINES": "40"}
        env.pop("ZET_DEBUG", None)
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True, cwd=tmp_path)
        os.close(slave)
        self.output = b""

    def read_until(self, needle: bytes | None, timeout: float = 30.0) -> None:
        """Read until `needle` was written (or, with None, until the process ended)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle is not None and needle in self.output:
                return
            ready, _, _ = select.select([self.master], [], [], 0.05)
            if ready:
                try:
                    self.output += os.read(self.master, 65536)
                except OSError:  # the process closed the terminal
                    return
            elif self.proc.poll() is not None:
                return
        raise AssertionError(f"{needle!r} not written within {timeout}s: {self.output[-500:]!r}")

    def type(self, keys: bytes) -> None:
        os.write(self.master, keys)

    def close(self) -> int:
        try:
            return self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.proc.pid, signal.SIGKILL)
            return self.proc.wait()
        finally:
            os.close(self.master)


def test_stored_escape_sequences_are_shown_never_sent(
        db_path: Path, open_session: Session, store: Store, tmp_path: Path) -> None:
    store.save_answer(open_session.id, Answer(
        "toegang.wist-waar", AnswerStatus.ANSWERED, score=4,
        toelichting=f"eerst{OSC52} dan{TITLE} wissen\x1b[2J en \u202eomgekeerd"), actor="Anna")
    term = Terminal([sys.executable, "-m", "zet_tui", "tui", "--db", str(db_path),
                     "--session", open_session.id], tmp_path)
    try:
        term.read_until("␛]52;c;R0VIRUlN␇".encode())
        term.read_until("␛]0;PWNED␇".encode())
        term.type(b"\x11")  # ctrl+q
        term.read_until(None)
    finally:
        code = term.close()
    assert code == 0
    assert b"]52;c;R0VIRUlN\x07" not in term.output  # no clipboard write
    assert b"\x1b]0;PWNED" not in term.output  # no window title
    assert "\u202e".encode() not in term.output and b"\\u202eomgekeerd" in term.output


def test_a_crash_is_one_dutch_line_without_locals_and_a_private_log(
        db_path: Path, store: Store, tmp_path: Path) -> None:
    driver = tmp_path / "crash_driver.py"
    driver.write_text(CRASH_DRIVER, encoding="utf-8")
    term = Terminal([sys.executable, str(driver), str(db_path)], tmp_path)
    try:
        term.read_until(None)
    finally:
        code = term.close()
    text = ANSI.sub("", term.output.decode("utf-8", errors="replace"))
    assert code == 70, text[-800:]
    assert "GEHEIM" not in text and "Traceback" not in text and "locals" not in text
    lines = [line for line in text.replace("\r", "\n").splitlines() if line.startswith("zet: ")]
    assert len(lines) == 1 and "onverwachte fout in de app (RuntimeError)" in lines[0], text[-800:]
    log = tmp_path / "xdg" / "zet-tui" / "crash.log"
    assert str(log) in lines[0]
    assert log.stat().st_mode & 0o777 == 0o600
    content = log.read_text(encoding="utf-8")
    assert "RuntimeError" in content and "on_mount" in content and "GEHEIM" not in content


def test_commands_show_stored_escapes_on_a_terminal(
        db_path: Path, open_session: Session, store: Store, tmp_path: Path) -> None:
    store.create_evaluation(f"Wijk{OSC52}team{TITLE}", "Dorp\u202e")
    term = Terminal([sys.executable, "-m", "zet_tui", "evaluations", "--db", str(db_path)],
                    tmp_path)
    try:
        term.read_until(None)
    finally:
        code = term.close()
    assert code == 0
    assert "Wijk␛]52;c;R0VIRUlN␇team␛]0;PWNED␇ (Dorp\\u202e)".encode() in term.output
    assert b"\x1b" not in term.output
