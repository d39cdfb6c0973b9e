"""A person typing while the resident talks, in a real terminal: `zet tui` in tmux.

Keys go in as bytes, in bursts with 0, 30 and 100 ms between them (0 ms is what
a paste, dictation or a browser over `zet serve` delivers), and the database and
the screen are checked afterwards: every typed character where it belongs, none
lost, none applied to the wrong question; drafts through navigation, kill -9,
ctrl+q and a closed terminal. One app start serves many bursts.
"""

from __future__ import annotations

import os
import shlex
import shutil
import signal
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from tmux_pane import Pane

from zet_tui.core.questionnaire_loader import load_or_raise
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus

pytestmark = pytest.mark.slow

SPACINGS = (0.0, 0.03, 0.1)
CTRL_S, CTRL_B, CTRL_Q, ESC, ENTER = "\x13", "\x02", "\x11", "\x1b", "\r"
SAID = "haar zus heeft 2 keer gebeld, wil niet"


def questionnaire() -> str:
    lines = ["---", "id: typen", "titel: Typen in bursts", "perspectief: inwoner", "versie: 1",
             "---", "", "Een vragenlijst om te typen.", "", "# Ervaring {#e}", ""]
    lines += [f"## Hoe ging onderdeel {n}? {{#e.v{n}}}\n" for n in range(1, 7)]
    lines += ["# Eigen woorden {#w}", ""]
    for n in range(7, 10):
        lines += [f"## Wat wilt u kwijt over deel {n}? {{#w.v{n}}}", "", "- type: tekst", ""]
    lines += ["# Vervolg {#v}", ""]
    lines += [f"## Hoe ging onderdeel {n}? {{#v.v{n}}}\n" for n in range(10, 14)]
    return "\n".join(lines)


def until(condition: Callable[[], object], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def interview(tmp_path: Path) -> Iterator[tuple[Pane, Store, str]]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is niet geïnstalleerd (scripts/test installeert het via apt)")
    zet = Path(sys.executable).parent / "zet"
    source = tmp_path / "typen.md"
    source.write_text(questionnaire(), encoding="utf-8")
    db = tmp_path / "zet.db"
    store = Store.open(db)
    ev = store.create_evaluation("Typen", "Testdorp")
    case = store.add_case(ev.id, "T-01")
    sid = store.start_session(case.id, load_or_raise(source), interviewer="Anna",
                              consent_given=True, consent_by="inwoner").id
    command = (f"env ZET_DB={shlex.quote(str(db))} LANG=C.UTF-8 TERM=xterm-256color "
               f"{shlex.quote(str(zet))} tui --session {sid}")
    pane = Pane(f"zet-typen-{os.getpid()}", command)
    try:
        yield pane, store, sid
    finally:
        pane.kill()
        store.close()


def test_bursts_land_where_the_interviewer_is_going(interview: tuple[Pane, Store, str]) -> None:
    pane, store, sid = interview
    pane.start(keep=True)
    pane.wait_for("Vraag 1 van 13")

    def answers() -> dict[str, object]:
        return dict(store.answers(sid))

    # score, the resident's words (digits, w and n in them), ctrl+s, and the next answer
    # in the same burst: two questions per burst, at each speed
    for i, spacing in enumerate(SPACINGS):
        first, second = f"e.v{2 * i + 1}", f"e.v{2 * i + 2}"
        pane.type(f"4{SAID}{CTRL_S}2nee{ENTER}3w{CTRL_S}", spacing)
        until(lambda second=second: second in answers(), f"{second} at {spacing}s")  # type: ignore[misc]
        saved = store.answers(sid)
        assert (saved[first].score, saved[first].toelichting) == (4, SAID), spacing
        assert (saved[second].score, saved[second].toelichting) == (2, "nee\n3w"), spacing
    pane.wait_for("Vraag 7 van 13")
    # a text question: several lines, Escape keeps the cursor in the answer, and w / n
    # typed after it are letters, never weet niet / n.v.t.
    for i, spacing in enumerate(SPACINGS):
        qid = f"w.v{7 + i}"
        pane.type(f"Veel{ENTER}gedaan{ESC}", spacing)
        time.sleep(spacing)
        pane.type(f"wn{CTRL_S}", spacing)
        until(lambda qid=qid: qid in answers(), f"{qid} at {spacing}s")  # type: ignore[misc]
        text = store.answers(sid)[qid]
        assert (text.status, text.value) == (AnswerStatus.ANSWERED, "Veel\ngedaanwn"), spacing
    pane.wait_for("Vraag 10 van 13")
    # a draft: away (ctrl+b) and back (ctrl+s on the unchanged answer before it)
    pane.type(f"3concept{CTRL_B}")
    pane.wait_for("Vraag 9 van 13")
    until(lambda: "v.v10" in store.drafts(sid), "the draft of question 10")
    assert store.drafts(sid)["v.v10"].toelichting == "concept"
    assert "v.v10" not in store.answers(sid)
    pane.type(CTRL_S)
    screen = pane.wait_for("✎ concept Vraag 10 van 13")
    assert "concept" in screen.split("Vraag 10 van 13 ·")[-1]  # the words are back
    pane.type(f" af{CTRL_S}")
    until(lambda: "v.v10" in answers(), "question 10 saved")
    done = store.answers(sid)["v.v10"]
    assert (done.score, done.toelichting) == (3, "concept af")
    assert store.drafts(sid) == {}
    assert len(store.answers(sid)) == 10


def test_drafts_survive_kill_quit_and_a_closed_terminal(
        interview: tuple[Pane, Store, str]) -> None:
    pane, store, sid = interview
    pane.start(keep=True)
    pane.wait_for("Vraag 1 van 13")
    pane.type("5voor de kill")
    pane.wait_for("voor de kill")
    time.sleep(1.0)  # the draft is written within a second of the change
    os.kill(pane.app_pid(), signal.SIGKILL)
    pane.wait_for("ZET-EXIT=")
    assert store.drafts(sid)["e.v1"].toelichting == "voor de kill"
    assert store.answers(sid) == {}
    pane.kill()
    # reopened: typed at once, before the app has drawn anything; the question shows its
    # draft and the words go on after it. ctrl+q right after: kept, and said so.
    pane.start(keep=True)
    pane.type(" en meer")
    pane.wait_for("voor de kill en meer")
    assert "✎ concept Vraag 1 van 13" in pane.text()
    pane.type(f" nog{CTRL_Q}")
    screen = pane.wait_for("ZET-EXIT=0")
    assert "1 concept bewaard" in " ".join(screen.split())
    draft = store.drafts(sid)["e.v1"]
    assert (draft.score, draft.toelichting) == (5, "voor de kill en meer nog")
    pane.kill()
    # closing the terminal right after typing (before the draft timer ran)
    pane.start(keep=True)
    pane.wait_for("voor de kill en meer nog")
    pane.type(", dicht")
    pane.wait_for("nog, dicht")
    pane.kill()
    until(lambda: store.drafts(sid)["e.v1"].toelichting.endswith(", dicht"), "the last words")
    assert store.answers(sid) == {}
