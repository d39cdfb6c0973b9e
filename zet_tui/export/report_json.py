"""The evaluation report as plain data, for `export.json`: the same findings as the Markdown.

Case ids become the exported (possibly pseudonymised) case codes and every
free text passes through the pseudonymizer, as in the other formats.
"""

from __future__ import annotations

from typing import Any

from zet_tui.core import findings as rules
from zet_tui.core.findings import Finding, finding_text
from zet_tui.export.data import ExportData
from zet_tui.export.report_method import thresholds


def _finding(data: ExportData, f: Finding) -> dict[str, Any]:
    pseudo = data.pseudo
    sg = f.subgroup
    rec = data.findings.recommendation(f.key)
    return {
        "key": pseudo.text(f.key), "kind": f.kind,
        "subject": {"kind": f.subject.kind, "id": f.subject.id, "label": pseudo.text(f.subject.label),
                    "theme": f.subject.theme_id, "tags": list(f.subject.tags)},
        "subgroup": None if sg is None else {"attribute": sg.attribute, "value": pseudo.text(sg.value),
                                             "outside": sg.outside, "outside_of": sg.outside_considered},
        "cases": [data.case_code(c) for c in f.cases], "n": f.n, "m": f.m, "share": round(f.share, 3),
        "weak": f.weak, "counterexamples": [data.case_code(c) for c in f.counterexamples],
        "questions": list(f.questions), "codes": list(f.codes),
        "coded_cases": [data.case_code(c) for c in f.coded_cases],
        "perspectives": dict(f.perspectives), "pair": list(f.pair) if f.pair else None,
        "citations": [{"case": data.case_code(c.case_id), "perspective": c.perspective,
                       "question_id": c.question_id, "text": pseudo.text(c.text), "source": c.source,
                       "counterexample": c.counterexample} for c in f.citations],
        "recommendation": pseudo.text(rec) or None,
        "text": pseudo.text(finding_text(f, data.findings)),
    }


def report_dict(data: ExportData) -> dict[str, Any]:
    f = data.findings
    pseudo = data.pseudo
    cases = []
    for cid in f.case_ids:
        summary = data.evidence.summaries.get(cid)
        sides = f.case_sides(cid)
        cases.append({
            "case": data.case_code(cid), "municipality": pseudo.text(f.municipality(cid)),
            "attributes": {k: pseudo.text(v) for k, v in data.evidence.attributes.get(cid, {}).items()},
            "summary": None if summary is None else {
                "hulpvraag": pseudo.text(summary.hulpvraag), "knelpunten": pseudo.text(summary.knelpunten),
                "succesfactoren": pseudo.text(summary.succesfactoren),
                "totaalbeeld": pseudo.text(summary.totaalbeeld)},
            "knelpunten": [s.ref for s in sides[rules.KNELPUNT]],
            "succesfactoren": [s.ref for s in sides[rules.SUCCESFACTOR]],
        })
    c = f.coding
    return {
        "thresholds": {"min_cases": rules.MIN_CASES, "strong_from": rules.STRONG_FROM,
                       "min_share": rules.MIN_SHARE, "low_max": rules.LOW_MAX, "high_min": rules.HIGH_MIN,
                       "subgroup_min_share": rules.SUBGROUP_MIN_SHARE,
                       "subgroup_outside_factor": rules.SUBGROUP_OUTSIDE_FACTOR,
                       "discussed_min_share": rules.DISCUSSED_MIN_SHARE, "top_priorities": rules.TOP_PRIORITIES},
        "rules": [{"rule": a, "when": b} for a, b in thresholds()],
        "priorities": [pseudo.text(x.key) for x in f.priorities],
        "findings": [_finding(data, x) for x in f.findings],
        "divergences": [
            {"theme": g.theme_id, "title": g.theme_title, "perspectives": list(g.perspectives),
             "key": g.key, "cases": [data.case_code(x) for x in g.cases],
             "items": [{"case": data.case_code(i.case_id), "question": i.question_key, "question_a": i.text_a,
                        "question_b": i.text_b, "answer_a": i.answer_a, "answer_b": i.answer_b, "kind": i.kind,
                        "note": pseudo.text(i.note)} for i in g.items]}
            for g in f.divergences],
        "cases": cases,
        "municipalities": {pseudo.text(k): [data.case_code(x) for x in v] for k, v in f.municipalities().items()},
        "coding": {"codings": c.codings, "by_polarity": dict(c.by_polarity), "cases": c.cases, "codes": c.codes,
                   "quotes": c.quotes, "stale": c.stale, "manual_divergences": c.manual_divergences,
                   "summaries": c.summaries, "attributes": list(c.attributes)},
        "open_sessions": [{"case": data.case_code(s.case_id), "perspective": s.perspective, "session": s.id}
                          for s in data.sessions if s.is_open],
    }
