"""The start screen: continue an open session, or set up a new one.

A new session needs an evaluation (existing or new, optionally with a chosen
subset of themes: the compact ZET), a case code (a pseudonym, never a real
name), a perspective with its questionnaire, the interviewers and recorded
consent. Everything is validated before anything is written, so a mistake in
the form never leaves a half-made evaluation behind.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Checkbox,
    Footer,
    Input,
    Label,
    OptionList,
    Select,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option

from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.store import CONSENT_PERSPECTIVES, Store, StoreError
from zet_tui.core.vocab import CASE_PERSPECTIVES, PERSPECTIVE_LABELS

NEW = "__new__"


class StartScreen(Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start interview", id="start"),
        Binding("ctrl+o", "focus_open", "Open sessies", id="focus-open"),
        # Typed into a field, q is just a letter; on the session list it quits.
        Binding("q", "app.quit", "Afsluiten", id="quit-q", show=False),
    ]

    @property
    def store(self) -> Store:
        store: Store = self.app.store  # type: ignore[attr-defined]
        return store

    def __init__(self) -> None:
        super().__init__()
        self._questionnaires: list[Questionnaire] | None = None

    def questionnaires(self) -> list[Questionnaire]:
        """The parsed questionnaires; empty until the loading worker is done."""
        return self._questionnaires or []

    @work(thread=True, exclusive=True, group="questionnaires")
    def load_questionnaires(self) -> None:
        """Parse the questionnaire files off the UI thread, so the screen draws at once."""
        found: list[Questionnaire] = self.app.questionnaires()  # type: ignore[attr-defined]
        self.app.call_from_thread(self._questionnaires_loaded, found)

    def _questionnaires_loaded(self, found: list[Questionnaire]) -> None:
        self._questionnaires = found
        self.refresh_questionnaires()
        self._update_perspective()

    def compose(self) -> ComposeResult:
        yield Static("zet-tui · ZET-interviews", id="app-title")
        with VerticalScroll(id="start"):
            yield Static("Doorgaan met open sessie", classes="section")
            yield OptionList(id="open-sessions")
            yield Static("Geen open sessies.", id="no-open", classes="hint")
            yield Static("Nieuwe sessie", classes="section")
            yield Static("", id="q-warning", classes="warning")
            with Horizontal(classes="row"):
                yield Label("Evaluatie", classes="field-label")
                yield Select[str]([("+ nieuwe evaluatie", NEW)], id="evaluation", allow_blank=False)
            with Vertical(id="new-evaluation"):
                with Horizontal(classes="row"):
                    yield Label("Naam", classes="field-label")
                    yield Input(placeholder="naam van de evaluatie", id="ev-name")
                with Horizontal(classes="row"):
                    yield Label("Gemeente", classes="field-label")
                    yield Input(placeholder="gemeente", id="ev-municipality")
                yield SelectionList[str](id="ev-themes")
            with Horizontal(classes="row"):
                yield Label("Casus", classes="field-label")
                yield Select[str]([("+ nieuwe casus", NEW)], id="case", allow_blank=False)
            with Horizontal(classes="row", id="case-code-row"):
                yield Label("Casuscode", classes="field-label")
                yield Input(placeholder="code, bijv. K-01 (nooit een echte naam)", id="case-code")
            with Horizontal(classes="row"):
                yield Label("Perspectief", classes="field-label")
                yield Select[str]([(PERSPECTIVE_LABELS[p], p) for p in CASE_PERSPECTIVES],
                                  id="perspective", allow_blank=False, value="inwoner")
            with Horizontal(classes="row"):
                yield Label("Vragenlijst", classes="field-label")
                yield Select[str]([], id="questionnaire", prompt="vragenlijsten laden…")
            with Horizontal(classes="row"):
                yield Label("Interviewer", classes="field-label")
                yield Input(placeholder="naam interviewer", id="interviewer")
            with Horizontal(classes="row"):
                yield Label("Tweede", classes="field-label")
                yield Input(placeholder="naam co-interviewer / notulist (optioneel)",
                            id="co-interviewer")
            yield Checkbox("Toestemming voor het interview is gegeven", id="consent")
            with Horizontal(classes="row"):
                yield Label("Door wie", classes="field-label")
                yield Input(placeholder="wie gaf toestemming (bijv. inwoner, ouder)", id="consent-by")
            with Horizontal(classes="row"):
                yield Label("Opmerking", classes="field-label")
                yield Input(placeholder="bij de toestemming (optioneel)", id="consent-note")
            yield Static("", id="start-error", classes="error")
            yield Button("Start interview (ctrl+s)", variant="primary", id="start-button")
        yield Footer()

    def on_mount(self) -> None:
        themes = self.query_one("#ev-themes", SelectionList)
        themes.border_title = "Thema's (niets gekozen = alle thema's)"
        self.refresh_lists()
        self.focus_first_field()
        self.load_questionnaires()

    def focus_first_field(self) -> None:
        """Open sessions first (continuing is the common case), else the first empty field."""
        open_list = self.query_one("#open-sessions", OptionList)
        if open_list.display:
            open_list.focus()
            self.call_after_refresh(setattr, open_list, "highlighted", 0)
            return
        for widget_id in ("ev-name", "case-code", "interviewer"):
            widget = self.query_one(f"#{widget_id}", Input)
            if widget.display and widget.parent is not None and widget.parent.display and \
                    (widget_id != "ev-name" or self.query_one("#new-evaluation").display):
                widget.focus()
                return

    def on_screen_resume(self) -> None:
        self.refresh_lists()

    # -- lists ------------------------------------------------------------------
    def refresh_lists(self) -> None:
        sessions = self.store.session_summaries(status="open")
        open_list = self.query_one("#open-sessions", OptionList)
        open_list.clear_options()
        open_list.add_options([
            Option(f"Casus {s.case_code} · {PERSPECTIVE_LABELS.get(s.perspective, s.perspective)} · "
                   f"{s.evaluation_name} · {s.interviewer or 'onbekend'} · {s.answered} antwoorden",
                   id=s.session_id)
            for s in sessions
        ])
        open_list.display = bool(sessions)
        self.query_one("#no-open", Static).display = not sessions
        evaluation = self.query_one("#evaluation", Select)
        current = evaluation.value
        options = [(f"{e.name}{f' ({e.municipality})' if e.municipality else ''}", e.id)
                   for e in self.store.evaluations()]
        options.append(("+ nieuwe evaluatie", NEW))
        evaluation.set_options(options)
        values = [v for _, v in options]
        evaluation.value = current if current in values else values[0]
        self._update_evaluation()

    def refresh_questionnaires(self) -> None:
        questionnaires = self.questionnaires()
        warning = self.query_one("#q-warning", Static)
        problems = self.app.questionnaire_problems  # type: ignore[attr-defined]
        if not questionnaires:
            warning.update("Geen vragenlijsten gevonden. Zet Markdown-vragenlijsten in de map "
                           "questionnaires/ (of wijs een map aan met ZET_QUESTIONNAIRES) en "
                           "controleer ze met 'zet questionnaires check'.")
        elif problems:
            warning.update("Overgeslagen: " + "; ".join(problems))
        warning.display = bool(not questionnaires or problems)
        seen: dict[str, str] = {}
        for q in questionnaires:
            for t in q.themes:
                seen.setdefault(t.id, t.title)
        themes = self.query_one("#ev-themes", SelectionList)
        themes.clear_options()
        themes.add_options([(title, tid) for tid, title in seen.items()])
        if seen:
            themes.highlighted = 0

    def _update_evaluation(self) -> None:
        value = self.query_one("#evaluation", Select).value
        is_new = value == NEW
        self.query_one("#new-evaluation").display = is_new
        case = self.query_one("#case", Select)
        options: list[tuple[str, str]] = []
        if not is_new and isinstance(value, str):
            options = [(c.code, c.id) for c in self.store.cases(value)]
        options.append(("+ nieuwe casus", NEW))
        current = case.value
        case.set_options(options)
        values = [v for _, v in options]
        case.value = current if current in values else values[0]
        self._update_case()

    def _update_case(self) -> None:
        self.query_one("#case-code-row").display = self.query_one("#case", Select).value == NEW

    def _update_perspective(self) -> None:
        perspective = self.query_one("#perspective", Select).value
        matching = [q for q in self.questionnaires() if q.perspective == perspective]
        select = self.query_one("#questionnaire", Select)
        if self._questionnaires is not None:
            select.prompt = "geen vragenlijst voor dit perspectief"
        select.set_options([(f"{q.title} (v{q.version})", q.id) for q in matching])
        if matching:
            select.value = matching[0].id
        consent = self.query_one("#consent", Checkbox)
        consent.label = ("Toestemming om het dossier te lezen is gegeven" if perspective == "dossier"
                         else "Toestemming voor het interview is gegeven")

    @on(Select.Changed, "#evaluation")
    def _evaluation_changed(self) -> None:
        self._update_evaluation()

    @on(Select.Changed, "#case")
    def _case_changed(self) -> None:
        self._update_case()

    @on(Select.Changed, "#perspective")
    def _perspective_changed(self) -> None:
        self._update_perspective()

    @on(OptionList.OptionSelected, "#open-sessions")
    def _open_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.app.open_session(event.option.id)  # type: ignore[attr-defined]

    def action_focus_open(self) -> None:
        open_list = self.query_one("#open-sessions", OptionList)
        if open_list.display:
            open_list.focus()
        else:
            self.notify("Geen open sessies.")

    # -- starting ------------------------------------------------------------------
    def _error(self, message: str) -> None:
        self.query_one("#start-error", Static).update(message)
        if message:
            self.query_one("#start-error").scroll_visible()

    @on(Button.Pressed, "#start-button")
    def action_start(self) -> None:
        def text(widget_id: str) -> str:
            return self.query_one(f"#{widget_id}", Input).value.strip()

        evaluation_id = self.query_one("#evaluation", Select).value
        case_id = self.query_one("#case", Select).value
        perspective = str(self.query_one("#perspective", Select).value)
        qid = self.query_one("#questionnaire", Select).value
        questionnaire = next((q for q in self.questionnaires()
                              if q.id == qid and q.perspective == perspective), None)
        interviewer = text("interviewer")
        consent = self.query_one("#consent", Checkbox).value
        consent_by = text("consent-by")
        if evaluation_id == NEW and not text("ev-name"):
            return self._error("Geef de nieuwe evaluatie een naam.")
        if case_id == NEW and not text("case-code"):
            return self._error("Geef de casus een code (een pseudoniem, nooit een echte naam).")
        if self._questionnaires is None:
            return self._error("De vragenlijsten worden nog geladen; probeer het zo opnieuw.")
        if questionnaire is None:
            return self._error(f"Er is geen vragenlijst voor perspectief "
                               f"{PERSPECTIVE_LABELS.get(perspective, perspective).lower()}.")
        if not interviewer:
            return self._error("Vul de naam van de interviewer in.")
        if perspective in CONSENT_PERSPECTIVES and not (consent and consent_by):
            what = "het dossier te lezen" if perspective == "dossier" else "het interview"
            return self._error(f"Zonder toestemming voor {what} kan de sessie niet starten: "
                               "vink toestemming aan en vul in door wie.")
        try:
            if evaluation_id == NEW:
                chosen = list(self.query_one("#ev-themes", SelectionList).selected)
                evaluation = self.store.create_evaluation(
                    text("ev-name"), text("ev-municipality"), chosen or None, actor=interviewer)
                evaluation_id = evaluation.id
            assert isinstance(evaluation_id, str)
            if case_id == NEW:
                case_id = self.store.add_case(evaluation_id, text("case-code"), actor=interviewer).id
            assert isinstance(case_id, str)
            session = self.store.start_session(
                case_id, questionnaire, interviewer=interviewer,
                co_interviewer=text("co-interviewer"), consent_given=consent,
                consent_by=consent_by, consent_note=text("consent-note"), actor=interviewer)
        except StoreError as exc:
            self.refresh_lists()
            return self._error(str(exc))
        self._error("")
        for widget_id in ("ev-name", "ev-municipality", "case-code", "consent-by", "consent-note"):
            self.query_one(f"#{widget_id}", Input).value = ""
        self.query_one("#consent", Checkbox).value = False
        self.refresh_lists()
        self.query_one("#evaluation", Select).value = evaluation_id
        self.app.open_session(session.id)  # type: ignore[attr-defined]
