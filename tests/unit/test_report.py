"""The evaluation report on the regional demo: the findings an analyst hands in, in Markdown and JSON,
with the appendix fixes (own wording, free text, not asked, open sessions) and clean pseudonymisation."""

from __future__ import annotations

import json
from dataclasses import replace

from findings_support import RegioFixture
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from test_export_safe_md import NASTY, after_label, headings, list_items, plain, split_strong, tables

from zet_tui.core import demo_regio as planted
from zet_tui.core.coding import CaseSummary, Codebook, Recommendation
from zet_tui.export import markdown, report
from zet_tui.export import tables as table_export
from zet_tui.export.data import ExportData, load
from zet_tui.export.safe_md import normalise

MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def export_data(regio: RegioFixture, *, pseudonymize: bool = False) -> ExportData:
    """The export's data with the demo's coded evidence (the store has no coding tables yet)."""
    ev = regio.demo.evaluation
    data = load(regio.store, ev, regio.store.sessions(evaluation_id=ev.id), pseudonymize=pseudonymize)
    data.evidence = regio.demo.evidence
    data.memo.clear()
    return data


def section(text: str, title: str) -> str:
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_report_leads_with_the_findings(regio: RegioFixture) -> None:
    text = report.render(export_data(regio))
    tokens = MD.parse(text)
    hs = headings(tokens)
    assert [h for h in hs if h in ("Samenvatting", "Patronen in groepen casussen", "Totaalbeeld per gemeente",
                                   "Verantwoording", "Bijlage D: alle antwoorden met toelichting per thema")] == [
        "Samenvatting", "Patronen in groepen casussen", "Totaalbeeld per gemeente", "Verantwoording",
        "Bijlage D: alle antwoorden met toelichting per thema"]
    for tab in tables(tokens):
        assert len({len(r) for r in tab}) == 1
    summary = section(text, "Samenvatting")
    priorities = summary.split("### Prioriteiten", 1)[1].split("###", 1)[0]
    assert priorities.count("\n1. **") == 1 and "\n4. **Knelpunt: Hoe ging de overgang naar 18 jaar?" in priorities
    assert ("Knelpunt: Integraal plan (werkzaam element)** in 6 van 11 casussen (R-01, R-02, R-04 in Waterveen; "
            "R-06, R-08 in Hoogzand; R-10 in Lindeburg); tegenvoorbeeld: R-09 in Lindeburg.") in priorities
    assert "Aanbeveling: Spreek per huishouden één plan af" in priorities
    assert "Aanbeveling: nog geen aanbeveling" in priorities
    assert "«Niemand keek naar het geheel.» (R-01, inwoner, citaat" in priorities
    assert "Zwak signaal: minder dan drie casussen." in priorities
    assert "domein jeugd)** in 4 van 4 casussen" in priorities and "elders 0 van 7" in priorities
    good = summary.split("### Wat goed gaat", 1)[1].split("###", 1)[0]
    assert "Succesfactor: Voelde u zich gehoord? (vraag)** in 9 van 11 casussen" in good
    assert "tegenvoorbeeld: R-06 in Hoogzand" in good
    assert "Weinig besproken: Veiligheid (thema)** in 8 van 11" in summary
    assert "wel besproken: R-04 in Waterveen; R-07 in Hoogzand; R-10 in Lindeburg" in summary
    # the outlier is in no knelpunt anywhere in the report body
    body = text.split("\n## Casussen\n", 1)[0]
    knelpunten = [line for line in body.splitlines() if "**Knelpunt:" in line]
    assert knelpunten and not [line for line in knelpunten if "R-11" in line]
    per_element = section(text, "Knelpunten en succesfactoren per werkzaam element")
    toegankelijk = per_element.split("### Toegankelijke ondersteuning", 1)[1].split("###", 1)[0]
    assert "Geen knelpunten in twee of meer casussen." in toegankelijk


def test_report_per_municipality_cases_divergences_and_method(regio: RegioFixture) -> None:
    text = report.render(export_data(regio))
    places = section(text, "Totaalbeeld per gemeente")
    waterveen = places.split("### Waterveen (4 casussen: R-01, R-02, R-03, R-04)", 1)[1].split("###", 1)[0]
    assert "**Integraal plan**: 3 van 4 casussen hier (R-01, R-02, R-04)" in waterveen
    differences = section(text, "Verschillen tussen perspectieven")
    assert "### Eigen regie: inwoner tegenover professional (3 casussen)" in differences
    assert "- **R-04**: door de analist gemarkeerd: " + planted.MANUAL_NOTE in differences
    assert "inwoner 3 neutraal bij 'Kon u zelf meebeslissen over de hulp?'" in differences
    cases = section(text, "Casussen")
    r01 = cases.split("### R-01", 1)[1].split("###", 1)[0]
    assert "- **Hulpvraag:** Begeleiding bij dagstructuur" in r01  # the analyst's summary
    r02 = cases.split("### R-02", 1)[1].split("###", 1)[0]
    assert "domein: jeugd · gemeente: Waterveen" in r02
    assert "- **Knelpunten:** Integraal plan" in r02 and "de analist schreef nog geen samenvatting" in r02
    method = section(text, "Verantwoording")
    assert "| Dossier | 11 | 10 | 1 |" in method
    assert "- R-09 · dossier: gestart" in method
    assert "Coderingen: 17 in 11 van de 11 casussen, met 5 verschillende codes" in method
    assert "| Bevinding | in minstens 2 casussen en in minstens een derde" in method


