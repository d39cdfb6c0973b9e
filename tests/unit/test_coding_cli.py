"""The coding commands as a script uses them: same checks as the screen, one Dutch line on
bad input, non-zero exit, nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from zet_tui.cli import main
from zet_tui.core.answers import Answer
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import Store
from zet_tui.core.vocab import AnswerStatus

Q = "toegang.wist-waar"
TEXT = "Ik moest drie keer bellen. Drie keer! Het duurde \x1b[2J lang."


@pytest.fixture
def db(db_path: Path, mini: Questionnaire) -> Path:
    with Store.open(db_path) as store:
        ev = store.create_evaluation("Evaluatie Noord")
        case = store.add_case(ev.id, "K-01")
        s = store.start_session(case.id, mini, consent_given=True, consent_by="inwoner")
        store.save_answer(s.id, Answer(Q, AnswerStatus.ANSWERED, score=1, toelichting=TEXT))
        store.save_answer(s.id, Answer("toegang.wachten", AnswerStatus.ANSWERED, value="ja"))
    return db_path


def run(db: Path, *args: str) -> int:
    return main([*args, "--db", str(db)])


def test_code_add_list_reanchor_remove(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = ("--case", "K-01", "--perspective", "inwoner", "--question", Q)
    assert run(db, "code", "add", *base, "--code", "zelf-achteraan",
               "--fragment", "drie keer bellen", "--name", "Ana") == 0
    out = capsys.readouterr().out
    assert "zelf-achteraan (knelpunt) op fragment 'drie keer bellen'" in out  # from score 1
    assert run(db, "code", "add", *base, "--code", "wachttijd", "--polarity", "neutraal") == 0
    assert "op het hele antwoord" in capsys.readouterr().out
    assert run(db, "code", "list", "--json") == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["code"], r["polarity"], r["fragment"], r["start"]) for r in rows] == [
        ("zelf-achteraan", "knelpunt", "drie keer bellen", 9), ("wachttijd", "neutraal", "", None)]
    first = rows[0]["id"]
    with Store.open(db) as store:
        s = store.sessions()[0]
        store.save_answer(s.id, Answer(Q, AnswerStatus.ANSWERED, score=1,
                                       toelichting="Eerst dit. " + TEXT))
    assert run(db, "code", "list") == 0
    assert "⚠ controleren" in capsys.readouterr().out
    assert run(db, "code", "reanchor", first[:8]) == 0
    assert "'drie keer bellen' (20-36)" in capsys.readouterr().out
    assert run(db, "code", "remove", first[:8]) == 0
    assert run(db, "code", "list", "--code", "zelf-achteraan") == 0
    assert "Nog geen coderingen." in capsys.readouterr().out


@pytest.mark.parametrize(("args", "message"), [
    (("--code", "wachtijd"), "code 'wachtijd' staat niet in het codeboek; bedoelt u wachttijd?"),
    (("--code", "wachttijd", "--question", "toegang.wist"), "(bedoelt u toegang.wist-waar"),
    (("--code", "wachttijd", "--fragment", "drie keer", "--start", "1"), "niet allebei"),
    (("--code", "wachttijd", "--fragment", "keer"), "staat 2 keer in de toelichting"),
    (("--code", "wachttijd", "--fragment", "bestaat niet"), "staat niet in de toelichting"),
    (("--code", "wachttijd", "--start", "3"), "geef zowel --start als --end"),
    (("--code", "wachttijd", "--start", "3", "--end", "999"), "valt buiten de toelichting"),
    (("--code", "wachttijd", "--question", "plan.wie"), "heeft in deze sessie geen antwoord"),
    (("--code", "wachttijd", "--perspective", "dossier"), "heeft geen dossier-sessie"),
])
def test_bad_input_is_one_line_and_writes_nothing(db: Path, capsys: pytest.CaptureFixture[str],
                                                  args: tuple[str, ...], message: str) -> None:
    base = {"--case": "K-01", "--perspective": "inwoner", "--question": Q}
    base.update(dict(zip(args[::2], args[1::2], strict=False)))
    flat = [x for k, v in base.items() for x in (k, v)]
    assert run(db, "code", "add", *flat) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
    with Store.open(db) as store:
        assert store.codings() == []


def test_a_fragment_with_escapes_is_printed_visibly(db: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "quote", "add", "--case", "K-01", "--perspective", "inwoner", "--question", Q,
               "--fragment", "duurde \x1b[2J lang") == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "␛[2J" in out
    assert run(db, "quote", "list") == 0
    assert "␛[2J" in capsys.readouterr().out
    assert run(db, "quote", "add", "--case", "K-01", "--perspective", "inwoner",
               "--question", Q) == 1
    assert "een citaat is een fragment" in capsys.readouterr().err


def test_case_notes_from_the_command_line(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "summary", "set", "--case", "K-01", "--hulpvraag", "Schulden",
               "--totaalbeeld", "Liep goed") == 0
    assert run(db, "summary", "set", "--case", "K-01", "--knelpunten", "Wachten") == 0
    assert run(db, "summary", "show", "--json") == 0
    summary = json.loads(capsys.readouterr().out.split("\n", 2)[2])["K-01"]
    assert summary == {"hulpvraag": "Schulden", "knelpunten": "Wachten",
                       "succesfactoren": "", "totaalbeeld": "Liep goed"}
    assert run(db, "attribute", "set", "--case", "K-01", "Domein", "jeugd") == 0
    assert run(db, "attribute", "list") == 0
    assert "domein: jeugd" in capsys.readouterr().out
    assert run(db, "divergence", "add", "--case", "K-01", "--theme", "toegang",
               "--between", "inwoner", "dossier", "--question", Q, "dossier zegt iets anders") == 0
    assert run(db, "divergence", "list") == 0
    assert "inwoner ↔ dossier: dossier zegt iets anders" in capsys.readouterr().out
    assert run(db, "divergence", "add", "--case", "K-01", "--theme", "nergens",
               "--between", "inwoner", "dossier", "x") == 1
    assert "thema 'nergens' komt niet voor" in capsys.readouterr().err
    assert run(db, "recommendation", "set", "laag_thema:toegang", "Bel binnen een dag") == 0
    assert run(db, "recommendation", "list") == 0
    assert "laag_thema:toegang: Bel binnen een dag" in capsys.readouterr().out
    assert run(db, "summary", "set", "--case", "K-99", "--hulpvraag", "x") == 1
    assert "casus 'K-99' niet gevonden" in capsys.readouterr().err


def test_a_broken_codebook_is_reported_with_its_lines(db: Path, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "codeboek.md"
    bad.write_text("---\nid: x\n---\n## Zonder id\n")
    assert run(db, "code", "add", "--codebook", str(bad), "--case", "K-01", "--perspective",
               "inwoner", "--question", Q, "--code", "x") == 1
    err = capsys.readouterr().err
    assert f"{bad}:4: code 'Zonder id' heeft geen id" in err
    assert "het codeboek heeft" in err.splitlines()[-1]


def test_analyse_needs_a_terminal_and_an_evaluation(db: Path, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db, "analyse") == 2  # under pytest, input is no terminal
    assert "heeft een terminal nodig" in capsys.readouterr().err
    assert main(["analyse", "--db", str(tmp_path / "weg.db")]) == 1
    assert "database bestaat niet" in capsys.readouterr().err
    assert not (tmp_path / "weg.db").exists()
    assert run(db, "analyse", "--evaluation", "Onbekend") == 1
    assert "evaluatie 'Onbekend' niet gevonden" in capsys.readouterr().err
