"""Figures that need the Textual app: cold start, key-press latency, peak memory.

Each is measured the same way for `zet` and for a minimal Textual app, so the
ratio cancels out the machine:

- cold start: both run as a fresh `python` process on a pseudo-terminal (120x40,
  xterm-256color); the clock runs from spawn until the question text appears in
  the bytes written to the terminal (escape sequences stripped). Median of N.
- peak memory: the same processes, left running 1 s after the question is on
  screen; VmHWM from /proc/PID/status just before the kill (see `_vm_hwm` for
  why not ru_maxrss; it is the fallback where /proc is missing).
- key press to next question: in-process under Pilot (`run_test`): a score key
  plus the send key go to the driver, then we poll until the question widget
  shows the next question and the refresh after it has run. The minimal app
  does the same round trip with no work; its median (the harness and Textual
  overhead) is subtracted from every sample.

Until `ZetApp` can open a session directly (`session_id=`), these rows print
n/a instead of a number.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import inspect
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reliability_harness import fill_answers, start_session, write_questionnaire

from benchlib.common import Figure, not_available, percentile
from zet_tui.core.store import Store

# Keys that answer a smiley question with 3 and send it; adjust here if the app changes.
SCORE_KEYS: tuple[str, ...] = ("3", "ctrl+s")
QUESTION_WIDGET = "#current-question"
ANSI = re.compile(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[@-Z\\-_]")

MINIMAL_APP = textwrap.dedent('''
    """The baseline: the smallest Textual app that shows one line of text."""
    import sys
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, Static


    class Minimal(App[None]):
        def compose(self) -> ComposeResult:
            yield Header()
            yield Static(sys.argv[1], id="current-question")
            yield Footer()


    Minimal().run()
''')


def question_text(n: int) -> str:
    return f"Hoe ging onderdeel {n}?"


def app_status() -> str:
    """'' when the app can open a session directly, else why not."""
    try:
        from zet_tui.app.app import ZetApp
    except Exception as exc:  # the figure says why, the bench goes on
        return f"n/a (zet_tui.app not importable: {exc})"
    if "session_id" not in inspect.signature(ZetApp.__init__).parameters:
        return "n/a (app not on main yet: ZetApp cannot open a session directly)"
    return ""


def cli_status() -> str:
    """'' when `zet tui --session ID` exists (the pty figures start the app that way)."""
    status = app_status()
    if status:
        return status
    proc = subprocess.run([sys.executable, "-m", "zet_tui", "tui", "--help"], capture_output=True,
                          text=True, check=False, cwd="/")
    if "--session" not in proc.stdout:
        return "n/a (app not on main yet: 'zet tui --session' is missing)"
    return ""


# -- fixtures --------------------------------------------------------------------------
def make_session(workdir: Path, name: str, n_questions: int, prefilled: int) -> tuple[Path, str]:
    q = write_questionnaire(workdir / f"{name}.md", n_questions, conditions=False)
    db = workdir / f"{name}.db"
    with Store.open(db) as store:
        sid = start_session(store, q)
        if prefilled:
            fill_answers(store, sid, q, prefilled)
    return db, sid


def _env(workdir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "ZET_"))}
    env.update({"TERM": "xterm-256color", "COLORTERM": "truecolor", "LANG": "C.UTF-8",
                "LC_ALL": "C.UTF-8", "XDG_DATA_HOME": str(workdir / "xdg"),
                "XDG_CONFIG_HOME": str(workdir / "xdg"),  # no remembered colours or names
                "COLUMNS": "120", "LINES": "40"})
    (workdir / "xdg").mkdir(exist_ok=True)
    return env


# -- pseudo-terminal runs ------------------------------------------------------------------
def run_on_pty(argv: list[str], marker: str, env: dict[str, str], *, timeout: float = 30.0,
               linger: float = 0.0, cols: int = 120, rows: int = 40) -> tuple[float, int]:
    """(seconds from spawn until `marker` is on the terminal, peak RSS in KiB)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                            start_new_session=True, close_fds=True, cwd=env["XDG_DATA_HOME"])
    os.close(slave)
    seen: float | None = None
    buf = b""
    needle = marker.encode()
    try:
        deadline = t0 + timeout
        while time.perf_counter() < deadline:
            if seen is not None and time.perf_counter() - t0 >= seen + linger:
                break
            ready, _, _ = select.select([master], [], [], 0.05)
            if not ready:
                if proc.poll() is not None:
                    break
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                break
            if seen is None:
                buf += chunk
                if needle in ANSI.sub(b"", buf):
                    seen = time.perf_counter() - t0
    finally:
        peak = _vm_hwm(proc.pid)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        _, _, usage = os.wait4(proc.pid, 0)
        proc.returncode = -9
        os.close(master)
    if seen is None:
        tail = ANSI.sub(b"", buf)[-300:].decode(errors="replace")
        raise RuntimeError(f"'{marker}' did not appear within {timeout:.0f} s: {tail!r}")
    return seen, peak if peak is not None else int(usage.ru_maxrss)


