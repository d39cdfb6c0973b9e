"""The evaluation report an analyst hands in: findings first, the tables in the appendix.

Structure (the order researchers report in): summary with the top priorities,
knelpunten and succesfactoren per werkzaam element and per basisfunctie, an
overview per theme, patterns in groups of cases, differences between
perspectives, a short narrative per case, a totaalbeeld per municipality when
the evaluation spans several, beleid beside praktijk when the municipality
answered the policy questionnaire, the feedback meeting, and a method section with
the thresholds. The score tables and every answer with its toelichting follow
as appendices (`report_appendix.py`).

All content comes from the findings model (`core/findings.py`); every value
from the database passes through the pseudonymizer and `safe_md`.
"""

from __future__ import annotations

from zet_tui.core.coverage import perspective_label
from zet_tui.core.findings import (
    KIND_TITLES,
    KNELPUNT,
    NO_RECOMMENDATION,
    SIDES,
    SUCCESFACTOR,
    TOP_PRIORITIES,
    VERSCHIL,
    WEAK_NOTE,
    WEINIG_BESPROKEN,
    Citation,
    Finding,
    Findings,
    distinct,
    evidence_text,
)
from zet_tui.core.region import evaluation_policy
from zet_tui.core.vocab import TAG_NAMESPACES
from zet_tui.export.beleid_md import policy_section
from zet_tui.export.data import ExportData, fmt_dt
from zet_tui.export.feedback_md import render_compare_section, render_meeting_section
from zet_tui.export.report_appendix import appendix
from zet_tui.export.report_cases import case_lines
from zet_tui.export.report_method import method
from zet_tui.export.safe_md import cell, heading, inline, shorten, table

CITATION_LIMIT = 240
SOURCE_LABELS = {"citaat": "citaat", "codering": "gecodeerd fragment", "toelichting": "toelichting",
                 "reden": "reden"}


def _labels(data: ExportData) -> dict[str, str]:
    """F-numbers of the feedback meeting by finding key, when the findings were put to it."""
    if data.outcome is None:
        return {}
    return {nf.finding.key: nf.label for nf in data.outcome.findings}


def finding_title(data: ExportData, f: Finding) -> str:
    s = f.subject
    where = ""
    if f.subgroup is not None:
        where = f", {f.subgroup.attribute} {data.pseudo.text(f.subgroup.value)}"
    return f"{KIND_TITLES[f.kind]}: {s.label} ({s.kind_label}{where})"


def finding_summary(data: ExportData, f: Finding) -> str:
    """The evidence in one line of plain text: n van m, the cases, the counterexamples."""
    text = evidence_text(f, lambda ids: data.codes(ids, places=True))
    if f.coded_cases:
        text += f" Gecodeerd door de analist in {len(f.coded_cases)} van de {f.n}."
    return text


def _citation(data: ExportData, c: Citation) -> str:
    text = shorten(data.pseudo.text(c.text), CITATION_LIMIT)
    who = (f"{data.case_code(c.case_id)}, {perspective_label(c.perspective).lower()}, "
           f"{SOURCE_LABELS.get(c.source, c.source)}")
    lead = "Tegenvoorbeeld: " if c.counterexample else ""
    return f"{lead}«{inline(text)}» ({inline(who)}; vraag: {inline(c.question_text)})"


def finding_item(data: ExportData, f: Finding, *, recommendation: bool = False, number: str = "-",
                 questions: bool = True) -> list[str]:
    """A list item: the finding in bold, its evidence, then citations and the recommendation."""
    label = _labels(data).get(f.key)
    head = f"{number} **{inline(finding_title(data, f))}** {inline(finding_summary(data, f))}"
    if label:
        head += f" Bevinding {label} in de terugkoppeling."
    out = [head]
    indent = " " * (len(number) + 1)
    for c in f.citations:
        out.append(f"{indent}- {_citation(data, c)}")
    underneath = [q for q in f.questions if f.subject.kind != "vraag"]
    if questions and underneath:
        texts = [data.findings.subjects[f"vraag:{q}"].label for q in underneath
                 if f"vraag:{q}" in data.findings.subjects]
        if texts:
            out.append(f"{indent}- Vragen: " + "; ".join(inline(t) for t in texts))
    rec = data.findings.recommendation(f.key)
    if rec or recommendation:
        out.append(f"{indent}- Aanbeveling: {inline(data.pseudo.text(rec)) if rec else NO_RECOMMENDATION}")
    return out


