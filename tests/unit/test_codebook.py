"""The codebook: shipped content, the Markdown format, its messages and keyword suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zet_tui.cli import main
from zet_tui.core.codebook import (
    codebook_path,
    known_theme_ids,
    load_codebook,
    parse_codebook,
    suggestions,
)
from zet_tui.core.coding import Codebook
from zet_tui.core.questionnaire_loader import questionnaire_files, shipped_dir
from zet_tui.core.vocab import BASISFUNCTIES, WERKZAME_ELEMENTEN

README = shipped_dir() / "README.md"
THEMES = {"toegang", "uitvoering", "samenhang"}
HEAD = "---\nid: cb\ntitel: Test\nversie: 1\n---\n"

#: Sub-aspects the sources name again and again; the shipped codebook must have each.
SUB_ASPECTS = ("wachttijd", "uitleg-rechten", "vaste-contactpersoon", "overgang-18",
               "duur-indicatie", "netwerk-betrokken", "veiligheid-uitgevraagd",
               "maatwerk-regels", "dossier-volledig", "toestemming-informatie")


@pytest.fixture(scope="module")
def shipped() -> Codebook:
    result = load_codebook(shipped_dir() / "codeboek.md")
    assert result.problems == []
    assert result.codebook is not None
    return result.codebook


def test_shipped_codebook_covers_the_frameworks_and_sub_aspects(shipped: Codebook) -> None:
    linked_we = {w for c in shipped.codes if c.id.startswith("we.") for w in c.werkzaam}
    linked_bf = {b for c in shipped.codes if c.id.startswith("bf.") for b in c.basisfunctie}
    assert linked_we == set(WERKZAME_ELEMENTEN)
    assert linked_bf == set(BASISFUNCTIES)
    ids = {c.id for c in shipped.codes}
    assert set(SUB_ASPECTS) <= ids
    themes = known_theme_ids()
    for code in shipped.codes:
        assert code.label and code.description, code.id
        assert set(code.themes) <= themes
    assert len(ids) == len(shipped.codes)


def test_codebook_is_not_a_questionnaire_and_is_found_next_to_them() -> None:
    assert all(p.name != "codeboek.md" for p in questionnaire_files())
    assert codebook_path([]) == shipped_dir() / "codeboek.md"


def test_a_folder_with_its_own_codebook_wins(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "codeboek.md"
    own.write_text(HEAD + "# G\n## Eigen {#eigen}\n")
    monkeypatch.setenv("ZET_QUESTIONNAIRES", str(tmp_path))
    assert codebook_path() == own


def test_readme_example_is_valid() -> None:
    example = README.read_text().split("```markdown\n")[2].split("```")[0]
    result = parse_codebook(example.encode(), "voorbeeld.md", known_theme_ids())
    assert result.problems == []
    book = result.codebook
    assert book is not None and [c.id for c in book.codes] == ["wachttijd", "overig"]
    wait = book.code("wachttijd")
    assert wait is not None
    assert wait.werkzaam == ("toegankelijk",) and wait.themes == ("toegang", "uitvoering")
    assert wait.keywords == ("wacht", "duurde", "maanden") and wait.group == "Deelaspecten"
    assert wait.description.startswith("Hoe lang")


def test_every_problem_is_reported_with_its_line() -> None:
    text = (
        "---\nid: Fout Id\nversie: 1\nkleur: rood\n---\n"          # 2, 4; titel missing: 1
        "# Groep\n"
        "## Zonder id\n"                                              # 7
        "## Dubbel {#dubbel}\n"                                       # 8
        "- werkzaam: continuiteit, onbekend\n"                        # 9
        "- thema: toegang, nergens\n"                                 # 10
        "- trefwoorden: ok, prima\n"                                  # 11
        "- kleur: blauw\n"                                            # 12
        "## Nog eens {#dubbel}\n"                                     # 13
        "### Te diep\n"                                               # 14
    )
    result = parse_codebook(text.encode(), "cb.md", THEMES)
    assert result.codebook is None
    lines = {p.line for p in result.problems}
    assert {1, 2, 4, 7, 9, 10, 11, 12, 13, 14} <= lines
    messages = "\n".join(str(p) for p in result.problems)
    assert "cb.md:9: onbekend werkzaam element 'onbekend'" in messages
    assert "cb.md:10: onbekend thema 'nergens'" in messages
    assert "cb.md:11: trefwoord 'ok' is te kort" in messages
    assert "cb.md:13: id 'dubbel' komt al voor op regel 8" in messages
    assert "metadata 'titel' ontbreekt" in messages


def test_unreadable_files_are_one_message(tmp_path: Path) -> None:
    assert [str(p) for p in load_codebook(tmp_path / "weg.md").problems] == [
        f"{tmp_path / 'weg.md'}:0: bestand bestaat niet"]
    (tmp_path / "bin.md").write_bytes(HEAD.encode() + b"\xff\xfe")
    assert "ongeldige UTF-8" in str(load_codebook(tmp_path / "bin.md").problems[0])


@settings(max_examples=150, deadline=None)
@given(st.text())
def test_arbitrary_text_never_raises(text: str) -> None:
    result = parse_codebook(text.encode("utf-8", "surrogatepass"), "x.md", THEMES)
    assert (result.codebook is None) == bool(result.problems)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["---", "id: a", "titel: t", "versie: 1", "# G", "## C {#c}",
                                 "## D {#d}", "- thema: toegang", "- trefwoorden: wacht",
                                 "- werkzaam: x", "tekst", "", "- a: b", "```", "> q"]),
                max_size=25))
def test_arbitrary_markdown_shapes_never_raise(lines: list[str]) -> None:
    result = parse_codebook("\n".join(lines).encode(), "x.md", THEMES)
    assert (result.codebook is None) == bool(result.problems)


def test_suggestions_match_word_starts_and_skip_applied_codes(shipped: Codebook) -> None:
    text = "Het duurde MAANDEN voordat er iemand kwam; de verwachting was anders."
    found = suggestions(shipped, text)
    assert [s.code.id for s in found][:1] == ["wachttijd"]
    first = found[0]
    assert text[first.start:first.end].lower() == first.keyword
    # 'wacht' must not match inside 'verwachting'
    only = parse_codebook((HEAD + "# G\n## W {#w}\n- trefwoorden: wacht\n").encode(), "x", ())
    assert only.codebook is not None
    assert suggestions(only.codebook, "de verwachting") == []
    assert [s.start for s in suggestions(only.codebook, "Wachten, wachten")] == [0]
    assert "wachttijd" not in {s.code.id for s in suggestions(shipped, text, skip=["wachttijd"])}


def test_codebook_check_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["codebook", "check"]) == 0
    assert "ok (zet-codeboek 1" in capsys.readouterr().out
    bad = tmp_path / "codeboek.md"
    bad.write_text(HEAD + "# G\n## C {#c}\n- thema: toegang\n")  # no questionnaires here
    assert main(["codebook", "check", str(bad)]) == 0  # themes checked against shipped ones
    bad.write_text(HEAD + "## C\n")
    assert main(["codebook", "check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert f"{bad}:6: code 'C' heeft geen id" in out
    assert main(["codebook", "list"]) == 0
    assert "wachttijd" in capsys.readouterr().out
