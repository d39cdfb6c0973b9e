"""Free text can never break the structure of an exported Markdown file.

Property test: any toelichting, note, case code or case label is exported,
the result is parsed with markdown-it-py (CommonMark + GFM tables, as GitHub
and Obsidian read it), and the structure (headings, table rows and columns,
list items) is as expected and the text comes back unchanged.
"""

from __future__ import annotations

from typing import Any

from exports_support import parallel
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from zet_tui.core.analysis import analyse_evaluation
from zet_tui.core.answers import Answer
from zet_tui.core.privacy import Pseudonymizer
from zet_tui.core.store import Case, Evaluation, Note, Session
from zet_tui.core.vocab import AnswerStatus
from zet_tui.export import markdown, report
from zet_tui.export.data import ExportData
from zet_tui.export.safe_md import inline, normalise, shorten

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])
STAMP = "2025-03-01T10:00:00.000+00:00"
NASTY = ["|", "#", "*", "_", "`", "```", "<script>alert(1)</script>", "\n", "\r\n", "\\", "[x](y)",
         "![i](j)", "&amp;", "&#124;", "~~s~~", "$x$", "%%c%%", "==h==", "^1", "> q", "- li", "1. o",
         "---", "===", "    code", "<br>", "😄", "👩‍👩‍👧", "\t", "#tag", "[[wiki]]", ":smile:", "<!-- c -->",
         "http://x.nl", "<http://x.nl>", "\u00a0", "é", "\\|", "**b**", "\x00", "\x0c"]
free_text = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=12)), max_size=8).map("".join)


QUESTIONNAIRES = parallel()


def build(code: str, label: str, toelichting: str, note: str) -> ExportData:
    qs = QUESTIONNAIRES
    ev = Evaluation("e1", "Evaluatie | test", "", None, STAMP)
    case = Case("c1", "e1", code, label, "", STAMP)
    sessions = [
        Session(f"s-{p}", "c1", p, qs[p], "Ann", "Bob", True, "x", STAMP, "", STAMP, STAMP,
                "afgerond")
        for p in ("inwoner", "professional")
    ]
    answers = {
        "s-inwoner": {"toegang.wist-waar": Answer("toegang.wist-waar", AnswerStatus.ANSWERED,
                                                  score=3, toelichting=toelichting)},
        "s-professional": {"toegang.wist-waar-prof": Answer(
            "toegang.wist-waar-prof", AnswerStatus.ANSWERED, score=3, toelichting=toelichting)},
    }
    notes = {"s-inwoner": [Note("n1", "s-inwoner", "toegang.wist-waar", "toegang", "note", note,
                                "Rev", STAMP, None, None)], "s-professional": []}
    analysis = analyse_evaluation(ev, [case], sessions, answers)
    return ExportData(ev, [case], sessions, answers, notes, Pseudonymizer.disabled(), analysis)


def plain(children: list[Token] | None) -> str:
    """The text of inline tokens; fails on any markup that escaping should have prevented."""
    out = []
    for t in children or []:
        if t.type == "text":
            out.append(t.content)
        elif t.type == "html_inline" and t.content == "<br>":
            out.append("\n")
        else:
            raise AssertionError(f"unexpected inline token {t.type}: {t.content!r}")
    return "".join(out)


def headings(tokens: list[Token]) -> list[str]:
    return [plain(tokens[i + 1].children) for i, t in enumerate(tokens) if t.type == "heading_open"]


def tables(tokens: list[Token]) -> list[list[list[Token]]]:
    """Per table its rows, per row the inline token of each cell."""
    out: list[list[list[Token]]] = []
    row: list[Token] = []
    for i, t in enumerate(tokens):
        if t.type == "table_open":
            out.append([])
        elif t.type == "tr_open":
            row = []
        elif t.type in ("td_open", "th_open"):
            row.append(tokens[i + 1])
        elif t.type == "tr_close":
            out[-1].append(row)
    return out


def kids(token: Token) -> list[Token]:
    """Inline children without the empty text tokens markdown-it leaves around markup."""
    return [c for c in token.children or [] if not (c.type == "text" and c.content == "")]


def list_items(tokens: list[Token]) -> list[list[Token]]:
    return [kids(tokens[i + 2]) for i, t in enumerate(tokens)
            if t.type == "list_item_open" and tokens[i + 1].type == "paragraph_open"]


def split_strong(item: list[Token]) -> tuple[str, str] | None:
    """(text of a leading **strong** part, text after it) of a list item."""
    if not item or item[0].type != "strong_open":
        return None
    end = next(i for i, t in enumerate(item) if t.type == "strong_close")
    return plain(item[1:end]), plain(item[end + 1:])


