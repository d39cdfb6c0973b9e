from __future__ import annotations

import json
from pathlib import Path

import pytest
from exports_support import all_text, demo

from zet_tui.cli import main
from zet_tui.core.privacy import Pseudonymizer, case_letter, read_terms_file
from zet_tui.core.store import Case, Store
from zet_tui.export.runner import run_export, select


def case(cid: str, code: str, created: str = "2025") -> Case:
    return Case(cid, "e", code, "", "", created)


def test_case_letters() -> None:
    assert [case_letter(i) for i in (0, 1, 25, 26, 27, 701, 702)] == \
        ["A", "B", "Z", "AA", "AB", "ZZ", "AAA"]


def test_terms_replace_on_word_boundaries_longest_first() -> None:
    p = Pseudonymizer.build(
        [case("1", "K-17", "1"), case("2", "K-03", "2")], [],
        {"1": [("Jan", ""), ("Jan de Vries", "[persoon]"), ("Lindelaan", "[straat]")]},
        extra_terms=["Utrecht"])
    assert p.case_code(case("1", "K-17")) == "Casus A"
    assert p.case_code(case("2", "K-03")) == "Casus B"
    text = ("jan de vries woont aan de LINDELAAN in Utrecht; Jan zei het in januari. "
            "Janssen niet. Zie K-17 en k-03.")
    assert p.text(text) == ("[persoon] woont aan de [straat] in [naam]; [naam] zei het in "
                            "januari. Janssen niet. Zie Casus A en Casus B.")
    assert p.person("Sanne") == "" and Pseudonymizer.disabled().person("Sanne") == "Sanne"
    assert Pseudonymizer.disabled().text("Jan") == "Jan"


def test_terms_file(tmp_path: Path) -> None:
    f = tmp_path / "t.txt"
    f.write_text("\ufeff# namen\nPiet\n\n  Dorpsstraat  \n", encoding="utf-8")
    assert read_terms_file(f) == ["Piet", "Dorpsstraat"]


def test_no_listed_string_survives_in_any_format(store: Store, tmp_path: Path) -> None:
    result = demo(store)
    ev = result.evaluation
    cases = store.cases(ev.id)
    # a name that only the terms file knows, planted in a toelichting and a review note
    s0 = store.sessions(case_id=cases[0].id)[0]
    q0 = next(iter(s0.questionnaire.questions()))
    old = store.answers(s0.id)[q0.id]
    from dataclasses import replace

    store.save_answer(s0.id, replace(old, toelichting=old.toelichting
                                     + " Buurvrouw Wilhelmina uit Oosterhout hielp; zie DEMO-2."))
    store.add_note(s0.id, "Sanne Kramer belt Marieke terug.", author="Joost van Leeuwen")
    terms_file = tmp_path / "extra.txt"
    terms_file.write_text("Wilhelmina\nOosterhout\n", encoding="utf-8")

    listed: set[str] = {"Wilhelmina", "Oosterhout"}
    for c in cases:
        listed.add(c.code)
        listed.update(t for t, _ in store.sensitive_terms(c.id))
    for s in store.sessions(evaluation_id=ev.id):
        listed.update(n for n in (s.interviewer, s.co_interviewer, s.consent_by, s.reviewed_by)
                      if n)
    listed.add("Joost van Leeuwen")
    # the plain export does contain them (so the check below is meaningful)
    plain = run_export(store, select(store), root=tmp_path / "plain")
    plain_text = "\n".join(all_text(plain.folder).values())
    missing = [t for t in ("Marieke", "Wilhelmina", "DEMO-1", "Sanne Kramer", "Joost van Leeuwen")
               if t not in plain_text]
    assert missing == []
    assert sum(t in plain_text for t in listed) >= len(listed) - 3

    out = tmp_path / "out"
    rc = main(["export", "--db", str(store.path), "--out", str(out), "--pseudonymize",
               "--terms", str(terms_file)])
    assert rc == 0
    folders = list(out.iterdir())
    assert len(folders) == 1
    files = all_text(folders[0])
    assert {p.suffix for p in files} == {".md", ".csv", ".xlsx", ".json"}
    for path, text in files.items():
        low = text.lower()
        rel = str(path.relative_to(out)).lower()
        for term in listed:
            assert term.lower() not in low, f"{term!r} in {path.name}"
            assert term.lower() not in rel, f"{term!r} in file name {rel}"
    data = json.loads((folders[0] / "export.json").read_text())
    assert data["pseudonymized"] is True
    assert sorted(c["code"] for c in data["cases"]) == ["Casus A", "Casus B", "Casus C"]
    assert all(s["interviewer"] == "" for s in data["sessions"])
    joined = "\n".join(files.values())
    assert "[naam]" in joined and "Casus B" in joined


def test_case_letters_are_stable_between_full_and_case_exports(store: Store,
                                                               tmp_path: Path) -> None:
    demo(store)
    one = run_export(store, select(store, case="DEMO-2"), root=tmp_path, pseudonymize=True,
                     formats=["json"])
    assert one.folder.name.endswith("-casus-b-gepseudonimiseerd")
    data = json.loads((one.folder / "export.json").read_text())
    assert [c["code"] for c in data["cases"]] == ["Casus B"]


def test_terms_cli(store: Store, db_path: Path, tmp_path: Path,
                   capsys: pytest.CaptureFixture[str]) -> None:
    result = demo(store)
    f = tmp_path / "t.txt"
    f.write_text("Bakkerstraat\n", encoding="utf-8")
    assert main(["terms", "add", "--db", str(db_path), "--case", "DEMO-1", "Kees",
                 "--file", str(f)]) == 0
    assert "2 naam/namen toegevoegd" in capsys.readouterr().out
    assert main(["terms", "list", "--db", str(db_path), "--case", "DEMO-1",
                 "--evaluation", result.evaluation.id]) == 0
    listed = capsys.readouterr().out.split()
    assert {"Kees", "Bakkerstraat", "Marieke", "Kastanjelaan"} <= set(listed)
    # the audit log never holds the terms themselves
    events = json.dumps([(e.old, e.new) for e in store.events(case_id=store.cases()[0].id)])
    assert "Kees" not in events and "Bakkerstraat" not in events
    assert main(["terms", "add", "--db", str(db_path), "--case", "NEE", "x"]) == 1
    assert "niet gevonden" in capsys.readouterr().err
    assert main(["terms", "add", "--db", str(db_path), "--case", "DEMO-1"]) == 1
    assert "minstens één" in capsys.readouterr().err