def render(data: ExportData) -> str:
    """The whole report as Markdown."""
    f = data.findings
    out = _front(data)
    out += _summary(data, f)
    for namespace, title in (("werkzaam", "Werkzame elementen"), ("basisfunctie", "Basisfuncties")):
        out += _per_tag(data, f, namespace, title)
    out += _themes(data, f)
    out += _subgroups(data, f)
    out += _divergences(data, f)
    out += case_lines(data)
    out += _municipalities(data, f)
    out += policy_section(evaluation_policy(data.evaluation, data.analysis, data.sessions,
                                            data.answers, data.evidence.attributes),
                          text=data.pseudo.text)
    if data.outcome is not None:
        out += [render_meeting_section(data.outcome, text=data.pseudo.text, person=data.pseudo.person), ""]
    if data.comparison is not None:
        out += [render_compare_section(data.comparison, text=data.pseudo.text, person=data.pseudo.person), ""]
    out += method(data)
    out += appendix(data)
    return "\n".join(out) + "\n"


def _front(data: ExportData) -> list[str]:
    pseudo, ev = data.pseudo, data.evaluation
    out = [heading(1, f"Evaluatierapport {pseudo.text(ev.name)}"), ""]
    facts = [("Evaluatie", pseudo.text(ev.name))]
    places = [p for p in data.findings.municipalities() if p]
    if places:
        facts.append(("Gemeente" if len(places) == 1 else "Gemeenten", ", ".join(pseudo.text(p) for p in places)))
    facts += [("Casussen", ", ".join(data.case_code(c) for c in data.findings.case_ids) or "–"),
              ("Sessies", str(len(data.sessions))),
              ("Thema's", "alle" if ev.themes is None else ", ".join(ev.themes)),
              ("Geëxporteerd", fmt_dt(data.exported_at))]
    if pseudo.enabled:
        facts.append(("Privacy", "gepseudonimiseerd: casuscodes vervangen, namen weggelaten"))
    out += [table(["Gegeven", "Waarde"], [[label, cell(value)] for label, value in facts]), ""]
    out += ["Dit rapport zet de bevindingen uit de casussen op een rij: knelpunten en succesfactoren "
            "per werkzaam element en basisfunctie, met de casussen erachter, citaten en "
            "tegenvoorbeelden. Een bevinding komt altijd uit minstens twee casussen; hoe de regels "
            "werken staat in de verantwoording. Antwoorden staan op hun eigen schaal; de tabellen met "
            "alle scores staan in de bijlagen.", ""]
    return out


def _summary(data: ExportData, f: Findings) -> list[str]:
    out = [heading(2, "Samenvatting"), "", heading(3, "Prioriteiten"), ""]
    if f.priorities:
        out += [f"De {len(f.priorities)} belangrijkste knelpunten (meeste casussen eerst, hoogstens "
                f"{TOP_PRIORITIES}), met de aanbeveling van de analist.", ""]
        for i, item in enumerate(f.priorities, start=1):
            out += finding_item(data, item, recommendation=True, number=f"{i}.")
        out.append("")
    else:
        out += ["Geen knelpunt dat in twee of meer casussen terugkomt.", ""]
    successes = [x for x in f.headline if x.kind == SUCCESFACTOR][:TOP_PRIORITIES]
    out += [heading(3, "Wat goed gaat"), ""]
    out += [line for x in successes for line in finding_item(data, x, questions=False)] if successes else [
        "Geen succesfactor die in twee of meer casussen terugkomt."]
    out.append("")
    rarely = f.of_kind(WEINIG_BESPROKEN)
    if rarely:
        out += [heading(3, "Weinig besproken"), ""]
        out += [line for x in rarely for line in finding_item(data, x, questions=False)]
        out.append("")
    differences = f.of_kind(VERSCHIL)
    if differences:
        out += [heading(3, "Verschillen tussen perspectieven"), ""]
        for x in differences:
            pa, pb = (perspective_label(p) for p in x.pair or ("", ""))
            manual = f", waarvan {len(x.coded_cases)} door de analist gemarkeerd" if x.coded_cases else ""
            weak = f" {WEAK_NOTE}" if x.weak else ""
            out.append(f"- **{inline(x.subject.label)}: {pa.lower()} tegenover {pb.lower()}** in {x.n} "
                       f"casussen ({inline(data.codes(x.cases))}){manual}.{weak}")
        out.append("")
    return out


def _per_tag(data: ExportData, f: Findings, namespace: str, title: str) -> list[str]:
    per = "werkzaam element" if namespace == "werkzaam" else "basisfunctie"
    out = [heading(2, f"Knelpunten en succesfactoren per {per}"),
           "", f"{title}: eerst de bevinding over het geheel, daarna de vragen en codes eronder.", ""]
    for value, label in TAG_NAMESPACES[namespace].items():
        tag = f"{namespace}:{value}"
        out += [heading(3, label), ""]
        verdicts = f.verdicts.get(tag, {})
        found = f.about(tag)
        if not verdicts:
            out += ["Geen scores of coderingen bij dit onderwerp.", ""]
            continue
        out += [f"Scores of coderingen uit {len(verdicts)} casussen. Hetzelfde patroon (zelfde casussen, "
                "zelfde vragen) staat er één keer.", ""]
        for side, heading_text in ((KNELPUNT, "Knelpunten"), (SUCCESFACTOR, "Succesfactoren")):
            items = distinct([x for x in found if x.kind == side], drop_covered=False)
            out += [f"**{heading_text}**", ""]
            if items:
                out += [line for x in items for line in finding_item(data, x, questions=x.subject.ref == tag)]
            else:
                out.append(f"Geen {heading_text.lower()} in twee of meer casussen.")
            out.append("")
    return out


