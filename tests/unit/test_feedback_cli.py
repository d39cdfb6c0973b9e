"""`zet feedback`, `zet verbeterpunt`, `zet compare` and `zet demo --follow-up` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from exports_support import PARALLEL
from feedback_support import ROUND_ONE, make_round

from zet_tui.cli import main
from zet_tui.core.store import Store


def run(db: Path, *argv: str) -> int:
    return main([*argv, "--db", str(db)])


@pytest.fixture
def round_one(db_path: Path) -> str:
    with Store.open(db_path) as st:
        return make_round(st, "Ronde 1", ROUND_ONE).id


def test_meeting_flow(db_path: Path, round_one: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db_path, "feedback", "findings", "--evaluation", "Ronde 1") == 0
    out = capsys.readouterr().out
    assert "F1   [knelpunt] Knelpunt bij Integraal plan (werkzaam element)" in out
    assert "F2   [verschil tussen perspectieven] Verschil tussen inwoner en professional" in out
    assert "nog niet besproken" in out
    assert run(db_path, "feedback", "add-finding", "-e", round_one[:8], "Wachttijden onbekend") == 0
    assert "Bevinding F3 toegevoegd" in capsys.readouterr().out
    assert run(db_path, "feedback", "react", "-e", "Ronde 1", "F2", "--herkend", "deels",
               "--uitleg", "Alleen bij jongeren") == 0
    assert run(db_path, "feedback", "meeting", "-e", "Ronde 1", "--datum", "2025-09-18",
               "--aanwezig", "Wethouder, Team Noord", "--notities", "gemeentehuis") == 0
    assert "2 aanwezigen: Wethouder, Team Noord" in capsys.readouterr().out
    assert run(db_path, "verbeterpunt", "add", "-e", "Ronde 1", "Afstemming verbeteren", "--eigenaar",
               "Teamleider", "--deadline", "2026-03-01", "--thema", "samenwerking", "--bevinding", "F1",
               "--bevinding", "F3") == 0
    assert "Verbeterpunt V1 toegevoegd" in capsys.readouterr().out
    assert run(db_path, "verbeterpunt", "status", "V1", "in_uitvoering", "-e", "Ronde 1") == 0
    assert "in uitvoering" in capsys.readouterr().out
    assert run(db_path, "verbeterpunt", "update", "V1", "-e", "Ronde 1", "--deadline", "2026-03-31") == 0
    assert "eigenaar Teamleider, deadline 31-03-2026" in capsys.readouterr().out
    assert run(db_path, "verbeterpunt", "update", "V1", "-e", "Ronde 1", "--deadline", "morgen") == 1
    assert "morgen" in capsys.readouterr().err
    assert run(db_path, "verbeterpunt", "list", "-e", "Ronde 1") == 0
    out = capsys.readouterr().out
    assert "V1" in out and "[in uitvoering] Afstemming verbeteren" in out
    assert "bevindingen F1, F3; thema's Samenwerking" in out and "open (" in out and "→ in uitvoering (" in out
    assert run(db_path, "feedback", "findings", "-e", "Ronde 1") == 0
    assert "deels herkend: Alleen bij jongeren" in capsys.readouterr().out
    with Store.open(db_path) as st:
        assert [m.attendees for m in st.meetings(round_one)] == [("Wethouder", "Team Noord")]
        kinds = [e.kind for e in st.evaluation_events(round_one)]
    assert kinds.count("finding_reaction") == 1 and "meeting_added" in kinds
    assert kinds.count("improvement_changed") == 2  # status, then deadline


@pytest.mark.parametrize(("argv", "message"), [
    (["feedback", "findings", "-e", "bestaat-niet"], "niet gevonden"),
    (["feedback", "react", "-e", "Ronde 1", "F9", "--herkend", "ja"], "bevinding 'F9' niet gevonden"),
    (["feedback", "meeting", "-e", "Ronde 1", "--datum", "18 sep", "--aanwezig", "A"], "dd-mm-jjjj"),
    (["feedback", "meeting", "-e", "Ronde 1", "--datum", "2025-13-01", "--aanwezig", "A"],
     "geen bestaande datum"),
    (["verbeterpunt", "add", "-e", "Ronde 1", "x", "--deadline", "morgen"], "'morgen' is geen datum"),
    (["verbeterpunt", "add", "-e", "Ronde 1", "x", "--bevinding", "F7"], "F7"),
    (["verbeterpunt", "add", "-e", "Ronde 1", "x", "--thema", "geen"], "thema 'geen'"),
    (["verbeterpunt", "status", "deadbeef", "gereed"], "niet gevonden"),
    (["verbeterpunt", "status", "V1", "gereed"], "--evaluation"),
    (["compare", "Ronde 1", "nergens"], "niet gevonden"),
    (["feedback", "follows", "-e", "Ronde 1", "--of", "Ronde 1"], "zichzelf"),
    (["compare", "Ronde 1", "Ronde 1"], "dezelfde evaluatie"),
])
def test_bad_input_gives_one_dutch_line(db_path: Path, round_one: str, argv: list[str], message: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db_path, *argv) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("zet: ") and message in err and "\n" not in err


def test_follows_marks_follow_up(db_path: Path, round_one: str, capsys: pytest.CaptureFixture[str]) -> None:
    with Store.open(db_path) as st:
        b = st.create_evaluation("Ronde 2", "Gemeente Testdorp").id
    assert run(db_path, "feedback", "follows", "-e", "Ronde 2", "--of", "Ronde 1") == 0
    assert "vervolgmeting op 'Ronde 1'" in capsys.readouterr().out
    with Store.open(db_path) as st:
        assert st.evaluation(b).follows_id == round_one  # type: ignore[union-attr]
        assert [e.kind for e in st.evaluation_events(b)][-1] == "evaluation_follows"
    assert run(db_path, "feedback", "follows", "-e", "Ronde 1", "--of", "Ronde 2") == 1
    assert "omgekeerd kan niet" in capsys.readouterr().err


def test_demo_follow_up_then_compare(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(db_path, "demo", "--follow-up", "--questionnaires", str(PARALLEL)) == 0
    out = capsys.readouterr().out
    assert "vervolgmeting" in out and "3 verbeterpunten" in out
    command = next(line for line in out.splitlines() if line.startswith("Vergelijken: zet compare"))
    ids = command.split()[-2:]
    assert run(db_path, "compare", *ids) == 0
    text = capsys.readouterr().out
    assert "B is vastgelegd als vervolgmeting op A." in text
    assert "Verbeterd:" in text and "Verslechterd:" in text
    assert "Bevindingen van A die terugkomen in B (2):" in text
    assert "waarvan 2 nog niet gereed" in text and "[open]" in text and "[in uitvoering]" in text
    assert "tekst gewijzigd" in text and "t-inwoner v1 → t-inwoner v2" in text
    assert run(db_path, "compare", *ids, "--json") == 0
    data = json.loads(capsys.readouterr().out)
    assert {t["oordeel"] for t in data["themas"]} >= {"verbeterd", "verslechterd"}
    assert sorted(p["status"] for p in data["verbeterpunten"]) == ["gereed", "in_uitvoering", "open"]


def test_compare_without_traceback_in_a_real_process(tmp_path: Path) -> None:
    Store.open(tmp_path / "leeg.db").close()
    proc = subprocess.run([sys.executable, "-m", "zet_tui", "compare", "x", "y", "--db",
                           str(tmp_path / "leeg.db")], capture_output=True, text=True, check=False)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == "zet: evaluatie 'x' niet gevonden (zie 'zet evaluations')"
