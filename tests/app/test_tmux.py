"""Drive the real `zet` command in a tmux pane, then check the answers in the database.

This is the only test that goes through a real terminal: key escape sequences,
the driver, start-up from the console script. Keys are sent one at a time with
a short gap, as a person types: Textual applies a focus change (Tab) after the
keys already read in the same burst.
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
from tmux_pane import Pane

from zet_tui.core.store import Session, Store

pytestmark = pytest.mark.slow
MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini.md"


def test_real_zet_command_in_tmux(db_path: Path, open_session: Session, store: Store) -> None:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is niet geïnstalleerd (scripts/test installeert het via apt)")
    zet = Path(sys.executable).parent / "zet"
    assert zet.exists(), zet
    name = f"zet-test-{os.getpid()}"
    command = (f"env ZET_DB={shlex.quote(str(db_path))} ZET_QUESTIONNAIRES={shlex.quote(str(MINI))} "
               f"TERM=xterm-256color {shlex.quote(str(zet))}")
    subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30", command],
                   check=True)
    pane = Pane(name)
    try:
        screen = pane.wait_for("Doorgaan met open sessie")
        assert "Casus K-01" in screen
        pane.keys("Enter")                       # continue the open session
        pane.wait_for("Vraag 1 van 6 · Wist u waar u terecht kon?")
        pane.keys("4", "C-s")                    # smiley 4
        pane.wait_for("Vraag 2 van 6 · Moest u lang wachten?")
        pane.keys("1", "C-s")                    # ja (the conditional question appears)
        pane.wait_for("Vraag 3 van 7 · Hoe was het wachten?")
        pane.keys("2")                           # smiley 2: the cursor moves on to the toelichting
        pane.keys("Te lang, wel duidelijk.", literal=True)
        pane.keys("C-s")
        pane.wait_for("Vraag 4 van 7 · Wanneer was het eerste gesprek?")
        pane.keys("31-02-2024", literal=True)    # an impossible date is refused inline
        pane.keys("Enter")
        pane.wait_for("geen bestaande datum")
        pane.keys("C-u")
        pane.keys("14-03-2024", literal=True)
        pane.keys("Enter")
        pane.wait_for("Vraag 5 van 7 · Hoeveel hulpverleners")
        pane.keys("C-q")
        deadline = time.monotonic() + 10
        while pane.alive() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not pane.alive(), "zet did not quit on ctrl+q"
        # reopen: the open session continues at the right question, with its history
        subprocess.run(["tmux", "new-session", "-d", "-s", name, "-x", "100", "-y", "30",
                        command], check=True)
        pane.wait_for("Doorgaan met open sessie")
        pane.keys("Enter")
        pane.wait_for("Vraag 5 van 7 · Hoeveel hulpverleners")
        pane.wait_for("14-03-2024")  # the history of the theme is rebuilt, the date as typed
        pane.keys("7", literal=True)
        pane.keys("Enter")
        pane.wait_for("Vraag 6 van 7 · Wie maakte het plan?")
        # closing the terminal mid-interview loses nothing that was confirmed on screen
        subprocess.run(["tmux", "kill-session", "-t", name], check=True)
    finally:
        subprocess.run(["tmux", "kill-session", "-t", name], capture_output=True, check=False)
    answers = store.answers(open_session.id)
    assert answers["toegang.wist-waar"].score == 4
    assert answers["toegang.wachten"].value == "ja"
    assert answers["toegang.wachten-ervaring"].score == 2
    assert answers["toegang.wachten-ervaring"].toelichting == "Te lang, wel duidelijk."
    assert answers["plan.datum"].value == "2024-03-14"
    assert answers["plan.aantal"].value == "7"
    assert "plan.wie" not in answers
    kinds = [e.kind for e in store.events(open_session.id)]
    assert kinds.count("answer_created") == 5