def test_appendix_own_wording_free_text_and_open_sessions(regio: RegioFixture) -> None:
    text = report.render(export_data(regio))
    appendix = section(text, "Bijlage D: alle antwoorden met toelichting per thema")
    assert "#### Dossier: Zijn afspraken of overleggen tussen organisaties vastgelegd?" in appendix
    dossier = appendix.split("#### Dossier: Zijn afspraken of overleggen tussen organisaties vastgelegd?", 1)[1]
    assert dossier.split("####", 1)[0].count("- **R-08** (✗ nee") == 0  # deels, on its own scale
    assert "- **R-08** (◐ deels): Er zitten drie plannen in het dossier" in dossier
    # a free-text answer without toelichting is always there
    assert "- **R-01**: Dank aan Wessel voor het meedenken." in appendix
    # an answer of an open session says so
    assert "- **R-09 (sessie nog open)**" in appendix
    header = text.split("\n## Samenvatting", 1)[0]
    assert "Antwoorden staan op hun eigen schaal" in header


def test_analyseschema_marks_questions_not_asked_and_each_wording(regio: RegioFixture) -> None:
    data = export_data(regio)
    ca = next(c for c in data.analysis.cases if c.case.code == "R-01")
    text = markdown.analyseschema(data, ca)
    row = next(line for line in text.splitlines() if line.startswith("| Hoe ging de overgang naar 18 jaar?"))
    assert row.count("niet gesteld (voorwaarde)") == 3
    assert "<br>Professional: Hoe is de overgang naar 18 jaar verlopen?" in row
    assert "<br>Dossier: Is tijdig een plan gemaakt voor de periode na 18 jaar?" in row


def test_json_report_and_pseudonymised_export_stay_clean(regio: RegioFixture) -> None:
    data = export_data(regio, pseudonymize=True)
    everything = json.dumps(table_export.to_json(data), ensure_ascii=False)
    text = report.render(data)
    for case in planted.CASES:
        for secret in (case.code, case.name):
            assert secret not in everything and secret not in text, secret
    for name in ("Bas Vermeulen", "Eva Smit", planted.ANALYST):
        assert name not in everything and name not in text
    rapport = table_export.to_json(data)["report"]
    assert rapport["priorities"][0] == "knelpunt:werkzaam:integraal-plan"
    first = next(f for f in rapport["findings"] if f["key"] == rapport["priorities"][0])
    assert first["cases"] == ["Casus A", "Casus B", "Casus D", "Casus F", "Casus H", "Casus J"]
    assert first["counterexamples"] == ["Casus I"] and first["recommendation"].startswith("Spreek")
    assert rapport["open_sessions"] == [{"case": "Casus I", "perspective": "dossier",
                                         "session": regio.demo.sessions[("R-09", "dossier")]}]
    assert rapport["thresholds"]["min_cases"] == 2 and rapport["coding"]["codings"] == 17
    assert "Dank aan \\[naam\\]" in text  # escaped in Markdown, renders as [naam]


SHORT = st.lists(st.one_of(st.sampled_from(NASTY), st.text(max_size=8)), min_size=1, max_size=5).map("".join)


@settings(max_examples=20, deadline=None)
@given(place=SHORT, note=SHORT, summary=SHORT, label=SHORT, advice=SHORT)
def test_analyst_text_never_breaks_the_report(regio: RegioFixture, place: str, note: str, summary: str,
                                              label: str, advice: str) -> None:
    """Attribute values, notes, summaries, code labels and recommendations are free text too."""
    ev = regio.demo.evidence
    ids = regio.demo.case_ids
    hostile = replace(
        ev,
        attributes={cid: {**attrs, "gemeente": place if cid == ids["R-01"] else attrs["gemeente"]}
                    for cid, attrs in ev.attributes.items()},
        manual_divergences=(replace(ev.manual_divergences[0], note=note),),
        summaries={ids["R-05"]: CaseSummary(ids["R-05"], hulpvraag=summary)},
        codebook=Codebook("c", "c", "1", tuple(replace(c, label=label) if c.id == "we.integraal-plan" else c
                                              for c in ev.codebook.codes)) if ev.codebook else None,
        recommendations={"knelpunt:werkzaam:langdurig": Recommendation("e", "knelpunt:werkzaam:langdurig", advice)},
    )
    data = export_data(regio)
    data.evidence = hostile
    data.memo.clear()
    tokens = MD.parse(report.render(data))
    for tab in tables(tokens):
        assert len({len(r) for r in tab}) == 1
    items = list_items(tokens)
    hulpvraag = [after_label(i, "Hulpvraag:") for i in items if after_label(i, "Hulpvraag:") is not None]
    if normalise(summary):
        assert hulpvraag == [normalise(summary)]
    marked = [p[1] for p in (split_strong(i) for i in items) if p is not None and p[0] == "R-04"]
    assert any(m.startswith(": door de analist gemarkeerd: " + normalise(note)) for m in marked)
    recommendations = [plain(i) for i in items
                       if i and i[0].type == "text" and i[0].content.startswith("Aanbeveling: ")]
    if normalise(advice):
        assert "Aanbeveling: " + normalise(advice) in recommendations

