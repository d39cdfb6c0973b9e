from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from zet_tui.cli import main
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.questionnaire_loader import load_bytes, load_file
from zet_tui.core.vocab import AnswerType

README = Path(__file__).parents[2] / "questionnaires" / "README.md"

HEAD = "---\nid: t\ntitel: T\nperspectief: inwoner\nversie: 1\n---\n"


def readme_example() -> str:
    return README.read_text().split("```markdown\n")[1].split("```")[0]


def test_readme_example_is_valid() -> None:
    result = load_bytes(readme_example().encode(), "voorbeeld.md")
    assert result.problems == []
    q = result.questionnaire
    assert q is not None
    assert [t.id for t in q.themes] == ["toegang", "afsluiting"]
    assert q.opening.startswith("Fijn dat u")
    first = q.question("toegang.wist-waar")
    assert first is not None
    assert first.probes == ("Hoe kwam u daar achter?", "Wie hielp u op weg?")
    assert first.help == "Laat de inwoner eerst vrij vertellen."
    assert first.tags == ("basisfunctie:toegankelijk", "werkzaam:toegankelijk")
    cond = q.question("toegang.wachten-ervaring")
    assert cond is not None and cond.condition is not None
    assert str(cond.condition) == "toegang.wachten = ja"
    assert cond.required is False


def test_every_answer_type_and_line_numbers(mini: Questionnaire) -> None:
    types = {q.type for q in mini.questions()}
    assert types == set(AnswerType)
    wie = mini.question("plan.wie")
    assert wie is not None and wie.options == ("Ikzelf", "Samen", "De hulpverlener")
    src = (Path(__file__).parents[1] / "fixtures" / "mini.md").read_text().splitlines()
    for q in mini.questions():
        assert src[q.line - 1].startswith("## ") and q.id in src[q.line - 1]


def test_snapshot_roundtrip(mini: Questionnaire) -> None:
    assert Questionnaire.from_dict(mini.to_dict()) == mini


def test_restricted_to_keeps_only_chosen_themes(mini: Questionnaire) -> None:
    compact = mini.restricted_to(["plan", "bestaat-niet"])
    assert [t.id for t in compact.themes] == ["plan"]
    assert compact.question("toegang.wist-waar") is None
    assert compact.question("plan.wie") is not None


FIVE_MISTAKES = HEAD + """
# Thema {#a}

## Vraag een {#a.een}

- type: raadsel

## Vraag twee {#a.een}

- tags: basisfunctie:onbekend

## Vraag drie {#a.drie}

- toon-als: a.vier = ja

## Vraag vier {#a.vier}

- type: ja-nee

# Leeg thema {#leeg}
"""


def test_five_mistakes_give_five_lines_and_exit_1(tmp_path: Path, capsys) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "fout.md"
    path.write_text(FIVE_MISTAKES)
    rc = main(["questionnaires", "check", str(path)])
    out = capsys.readouterr().out.strip().splitlines()
    assert rc == 1
    assert len(out) == 5, out
    assert all(line.startswith(f"{path}:") for line in out)
    lines = [int(line.split(":")[1]) for line in out]
    text = FIVE_MISTAKES.splitlines()
    assert "type: raadsel" in text[lines[0] - 1]
    assert "{#a.een}" in text[lines[1] - 1]
    assert "onbekend" in text[lines[2] - 1]
    assert "toon-als" in text[lines[3] - 1] and "later" in out[3]
    assert "Leeg thema" in text[lines[4] - 1]


def problems(text: str | bytes) -> list[str]:
    raw = text.encode() if isinstance(text, str) else text
    return [str(p) for p in load_bytes(raw, "x.md").problems]


def test_missing_metadata() -> None:
    out = problems("---\nid: t\n---\n# T {#t}\n## V {#t.v}\n")
    assert any("'titel'" in p for p in out)
    assert any("'perspectief'" in p for p in out)
    assert any("'versie'" in p for p in out)


def test_unknown_scale_and_perspective() -> None:
    out = problems("---\nid: t\ntitel: T\nperspectief: buurman\nversie: 1\nschaal: sterren\n---\n"
                   "# T {#t}\n## V {#t.v}\n")
    assert any("perspectief 'buurman'" in p for p in out)
    assert any("schaal 'sterren'" in p for p in out)
    assert all(p.startswith("x.md:") for p in out)


def test_condition_on_unknown_question_and_self() -> None:
    out = problems(HEAD + "# T {#t}\n## V {#t.v}\n\n- toon-als: t.v = 3\n\n"
                   "## W {#t.w}\n\n- toon-als: t.x = 3\n")
    assert any("naar de vraag zelf" in p for p in out)
    assert any("onbekende vraag 't.x'" in p for p in out)


