"""The report's appendices: the score tables, the differences per question, every answer.

These were the body of the report before the findings model; they remain the
material a reader checks a finding against. In the last appendix every answer
stands under its own perspective's wording of the question, free-text answers
are always included, and an answer from a session that is still open says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import cache

from zet_tui.core.analysis import Cell, Spread
from zet_tui.core.coverage import perspective_label
from zet_tui.core.vocab import CASE_PERSPECTIVES, AnswerStatus, AnswerType
from zet_tui.export.data import ExportData, fmt_num
from zet_tui.export.markdown import answer_md
from zet_tui.export.safe_md import cell, heading, inline, normalise, table


def _spread_cells(s: Spread | None) -> list[str]:
    if s is None or (s.n == 0 and not s.statuses):
        return ["0", "–", "–", "–", "–", "–"]
    statuses = " / ".join(str(s.statuses.get(k, 0)) for k in ("weet_niet", "nvt", "niet_besproken"))
    return [str(s.n), fmt_num(s.minimum), fmt_num(s.median), fmt_num(s.mean),
            " · ".join(str(x) for x in s.distribution), statuses]


def _mean_n(s: Spread | None) -> str:
    if s is None or s.n == 0:
        return "–"
    return f"{fmt_num(s.mean)} (n={s.n})"


def code_of(data: ExportData, code: str) -> str:
    """Case means are keyed by the real code; show the (pseudonymised) code."""
    shown: dict[str, str] | None = data.memo.get("shown_codes")
    if shown is None:
        shown = data.memo["shown_codes"] = {}
        for c in data.cases:
            shown.setdefault(c.code, data.pseudo.case_code(c))  # the first case with the code
    found = shown.get(code)
    return found if found is not None else data.pseudo.text(code)


def appendix(data: ExportData) -> list[str]:
    ea = data.analysis
    out = [heading(2, "Bijlage A: scores per thema"), "",
           "Per perspectief over alle casussen: aantal scores, laagste, mediaan, gemiddelde, verdeling over "
           "1 · 2 · 3 · 4 · 5 en het aantal keer weet niet / n.v.t. / niet besproken. Alle scores staan hier "
           "op de vijfpuntsschaal (drie smileys en nee/deels/ja als 1, 3 en 5).", ""]
    for t in ea.themes:
        out += [heading(3, t.title), ""]
        rows = [[perspective_label(p), *_spread_cells(t.spreads.get(p))] for p in CASE_PERSPECTIVES]
        out += [table(["Perspectief", "n", "min", "mediaan", "gemiddeld", "verdeling",
                       "weet niet / n.v.t. / niet besproken"], rows), ""]
        if t.case_means:
            per_case = " · ".join(f"{code_of(data, c)} {fmt_num(m)}" for c, m in t.case_means.items())
            out += [f"Gemiddelde per casus: {inline(per_case)}", ""]
    out += [heading(2, "Bijlage B: basisfuncties en werkzame elementen"), "",
            "Gemiddelde score per perspectief over alle vragen met deze tag (op de vijfpuntsschaal).", ""]
    for namespace, header in (("basisfunctie", "Basisfunctie"), ("werkzaam", "Werkzaam element")):
        rows = [[cell(s.label), str(len(s.question_keys)),
                 *(_mean_n(s.spreads.get(p)) for p in CASE_PERSPECTIVES), str(s.divergences)]
                for s in ea.tags_in(namespace)]
        means = [f"{perspective_label(p)} gem." for p in CASE_PERSPECTIVES]
        out += [table([header, "Vragen", *means, "Verschillen"], rows), ""]
    out += [heading(2, "Bijlage C: verschillen per vraag"), ""]
    if ea.recurring:
        titles = {t.id: t.title for t in ea.themes}
        rows = []
        for r in ea.recurring:
            pairs = ", ".join(f"{perspective_label(a).lower()}–{perspective_label(b).lower()} ({n}×)"
                              for (a, b), n in sorted(r.pairs.items()))
            rows.append([cell(titles.get(r.theme_id, r.theme_id)), cell(r.text),
                         cell(", ".join(sorted({data.case_code(d.case_id) for d in r.divergences}))), cell(pairs)])
        out += ["Vragen waarop de perspectieven in twee of meer casussen verschillen.", "",
                table(["Thema", "Vraag", "Casussen", "Tussen"], rows), ""]
    else:
        out += ["Geen vraag waarop de perspectieven in twee of meer casussen verschillen.", ""]
    pair_counts: Counter[tuple[str, str]] = Counter(d.perspectives for d in ea.divergences)
    if pair_counts:
        out += [table(["Perspectieven", "Aantal verschillen"],
                      [[f"{perspective_label(a)} – {perspective_label(b)}", str(n)]
                       for (a, b), n in sorted(pair_counts.items())]), ""]
    out += [heading(2, "Bijlage D: alle antwoorden met toelichting per thema"), "",
            "Elk antwoord staat onder de vraag zoals die in dat perspectief is gesteld; antwoorden in "
            "vrije tekst staan er altijd bij.", ""]
    return out + list(_answers(data))


def _content(data: ExportData, c: Cell) -> str | None:
    """What the appendix shows for one cell (answer and toelichting), or None when there is nothing to read."""
    a = c.answer
    if a is None:
        return None
    toelichting = data.pseudo.text(normalise(c.toelichting))
    reason = data.pseudo.text(normalise(a.reason))
    value = normalise(a.value or "") if a.status == AnswerStatus.ANSWERED else ""
    if c.question.type == AnswerType.TEXT and value:
        text = inline(data.pseudo.text(value))
        if toelichting:
            text += f"; toelichting: {inline(toelichting)}"
    elif toelichting or reason:
        text = f"({answer_md(c.question, a, data.pseudo)})"
        if toelichting:
            text += f": {inline(toelichting)}"
    else:
        return None
    if reason:
        text += f" (reden: {inline(reason)})"
    return text


def _answers(data: ExportData) -> Iterable[str]:
    themes: dict[str, tuple[str, dict[tuple[str, str, str], list[tuple[str, str]]]]] = {}
    for ca in data.analysis.cases:
        code = data.case_code(ca.case.id)
        for block in ca.themes:
            entry = themes.setdefault(block.id, (block.title, {}))
            for row in block.rows:
                for p in CASE_PERSPECTIVES:
                    c = row.cells.get(p)
                    text = _content(data, c) if c is not None else None
                    if c is None or text is None:
                        continue
                    session = ca.sessions[p]
                    who = f"{code} (sessie nog open)" if session.is_open else code
                    entry[1].setdefault((row.key, p, c.question.text), []).append((who, text))
    escaped = cache(inline)  # a case code, once per case rather than once per answer
    if not any(rows for _, rows in themes.values()):
        yield "Geen toelichtingen."
        yield ""
        return
    for title, rows in themes.values():
        if not rows:
            continue
        yield heading(3, title)
        yield ""
        for (_key, perspective, wording), entries in rows.items():
            yield heading(4, f"{perspective_label(perspective)}: {wording}")
            yield ""
            for who, text in entries:
                separator = " " if text.startswith("(") else ": "
                yield f"- **{escaped(who)}**{separator}{text}"
            yield ""