def _short(data: ExportData, x: Finding) -> str:
    where = f", {x.subgroup.attribute} {data.pseudo.text(x.subgroup.value)}" if x.subgroup else ""
    return f"{x.subject.label}{where} ({x.n} van {x.m}{', zwak' if x.weak else ''})"


def _themes(data: ExportData, f: Findings) -> list[str]:
    out = [heading(2, "Per thema"), "",
           "Knelpunten en succesfactoren bij het thema als geheel en bij de vragen ervan.", ""]
    rarely = {x.subject.id: x for x in f.of_kind(WEINIG_BESPROKEN)}
    rows = []
    for t in f.analysis.themes:
        found = f.in_theme(t.id)
        per_side = ["; ".join(inline(_short(data, x)) for x in found if x.kind == side) or "–" for side in SIDES]
        r = rarely.get(t.id)
        discussed = f"weinig besproken ({r.m - r.n} van {r.m})" if r else "–"
        rows.append([cell(t.title), *per_side, discussed])
    out += [table(["Thema", "Knelpunten", "Succesfactoren", "Besproken"], rows) if rows else "Geen thema's.", ""]
    return out


def _subgroups(data: ExportData, f: Findings) -> list[str]:
    found = [x for x in f.findings if x.subgroup is not None]
    if not found:
        return []
    out = [heading(2, "Patronen in groepen casussen"), "",
           "Een patroon dat vooral in één groep casussen voorkomt (bijvoorbeeld domein jeugd), ook als "
           "het over alle casussen geen meerderheid is.", ""]
    for x in found:
        out += finding_item(data, x, questions=False)
    return [*out, ""]


def _divergences(data: ExportData, f: Findings) -> list[str]:
    out = [heading(2, "Verschillen tussen perspectieven"), "",
           "Per thema en paar perspectieven: waar de antwoorden naar hun betekenis uiteenlopen (op dezelfde "
           "schaal twee of meer stappen; op verschillende schalen tegenovergestelde kanten, zoals nee "
           "tegenover 4 of 5; ja tegenover nee), en wat de analist met de hand markeerde.", ""]
    if not f.divergences:
        return [*out, "Geen verschillen gevonden.", ""]
    for grp in f.divergences:
        pa, pb = (perspective_label(p) for p in grp.perspectives)
        out += [heading(3, f"{grp.theme_title}: {pa.lower()} tegenover {pb.lower()} "
                           f"({len(grp.cases)} {'casus' if len(grp.cases) == 1 else 'casussen'})"), ""]
        for item in grp.items:
            code = data.case_code(item.case_id)
            if item.kind == "analist":
                line = f"- **{inline(code)}**: door de analist gemarkeerd: {inline(data.pseudo.text(item.note))}"
                if item.text_a:
                    line += (f" ({pa.lower()} {inline(item.answer_a)} bij '{inline(item.text_a)}', "
                             f"{pb.lower()} {inline(item.answer_b)} bij '{inline(item.text_b)}')")
            else:
                line = (f"- **{inline(code)}**: {pa.lower()} {inline(item.answer_a)} bij "
                        f"'{inline(item.text_a)}' tegenover {pb.lower()} {inline(item.answer_b)}")
                if item.text_b != item.text_a:
                    line += f" bij '{inline(item.text_b)}'"
            out.append(line)
        out.append("")
    return out


def _municipalities(data: ExportData, f: Findings) -> list[str]:
    places = f.municipalities()
    if len(places) < 2:
        return []
    out = [heading(2, "Totaalbeeld per gemeente"), "",
           "Per gemeente welke bevindingen daar terugkomen, in hoeveel van haar casussen.", ""]
    for place, members in places.items():
        name = data.pseudo.text(place) or "gemeente onbekend"
        out += [heading(3, f"{name} ({len(members)} {'casus' if len(members) == 1 else 'casussen'}: "
                           f"{data.codes(members)})"), ""]
        for kind, label in ((KNELPUNT, "Knelpunten"), (SUCCESFACTOR, "Succesfactoren"),
                            (WEINIG_BESPROKEN, "Weinig besproken")):
            lines = []
            for x in f.headline:
                here = [c for c in x.cases if c in members]
                seen = [c for c in x.considered if c in members]
                if x.kind == kind and here:
                    where = f" ({x.subgroup.attribute} {data.pseudo.text(x.subgroup.value)})" if x.subgroup else ""
                    lines.append(f"- **{inline(x.subject.label + where)}**: {len(here)} van {len(seen)} "
                                 f"casussen hier ({inline(data.codes(here))})")
            out += [f"**{label}**", ""] + (lines or ["Geen."]) + [""]
    return out

