"""The coding screen's notes on cases and the evaluation: divergences, case summaries, case
attributes, recommendations, and the filter. Each opens a form and writes what it returns;
the code x case overview (`code_matrix.py`) returns a filter."""

from __future__ import annotations

from zet_tui.app.screens.coding_dialogs import (
    AttributesModal,
    DivergenceModal,
    DivergenceRequest,
    FilterModal,
    RecommendationModal,
    SummaryModal,
)
from zet_tui.app.screens.coding_view import CodingView
from zet_tui.core.store import Store
from zet_tui.core.store.case_analysis import attribute_name
from zet_tui.core.vocab import CASE_PERSPECTIVES
from zet_tui.core.workbench import Filter, recommendation_targets


class CodingNotes(CodingView):
    def action_divergence(self) -> None:
        item = self.current
        if item is None:
            return
        others = [p for p in CASE_PERSPECTIVES if p != item.perspective
                  and p in item.row.cells]
        if not others:
            self.notify("Deze vraag heeft geen ander perspectief om mee te vergelijken.")
            return

        def done(request: object) -> None:
            if isinstance(request, DivergenceRequest):
                self._write(lambda st: st.add_manual_divergence(
                    item.case.id, item.theme_id, (item.perspective, request.other), request.note,
                    question_key=None if request.whole_theme else item.row.key,
                    actor=self.actor), "Verschil vastgelegd.")

        self.app.push_screen(DivergenceModal(f"Casus {item.case.code}: {item.row.text}",
                                             item.perspective, others), done)

    def action_summary(self) -> None:
        if self.bench is None or self.current is None:
            return
        case = self.current.case

        def done(fields: object) -> None:
            if isinstance(fields, dict):
                self._write(lambda st: st.set_case_summary(case.id, actor=self.actor, **fields),
                            f"Samenvatting van {case.code} opgeslagen.")

        self.app.push_screen(SummaryModal(case.code, self.bench.evidence.summaries.get(case.id)),
                             done)

    def action_attributes(self) -> None:
        if self.bench is None or self.current is None:
            return
        case = self.current.case
        current = self.bench.evidence.attributes.get(case.id, {})

        def done(values: object) -> None:
            if not isinstance(values, dict):
                return

            def save(st: Store) -> None:
                for name, value in values.items():
                    if current.get(attribute_name(name), "") != value:
                        st.set_case_attribute(case.id, name, value, actor=self.actor)

            self._write(save, f"Kenmerken van {case.code} opgeslagen.")

        self.app.push_screen(AttributesModal(case.code, current), done)

    def action_recommendation(self) -> None:
        if self.bench is None or self.store is None:
            return
        from zet_tui.core.feedback import load_findings

        # The report's own findings (all sessions, stored codings): the keys it looks up.
        targets = recommendation_targets(load_findings(self.store, self.evaluation_id),
                                         self.store.findings(self.evaluation_id))
        if not targets:
            self.notify("Er zijn nog geen bevindingen om een aanbeveling bij te schrijven.")
            return
        texts = {k: r.text for k, r in self.bench.evidence.recommendations.items()}

        def done(changes: object) -> None:
            if isinstance(changes, dict) and changes:
                def save(st: Store) -> None:
                    for key, text in changes.items():
                        st.set_recommendation(self.evaluation_id, key, text, actor=self.actor)

                self._write(save, "Aanbeveling opgeslagen.")

        self.app.push_screen(RecommendationModal(targets, texts), done)

    def action_filter(self) -> None:
        if self.bench is None:
            return
        themes = self.bench.themes
        cases = [(c.id, c.code) for c in self.bench.cases]

        self.app.push_screen(FilterModal(self.filter, self.codebook, themes, cases),
                             self.apply_filter)

    def apply_filter(self, flt: object) -> None:
        """Stop at the answers `flt` lets through: stay on the current one if it matches, else
        go to the next that does. Anything but a `Filter` (a cancelled form) changes nothing."""
        if not isinstance(flt, Filter) or self.bench is None:
            return
        self.filter = flt
        target = self.current
        if target is None or not self.bench.matches(target, flt):
            start = None if target is None else target.index
            target = self.bench.step(start, True, flt)
        if target is None:
            self.notify("Geen antwoorden in dit filter.", severity="warning")
        self.theme_id = None  # redraw: the dimming depends on the filter
        self._show(target or self.current)

    def action_overview(self) -> None:
        """The code x case overview; Enter there comes back here with a code and case filter."""
        if self.bench is None or self.store is None:
            return
        from zet_tui.app.screens.code_matrix import CodeMatrixScreen
        from zet_tui.core.code_matrix import code_matrix

        bench = self.bench
        # every session of the evaluation, not only the one per perspective the grid shows
        sessions = self.store.sessions(evaluation_id=self.evaluation_id)
        matrix = code_matrix(bench.evidence.codings, bench.cases, sessions, self.codebook)
        if not matrix.codes:
            self.notify("Nog geen coderingen: het overzicht van codes per casus is dan leeg.")
            return
        stale = {m.id for i in bench.items for m in bench.stale(i)}
        self.app.push_screen(CodeMatrixScreen(matrix, bench.evaluation.name, stale=stale),
                             self.apply_filter)
