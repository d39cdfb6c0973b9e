"""`zet analyse` in a real terminal: bursts of keys, Escape, and a terminal that is closed.

Keys go to tmux in bursts (one `send-keys` call with many keys), as an analyst
who knows the keys types them; every coding must land on the answer that was
current when its key arrived, and everything shown as coded is in the database
after the terminal is killed.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from exports_support import PARALLEL
from test_tmux import Pane

from zet_tui.cli import main
from zet_tui.core.coding import Quote
from zet_tui.core.store import Store

pytestmark = pytest.mark.slow


def burst(pane: Pane, *keys: str) -> None:
    subprocess.run(["tmux", "send-keys", "-t", pane.name, *keys], check=True)


def wait_until(check: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(check) and check():
            return
        time.sleep(0.1)
    raise AssertionError("niet binnen de tijd")


def codings(db: Path) -> int:
    with Store.open(db, create=False) as store:
        return len(store.codings())


def quotes(db: Path) -> list[Quote]:
    with Store.open(db, create=False) as store:
        return store.quotes()


def test_coding_in_a_real_terminal(db_path: Path) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is niet geïnstalleerd (scripts/test installeert het via apt)")
    assert main(["demo", "--db", str(db_path), "--questionnaires", str(PARALLEL)]) == 0
    before = codings(db_path)
    zet = Path(sys.executable).parent / "zet"
    name = f"zet-analyse-{os.getpid()}"
    command = (f"env ZET_DB={shlex.quote(str(db_path))} TERM=xterm-256color "
               f"{shlex.quote(str(zet))} analyse --name Ana")
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
                   check=True)
    pane = Pane(name)
    try:
        pane.wait_for("gecodeerd")
        # the picker opens on `c`: what follows in the same burst must reach its search field,
        # Enter must take the code typed, and `n` the polarity (not the screen underneath)
        burst(pane, "o", "c", "overig", "Enter", "n")
        wait_until(lambda: codings(db_path) == before + 1)
        burst(pane, *["o", "."] * 8)             # eight answers in one burst
        wait_until(lambda: codings(db_path) == before + 9)
        with Store.open(db_path, create=False) as store:
            mine = [c for c in store.codings() if c.author == "Ana"]
            assert len({(c.session_id, c.question_id) for c in mine}) == 9  # each on its own answer
            assert {(c.code_id, c.polarity) for c in mine} == {("overig", "neutraal")}
        burst(pane, "o", "f", "w", "w", "m", "Escape")  # a two-word quote, back to the grid
        wait_until(lambda: any(q.author == "Ana" for q in Store.open(
            db_path, create=False).quotes()))
        # A person's Escape and next key are further apart than a terminal's escape delay
        # (Textual: 100 ms); closer, any terminal app reads "Esc M" as alt+M.
        time.sleep(0.3)
        # the quote is the newest mark: its memo, two lines, in the same burst as `M`
        burst(pane, "M", "Waarom dit [/]", "Enter", "regel twee", "C-s")
        wait_until(lambda: any(q.memo for q in quotes(db_path) if q.author == "Ana"))
        subprocess.run(["tmux", "kill-session", "-t", name], check=False)  # terminal closed
        wait_until(lambda: not pane.alive())
        with Store.open(db_path, create=False) as store:
            quote = next(q for q in store.quotes() if q.author == "Ana")
            assert len(quote.fragment.split()) == 2
            assert quote.memo == "Waarom dit [/]\nregel twee"
            assert len([c for c in store.codings() if c.author == "Ana"]) == 9
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], check=False, capture_output=True)