def after_label(item: list[Token], label: str) -> str | None:
    """Text after a leading **label** in a list item, or None for other items."""
    parts = split_strong(item)
    if parts is None or parts[0] != label:
        return None
    return parts[1].lstrip(" ")


def _check_transcript(data: ExportData, code: str, toelichting: str, note: str) -> None:
    session = data.sessions[0]
    tokens = MD.parse(markdown.transcript(data, session))
    q = session.questionnaire
    expected = [f"Transcript {normalise(code)} · Inwoner"]
    for ti, theme in enumerate(q.themes, start=1):
        expected.append(f"{ti}. {theme.title}")
        expected += [f"{ti}.{qi} {x.text}" for qi, x in enumerate(theme.questions, start=1)]
    expected.append("Dekking")
    assert headings(tokens) == expected
    meta, coverage = tables(tokens)
    assert len(meta) == 11 and all(len(r) == 2 for r in meta)
    assert plain(meta[2][1].children) == normalise(code)
    assert len(coverage) == 1 + len(q.themes) and all(len(r) == 3 for r in coverage)
    items = list_items(tokens)
    assert [after_label(i, "Toelichting:") for i in items if after_label(i, "Toelichting:")
            is not None] == ([normalise(toelichting)] if normalise(toelichting) else [])
    notes = [after_label(i, "Notitie van de reviewer") for i in items
             if after_label(i, "Notitie van de reviewer") is not None]
    assert len(notes) == 1 and notes[0] is not None
    assert notes[0].split("): ", 1)[1] == normalise(note)


def _check_analyseschema(data: ExportData, toelichting: str, label: str) -> None:
    ca = data.analysis.cases[0]
    tokens = MD.parse(markdown.analyseschema(data, ca))
    assert headings(tokens)[1:] == ["Verschillen tussen perspectieven", "Toegang", "Plan",
                                    "Samenwerking", "Tijdlijn"]
    all_tables = tables(tokens)
    for tab in all_tables:
        assert len({len(r) for r in tab}) == 1
    toegang = all_tables[1]
    assert len(toegang) == 3 and len(toegang[0]) == 3  # header + 2 rows; vraag, inwoner, prof.
    expected = "😐 3 · neutraal" + (f": {shorten(toelichting)}" if normalise(toelichting) else "")
    assert plain(toegang[1][1].children) == expected
    assert plain(toegang[1][2].children) == expected
    paragraph = next(tokens[i + 1] for i, t in enumerate(tokens) if t.type == "paragraph_open")
    intro = plain(paragraph.children)
    assert intro.startswith("Evaluatie: Evaluatie | test")
    if normalise(label):
        assert intro.endswith(f"Casus: {normalise(label)}")


def _check_report(data: ExportData, code: str, toelichting: str) -> None:
    tokens = MD.parse(report.render(data))
    hs = headings(tokens)
    assert hs[0] == "Evaluatierapport Evaluatie | test"
    for tab in tables(tokens):
        assert len({len(r) for r in tab}) == 1
    # the appendix: each answer under its own perspective's wording, the case code in bold
    items = list_items(tokens)
    parts = [split_strong(i) for i in items]
    texts = [p[1] for p in parts if p is not None and p[0] == normalise(code)]
    if normalise(toelichting):
        assert "Inwoner: Wist u waar u terecht kon?" in hs
        assert "Professional: Wist de inwoner volgens u waar hij terecht kon?" in hs
        assert texts == [f" (😐 3 · neutraal): {normalise(toelichting)}"] * 2
    narrative = [after_label(i, "Knelpunten:") for i in items if after_label(i, "Knelpunten:") is not None]
    assert narrative == ["geen volgens de scores en coderingen"]


@settings(max_examples=150, deadline=None)
@given(code=free_text, label=free_text, toelichting=free_text, note=free_text)
def test_free_text_never_breaks_the_markdown(code: str, label: str, toelichting: str,
                                             note: str) -> None:
    code = normalise(code) or "X"
    note = normalise(note) or "n"
    data = build(code, label, toelichting, note)
    _check_transcript(data, code, toelichting, note)
    _check_analyseschema(data, toelichting, label)
    _check_report(data, code, toelichting)


def test_escaping_examples() -> None:
    assert inline("a|b") == "a&#124;b"
    assert inline("<script>") == "&lt;script&gt;"
    assert inline("# kop\n*vet*") == "\\# kop<br>\\*vet\\*"
    assert inline("`x`") == "\\`x\\`"
    assert inline("😄 é") == "😄 é"
    tokens: Any = MD.parse("| a |\n|---|\n| " + inline("x | y\nz") + " |\n")
    assert len(tables(tokens)[0][1]) == 1
