"""Key-to-screen latency in a real pseudo-terminal: the bytes a terminal receives.

Pilot reads widgets, not frames, and its own pauses wake the screen; what a
person sees is the frame written to the terminal. So: start the program on a
pty (120x40, xterm-256color), write key bytes to it, and stop the clock when
the bytes read back (escape sequences stripped) hold the expected text.

- ctrl+s to the next question: a score key first (its frame is let through),
  then ctrl+s; the clock stops at the frame that holds "Vraag N+1 van".
- typing into the toelichting: one character at a time; the clock stops at the
  frame that holds the text typed so far.

Each is measured against a minimal Textual app doing the same round trip (a
Static that moves on with ctrl+s; a TextArea), alternating runs in the same
bench run, so the ratio cancels out the machine.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import select
import signal
import struct
import subprocess
import sys
import termios
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from benchlib.app_bench import ANSI, _env, cli_status, make_session
from benchlib.common import Figure, not_available, percentile

SCORE_KEY = b"3"
SAVE_KEY = b"\x13"  # ctrl+s
#: Words typed into the toelichting, one character per sample.
TYPED = "zus belde twee keer, wil niet"
#: The chat bubble of question n (two spaces where the question line has " · ").
CHAT_MARKER = "Vraag {n} van {total}  Hoe"
#: A sample over this is a "second-long outlier" (the status tick repaints once a second).
OUTLIER_S = 0.5

MINIMAL_STEP_APP = textwrap.dedent('''
    """Baseline: the smallest Textual app that shows a question and an answer field and moves on with ctrl+s."""
    import sys
    from textual.app import App, ComposeResult
    from textual.binding import Binding
    from textual.widgets import Footer, Header, Static, TextArea


    class Minimal(App[None]):
        BINDINGS = [Binding("ctrl+s", "next", "Volgende", priority=True)]

        def __init__(self, start: int, total: int) -> None:
            super().__init__()
            self.n, self.total = start, total

        def line(self) -> str:
            return f"Vraag {self.n} van {self.total} · Hoe ging onderdeel {self.n}?"

        def compose(self) -> ComposeResult:
            yield Header()
            yield Static(self.line(), id="question")
            yield TextArea(id="toelichting")
            yield Footer()

        def on_mount(self) -> None:
            self.query_one(TextArea).focus()

        def action_next(self) -> None:
            # The same visible step: the next question, an empty answer field.
            self.n += 1
            self.query_one("#question", Static).update(self.line())
            self.query_one(TextArea).text = ""


    Minimal(int(sys.argv[1]), int(sys.argv[2])).run()
''')


class PtyProgram:
    """A program on a pseudo-terminal: write keys, read what the terminal receives."""

    def __init__(self, argv: list[str], env: dict[str, str], *, cols: int = 120,
                 rows: int = 40) -> None:
        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True,
                                     cwd=env["XDG_DATA_HOME"])
        os.close(slave)

    def read(self, timeout: float) -> bytes:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return b""
        try:
            return os.read(self.master, 65536)
        except OSError:
            return b""

    def wait_for(self, text: str, timeout: float = 30.0) -> float:
        """Seconds until `text` is in what the terminal received from now on."""
        return self.wait_for_all([text], timeout)[0]

    def wait_for_all(self, texts: list[str], timeout: float = 30.0) -> list[float]:
        """Seconds until each of `texts` is in what the terminal received from now on."""
        t0 = time.perf_counter()
        buf = b""
        seen: dict[str, float] = {}
        while time.perf_counter() - t0 < timeout:
            chunk = self.read(0.02)
            if chunk:
                buf += chunk
                plain = ANSI.sub(b"", buf)
                for text in texts:
                    if text not in seen and text.encode() in plain:
                        seen[text] = time.perf_counter() - t0
                if len(seen) == len(texts):
                    return [seen[t] for t in texts]
            elif self.proc.poll() is not None:
                break
        missing = [t for t in texts if t not in seen]
        tail = ANSI.sub(b"", buf)[-300:].decode(errors="replace")
        raise RuntimeError(f"{missing!r} did not reach the terminal within {timeout:.0f} s: "
                           f"{tail!r}")

    def quiet(self, seconds: float = 0.15) -> None:
        """Read and drop output until the terminal has been quiet for `seconds`."""
        deadline = time.perf_counter() + 5.0
        while time.perf_counter() < deadline and self.read(seconds):
            pass

    def key_to_text(self, key: bytes, *texts: str, timeout: float = 5.0) -> list[float]:
        """Seconds from writing `key` until the terminal received each of `texts`."""
        self.quiet(0.05)
        os.write(self.master, key)
        return self.wait_for_all(list(texts), timeout)

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        os.close(self.master)


@contextlib.contextmanager
def running(argv: list[str], env: dict[str, str], ready: str) -> Iterator[PtyProgram]:
    program = PtyProgram(argv, env)
    try:
        program.wait_for(ready)
        program.quiet(0.4)  # the probes, toelichting and theme rows follow the first frame
        yield program
    finally:
        program.close()


def step(program: PtyProgram, n: int, total: int, chat: str | None = None) -> list[float]:
    """A score, then ctrl+s: seconds until the frame with "Vraag n van total" (and until
    the frame with `chat`, formatted with n and total: the chat's bubble of question n)."""
    os.write(program.master, SCORE_KEY)
    program.quiet(0.1)
    texts = [f"Vraag {n} van {total}"] + ([chat.format(n=n, total=total)] if chat else [])
    return program.key_to_text(SAVE_KEY, *texts)


def start_typing(program: PtyProgram) -> None:
    """A score (the cursor is in the toelichting) and a first character: it replaces the
    placeholder, a different frame, and is not counted."""
    os.write(program.master, SCORE_KEY)
    program.quiet(0.1)
    program.key_to_text(TYPED[0].encode(), TYPED[0])


def typed(program: PtyProgram, n: int) -> float:
    """Seconds until the frame that holds the first `n` characters of TYPED, the last one
    just typed."""
    [took] = program.key_to_text(TYPED[n - 1].encode(), TYPED[:n])
    return took


def _commands(workdir: Path, db: Path, sid: str) -> tuple[list[str], Callable[[int, int], list[str]]]:
    minimal = workdir / "minimal_step_app.py"
    minimal.write_text(MINIMAL_STEP_APP, encoding="utf-8")
    zet = [sys.executable, "-m", "zet_tui", "tui", "--db", str(db), "--session", sid]
    return zet, lambda start, total: [sys.executable, str(minimal), str(start), str(total)]


def _figure(name: str, ours: list[float], base: list[float], target_ratio: float,
            label: str) -> Figure:
    p95, b95 = percentile(ours, 95) * 1000, percentile(base, 95) * 1000
    worst = max(ours)
    ok = p95 <= target_ratio * b95 and worst < OUTLIER_S
    return Figure(name, p95, "ms", f"<= {target_ratio:g}x minimal app, none >= {OUTLIER_S:g} s",
                  ok, b95, label,
                  note=(f"p50 {percentile(ours, 50) * 1000:.1f} ms vs "
                        f"{percentile(base, 50) * 1000:.1f} ms; max {worst * 1000:.0f} ms vs "
                        f"{max(base) * 1000:.0f} ms"),
                  details={"zet_ms": [round(s * 1000, 2) for s in ours],
                           "minimal_ms": [round(s * 1000, 2) for s in base]})


def pty_figures(workdir: Path, presses: int = 40) -> list[Figure]:
    """Both programs run side by side and take turns, one sample each, so a busy moment on
    a shared machine hits both alike."""
    names = ("ctrl+s to next question at q1, pty p95",
             "ctrl+s to next question at q200, pty p95",
             "typing into the toelichting, pty p95")
    status = cli_status()
    if status:
        return [not_available(n, "<= 1.5x minimal app", status) for n in names]
    total = 200 + presses + 5
    env = _env(workdir)
    figures = []
    for name, prefilled in ((names[0], 0), (names[1], 199)):
        db, sid = make_session(workdir, f"pty{prefilled}", total, prefilled)
        zet, minimal = _commands(workdir, db, sid)
        first = prefilled + 1
        ready = f"Vraag {first} van {total}"
        ours: list[float] = []
        base: list[float] = []
        chat: list[float] = []
        with running(minimal(first, total), env, ready) as theirs, \
                running(zet, env, ready) as mine:
            for n in range(first + 1, first + 1 + presses):
                base += step(theirs, n, total)
                took, follow = step(mine, n, total, CHAT_MARKER)
                ours.append(took)
                chat.append(follow)
        figure = _figure(name, ours, base, 1.5,
                         "minimal Textual app (Header, Static, TextArea, Footer): ctrl+s shows "
                         "the next question and empties the field, same pty, turn about")
        figure.note += (f"; the chat (new bubbles, scrolled) follows in the next frame: p50 "
                        f"{percentile(chat, 50) * 1000:.1f} ms, p95 {percentile(chat, 95) * 1000:.1f} ms")
        figure.details["chat_ms"] = [round(s * 1000, 2) for s in chat]
        figures.append(figure)
    db, sid = make_session(workdir, "ptytype", total, 0)
    zet, minimal = _commands(workdir, db, sid)
    ready = f"Vraag 1 van {total}"
    try:
        with running(minimal(1, total), env, ready) as theirs, running(zet, env, ready) as mine:
            start_typing(theirs)
            start_typing(mine)
            base, ours = [], []
            for n in range(2, len(TYPED) + 1):
                if TYPED[n - 1].isspace():
                    # a typed space cannot be told from the padding after the line before it
                    os.write(theirs.master, b" ")
                    os.write(mine.master, b" ")
                    continue
                base.append(typed(theirs, n))
                ours.append(typed(mine, n))
    except RuntimeError as exc:  # typed text never shown: the figure says so
        figures.append(not_available(names[2], "<= 1.5x minimal app", f"n/a ({exc})"))
        figures[-1].ok = False
        return figures
    figures.append(_figure(names[2], ours, base, 1.5,
                           "minimal Textual app, the same characters into a focused TextArea, "
                           "turn about"))
    return figures