def _vm_hwm(pid: int) -> int | None:
    """Peak RSS (KiB) of the process image itself.

    Not `ru_maxrss`: Linux carries the RSS of the forking parent into the child's
    maxrss at exec, so every child of this (large) bench process would report at
    least the bench's own size. VmHWM belongs to the exec'd memory map only."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except (OSError, ValueError):
        return None
    return None


def _commands(workdir: Path, db: Path, sid: str, n: int) -> tuple[list[str], list[str]]:
    minimal = workdir / "minimal_app.py"
    minimal.write_text(MINIMAL_APP, encoding="utf-8")
    zet = [sys.executable, "-m", "zet_tui", "tui", "--db", str(db), "--session", sid]
    base = [sys.executable, str(minimal), question_text(n)]
    return zet, base


def cold_start_figure(workdir: Path, runs: int = 5) -> Figure:
    name, target = "cold start to first question (pty)", "<= 1.3x minimal app"
    status = cli_status()
    if status:
        return not_available(name, target, status)
    db, sid = make_session(workdir, "cold", 40, 0)
    zet, base = _commands(workdir, db, sid, 1)
    env = _env(workdir)
    run_on_pty(base, question_text(1), env)  # warm the disk cache for both
    run_on_pty(zet, question_text(1), env)
    ours, theirs = [], []
    for _ in range(runs):  # alternate, so drift hits both alike
        theirs.append(run_on_pty(base, question_text(1), env)[0])
        ours.append(run_on_pty(zet, question_text(1), env)[0])
    m, b = percentile(ours, 50), percentile(theirs, 50)
    return Figure(name, m, "s", target, m / b <= 1.3, b,
                  f"minimal Textual app (Header, Static, Footer), median of {runs}",
                  details={"zet_s": ours, "minimal_s": theirs})


def memory_figure(workdir: Path) -> Figure:
    name, target = "peak memory, 200-question session open", "<= 80 MiB"
    status = cli_status()
    if status:
        return not_available(name, target, status)
    db, sid = make_session(workdir, "mem", 200, 199)
    zet, base = _commands(workdir, db, sid, 200)
    env = _env(workdir)
    _, ours = run_on_pty(zet, question_text(200), env, linger=1.0)
    _, theirs = run_on_pty(base, question_text(200), env, linger=1.0)
    mib, base_mib = ours / 1024, theirs / 1024
    return Figure(name, mib, "MiB", target, mib <= 80, base_mib,
                  "minimal Textual app, same terminal, VmHWM of the process")


# -- key press to next question (Pilot) ----------------------------------------------------
async def _send_keys(app: Any, keys: tuple[str, ...]) -> None:
    """What `pilot.press` does, without its wait-for-idle pauses (~50 ms each on a
    2-core machine), which would drown the figure we want."""
    from textual import events

    for key in keys:
        event = events.Key(key, key if len(key) == 1 else None)
        event.set_sender(app)
        app._driver.send_message(event)
    await asyncio.sleep(0)


async def _round_trips(app: Any, presses: int, read: Callable[[Any], str],
                       first: int) -> list[float]:
    """Milliseconds from sending the keys until the next question is rendered: the
    question widget shows the next question and the refresh after that change has run."""
    samples: list[float] = []
    async with app.run_test(size=(120, 40)) as pilot:
        for _ in range(200):
            if question_text(first) in read(app):
                break
            await pilot.pause(0.02)
        else:
            raise RuntimeError(f"'{question_text(first)}' not shown; saw {read(app)[:80]!r}")
        await pilot.pause()
        for n in range(first + 1, first + 1 + presses):
            t0 = time.perf_counter()
            await _send_keys(app, SCORE_KEYS)
            # The score alone changes the line too (it is marked as a concept): wait for
            # the next question itself.
            while question_text(n) not in read(app):
                if time.perf_counter() - t0 > 2.0:
                    raise RuntimeError(f"keys {SCORE_KEYS} did not move to the next question")
                await asyncio.sleep(0.0005)
            rendered = asyncio.Event()
            app.call_after_refresh(rendered.set)
            await rendered.wait()
            samples.append((time.perf_counter() - t0) * 1000)
            await pilot.pause()  # let the app settle before the next press
    return samples


def _read_widget(app: Any) -> str:
    try:
        widget = app.screen.query_one(QUESTION_WIDGET)
    except Exception:
        return ""
    return str(getattr(widget, "content", "") or getattr(widget, "renderable", ""))


def _minimal_app(start: int) -> Any:
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Footer, Static

    class Minimal(App[None]):
        BINDINGS = [Binding("ctrl+s", "next", "Volgende")]  # noqa: RUF012

        def __init__(self) -> None:
            super().__init__()
            self.n = start

        def compose(self) -> ComposeResult:
            yield Static(question_text(self.n), id="current-question")
            yield Footer()

        def action_next(self) -> None:
            self.n += 1
            self.query_one("#current-question", Static).update(question_text(self.n))

    return Minimal()


def key_latency_figures(workdir: Path, presses: int = 30) -> list[Figure]:
    names = ("key press to next question at q1, p95 (net)",
             "key press to next question at q200, p95 (net)")
    target = "p95 <= 50 ms, no growth"
    status = app_status()
    if status:
        return [not_available(n, target, status) for n in names]
    from zet_tui.app.app import ZetApp

    total = 200 + presses + 5
    db1, sid1 = make_session(workdir, "keys1", total, 0)
    db2, sid2 = make_session(workdir, "keys200", total, 199)
    base = asyncio.run(_round_trips(_minimal_app(1), presses, _read_widget, 1))
    overhead = percentile(base, 50)
    try:
        at1 = asyncio.run(_round_trips(ZetApp(db1, session_id=sid1), presses, _read_widget, 1))
        at200 = asyncio.run(_round_trips(ZetApp(db2, session_id=sid2), presses, _read_widget,
                                         200))
    except Exception as exc:
        return [not_available(n, target, f"n/a ({exc})") for n in names]
    net1 = [max(0.0, s - overhead) for s in at1]
    net200 = [max(0.0, s - overhead) for s in at200]
    p1, p200 = percentile(net1, 95), percentile(net200, 95)
    no_growth = p200 <= 1.25 * p1 + 5.0
    label = (f"minimal Textual app, same Pilot round trip (median {overhead:.1f} ms, "
             "subtracted from every sample)")
    return [
        Figure(names[0], p1, "ms", target, p1 <= 50, percentile(base, 95), label,
               details={"raw_ms": at1, "overhead_ms": overhead}),
        Figure(names[1], p200, "ms", target, p200 <= 50 and no_growth, percentile(base, 95), label,
               note=f"growth q200/q1: {p200 - p1:+.1f} ms (allowed: 25% + 5 ms)",
               details={"raw_ms": at200, "overhead_ms": overhead}),
    ]