def test_invalid_utf8_names_the_line() -> None:
    raw = (HEAD + "# T {#t}\n").encode() + b"## V\xff {#t.v}\n"
    out = problems(raw)
    assert out == ["x.md:8: ongeldige UTF-8 (byte 0xff); sla het bestand op als UTF-8"]


def test_binary_and_not_markdown() -> None:
    assert "NUL-bytes" in problems(b"\x89PNG\r\n\x00\x00")[0]
    out = problems('{"json": true}')
    assert len(out) == 1 and "geen ZET-vragenlijst" in out[0]


def test_question_without_id_and_before_theme() -> None:
    out = problems(HEAD + "## Los {#los}\n# T {#t}\n## Zonder id\n")
    assert any("voor het eerste thema" in p for p in out)
    assert any("geen id" in p for p in out)


def test_missing_file_and_directory(tmp_path: Path) -> None:
    assert "bestaat niet" in str(load_file(tmp_path / "nee.md").problems[0])
    assert "map" in str(load_file(tmp_path).problems[0])


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_loader_never_raises_on_any_text(text: str) -> None:
    result = load_bytes(text.encode("utf-8", "surrogatepass"), "h.md")
    assert (result.questionnaire is None) == bool(result.problems)
    for p in result.problems:
        assert str(p).startswith("h.md:")


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_loader_never_raises_on_any_bytes(raw: bytes) -> None:
    result = load_bytes(raw, "b.md")
    assert all(str(p).startswith("b.md:") for p in result.problems)


def test_condition_with_a_non_ascii_digit_is_a_message_not_a_crash() -> None:
    out = problems(HEAD + "# T {#t}\n## V {#t.v}\n\n## W {#t.w}\n\n- toon-als: t.v = ²\n")
    assert len(out) == 1 and "past daar niet in" in out[0]


def test_wrapped_paragraphs_become_one_line_but_hard_breaks_stay() -> None:
    text = HEAD + "Eerste regel\ntweede regel.\n\n# T {#t}\n## V {#t.v}\n\nLet op of\nde inwoner  \nnieuwe regel.\n"
    result = load_bytes(text.encode(), "x.md")
    q = result.questionnaire
    assert q is not None
    assert q.opening == "Eerste regel tweede regel."
    assert q.question("t.v").help == "Let op of de inwoner\nnieuwe regel."  # type: ignore[union-attr]


def test_conditions_on_dates_and_numbers_take_dutch_notation() -> None:
    from zet_tui.core.answers import Answer
    from zet_tui.core.vocab import AnswerStatus

    text = (HEAD + "# T {#t}\n## Wanneer? {#t.d}\n\n- type: datum\n\n## Hoeveel? {#t.n}\n\n- type: getal\n"
            "- min: 0,5\n\n## Laat? {#t.laat}\n\n- toon-als: t.d >= 01-03-2025\n\n"
            "## Veel? {#t.veel}\n\n- toon-als: t.n > 2,5\n")
    result = load_bytes(text.encode(), "x.md")
    q = result.questionnaire
    assert result.problems == [] and q is not None
    late, many = q.question("t.laat"), q.question("t.veel")
    assert late is not None and late.condition is not None and many is not None and many.condition is not None
    assert late.condition.value == "2025-03-01"  # stored answers are ISO: compared like with like
    number = q.question("t.n")
    assert number is not None and number.minimum == 0.5
    assert number.validate_value("0,4") == (None, "Het getal moet minstens 0,5 zijn.")

    def answered(qid: str, value: str) -> Answer:
        return Answer(qid, AnswerStatus.ANSWERED, value=value)

    assert late.condition.holds(answered("t.d", "2025-03-01"))
    assert not late.condition.holds(answered("t.d", "2025-02-28"))
    assert many.condition.holds(answered("t.n", "3")) and not many.condition.holds(answered("t.n", "2.5"))
    out = problems(HEAD + "# T {#t}\n## D {#t.d}\n\n- type: datum\n\n## N {#t.n}\n\n- type: getal\n\n"
                   "## W {#t.w}\n\n- toon-als: t.d < 31-02-2025\n\n## X {#t.x}\n\n- toon-als: t.n = veel\n")
    assert len(out) == 2
    assert "'t.d' is een datumvraag: '31-02-2025' is geen bestaande datum" in out[0]
    assert "'t.n' is een getalvraag; 'veel' is geen getal" in out[1]
