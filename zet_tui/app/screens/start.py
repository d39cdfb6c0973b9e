"""The start screen: continue an open session, or set up a new one.

A new session needs an evaluation (existing or new, optionally with a chosen
subset of themes: the compact ZET), a case code (a pseudonym, never a real
name), a perspective with its questionnaire, the interviewers and recorded
consent. Everything is validated before anything is written, so a mistake in
the form never leaves a half-made evaluation behind.

From here the other roles start too: the second person follows a session live
(review), the analyst runs the feedback meeting, and anyone exports an
evaluation. Those screens open their own `Store` on the same file; the export
runs in a thread worker with its own `Store`, because a connection belongs to
one thread and a large export must not freeze the screen.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    Button,
    Input,
    Label,
    OptionList,
    Select,
    Static,
)
from textual.widgets.option_list import Option

from zet_tui.app.key_routing import TabMovesNow
from zet_tui.app.literal import literal, literal_line
from zet_tui.app.palette import NamedCommands
from zet_tui.app.screens.start_dialogs import (
    ExportDialog,
    ExportRequest,
    FeedbackDialog,
    FeedbackRequest,
    FormInput,
    ReviewerNameModal,
)
from zet_tui.app.widgets.fit_footer import FitFooter
from zet_tui.app.widgets.toggles import Checkbox, SelectionList
from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.settings import Settings
from zet_tui.core.store import (
    CONSENT_PERSPECTIVES,
    Evaluation,
    SessionSummary,
    Store,
    StoreError,
    consent_subject,
)
from zet_tui.core.vocab import CASE_PERSPECTIVES, PERSPECTIVE_LABELS, POLICY_PERSPECTIVE
from zet_tui.core.wording import count

if TYPE_CHECKING:
    from zet_tui.export.runner import ExportResult

NEW = "__new__"
#: The three parallel perspectives of a case, the policy self-evaluation of a municipality,
#: and checklists such as the Wmo checklist.
PERSPECTIVE_CHOICES = [(PERSPECTIVE_LABELS[p], p) for p in CASE_PERSPECTIVES] + [
    ("Beleid: zelfevaluatie gemeente", POLICY_PERSPECTIVE),
    ("Overig: checklist, zelfevaluatie", "other")]
EXPORT_ROOT = Path("exports")  # like `zet export`: relative to where zet was started


class StartCommands(NamedCommands):
    """Command palette entries of the start screen: every role can be reached by name."""

    def _commands(self) -> Iterable[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        if not isinstance(screen, StartScreen):
            return
        yield ("Start interview", screen.action_start, "Start de sessie uit het formulier")
        yield ("Open sessies", screen.action_focus_open, "Ga naar de lijst met open sessies")
        yield ("Review: een sessie live volgen als reviewer", screen.action_review,
               "Volg een sessie live: notities, doorvraag-vlaggen, afronden")
        yield ("Terugkoppelbijeenkomst", screen.action_feedback,
               "Bevindingen, reacties en verbeterpunten van een evaluatie")
        yield ("Evaluatie exporteren", screen.action_export,
               "Transcripten, analyseschema's, rapport, CSV, XLSX en JSON")
        yield ("Analyse: toelichtingen coderen", screen.action_analyse,
               "Codeboek, coderingen, citaten, verschillen en samenvattingen per casus")
        yield ("Regio: gemeenten vergelijken", screen.action_region,
               "Basisfuncties per gemeente, beleid naast praktijk, pagina per gemeente")


class StartScreen(TabMovesNow, Screen[None]):
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {StartCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        # Short descriptions: with ^q, f1 and ^p the footer still fits in 80 columns.
        Binding("ctrl+s", "start", "Start", id="start", tooltip="Start interview"),
        Binding("ctrl+o", "focus_open", "Open sessies", id="focus-open", show=False),
        Binding("ctrl+r", "review", "Review", id="review",
                tooltip="Volg een sessie live als reviewer"),
        Binding("ctrl+f", "feedback", "Terugkoppeling", id="feedback",
                tooltip="Terugkoppelbijeenkomst van een evaluatie"),
        # Priority: in a text field ctrl+e would otherwise only jump to the end of the line.
        Binding("ctrl+e", "export", "Export", id="export", priority=True,
                tooltip="Evaluatie exporteren"),
        Binding("ctrl+t", "analyse", "Analyse", id="analyse", show=False,
                tooltip="Analyse: toelichtingen coderen"),
        Binding("ctrl+g", "region", "Regio", id="region", show=False,
                tooltip="Regio: gemeenten vergelijken"),
        # Typed into a field, q is just a letter; on the session list it quits.
        Binding("q", "app.quit", "Afsluiten", id="quit-q", show=False),
    ]
    HELP_SECTION = "start"

    @property
    def store(self) -> Store:
        store: Store = self.app.store  # type: ignore[attr-defined]
        return store

    def __init__(self) -> None:
        super().__init__()
        self._questionnaires: list[Questionnaire] | None = None
        #: Names remembered between runs (`core.settings`), per role.
        self.remembered: Settings = getattr(self.app, "settings", None) or Settings()
        # Names asked once per run, per role: the reviewer and the analyst are different people.
        self._reviewer = self.remembered.reviewer
        self._analyst = ""
        self._exporting = False
        self._lists_filled = False
        self._open_sessions: dict[str, SessionSummary] = {}
        self._damage: dict[str, list[str]] = {}

    @property
    def db_path(self) -> Path:
        path: Path = self.app.db_path  # type: ignore[attr-defined]
        return path

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
        yield Static("", id="export-status", classes="hint", markup=False)
        with VerticalScroll(id="start"):
            yield Static("Doorgaan met open sessie", classes="section")
            yield OptionList(id="open-sessions")
            yield Static("Geen open sessies.", id="no-open", classes="hint")
            yield Static("", id="damaged", classes="warning")
            yield Static("Nieuwe sessie", classes="section")
            yield Static("", id="q-warning", classes="warning")
            with Horizontal(classes="row"):
                yield Label("Evaluatie", classes="field-label")
                yield Select[str]([("+ nieuwe evaluatie", NEW)], id="evaluation", allow_blank=False)
            with Vertical(id="new-evaluation"):
                with Horizontal(classes="row"):
                    yield Label("Naam", classes="field-label")
                    yield FormInput(placeholder="naam van de evaluatie", id="ev-name")
                with Horizontal(classes="row"):
                    yield Label("Gemeente", classes="field-label")
                    yield FormInput(placeholder="gemeente", id="ev-municipality")
                yield SelectionList[str](id="ev-themes")
            with Horizontal(classes="row"):
                yield Label("Casus", classes="field-label")
                yield Select[str]([("+ nieuwe casus", NEW)], id="case", allow_blank=False)
            with Horizontal(classes="row", id="case-code-row"):
                yield Label("Casuscode", classes="field-label")
                yield FormInput(placeholder="code, bijv. K-01 (nooit een echte naam)", id="case-code")
            with Horizontal(classes="row"):
                yield Label("Perspectief", classes="field-label")
                yield Select[str](PERSPECTIVE_CHOICES, id="perspective", allow_blank=False,
                                  value="inwoner")
            with Horizontal(classes="row"):
                yield Label("Vragenlijst", classes="field-label")
                yield Select[str]([], id="questionnaire", prompt="vragenlijsten laden…")
            with Horizontal(classes="row"):
                yield Label("Interviewer", classes="field-label")
                yield FormInput(self.remembered.interviewer, placeholder="naam interviewer",
                            id="interviewer")
            with Horizontal(classes="row"):
                yield Label("Reviewer", classes="field-label")
                yield FormInput(self.remembered.co_interviewer,
                            placeholder="naam van de reviewer (optioneel)",
                            id="co-interviewer")
            yield Checkbox("Toestemming voor het interview is gegeven", id="consent")
            with Horizontal(classes="row consent-row"):
                yield Label("Door wie", classes="field-label")
                yield FormInput(placeholder="wie gaf toestemming (bijv. inwoner, ouder)", id="consent-by")
            with Horizontal(classes="row consent-row"):
                yield Label("Opmerking", classes="field-label")
                yield FormInput(placeholder="bij de toestemming (optioneel)", id="consent-note")
            yield Static("", id="start-error", classes="error")
            yield Button("Start interview (ctrl+s)", variant="primary", id="start-button")
        yield FitFooter()

    def on_mount(self) -> None:
        themes = self.query_one("#ev-themes", SelectionList)
        themes.border_title = "Thema's (niets gekozen = alle thema's)"
        self.query_one("#export-status").display = False
        self.query_one("#damaged").display = False
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
        self._open_sessions = {s.session_id: s for s in sessions}
        in_use = self.store.live_leases()  # opened elsewhere: continuing here is read-only
        open_list = self.query_one("#open-sessions", OptionList)
        highlighted = open_list.highlighted_option
        open_list.clear_options()
        open_list.add_options([Option(open_session_label(s, in_use=s.session_id in in_use),
                                      id=s.session_id) for s in sessions])
        open_list.display = bool(sessions)
        # Refilling clears the highlight, and Enter on a list without one does nothing:
        # keep the session that was highlighted (back from a dialog), else the first.
        if sessions:
            ids = [s.session_id for s in sessions]
            kept = highlighted.id if highlighted is not None else None
            open_list.highlighted = ids.index(kept) if kept in ids else 0
        self.query_one("#no-open", Static).display = not sessions
        evaluation = self.query_one("#evaluation", Select)
        current = evaluation.value
        damaged: list[str] = []
        options = [(literal_line(f"{e.name}{f' ({e.municipality})' if e.municipality else ''}"), e.id)
                   for e in self.store.evaluations(damaged=damaged)]
        self._report_damage("evaluations", damaged)
        options.append((literal_line("+ nieuwe evaluatie"), NEW))
        evaluation.set_options(options)
        values = [v for _, v in options]
        if not self._lists_filled:
            # First fill: the newest evaluation, since the next case usually belongs to the
            # running evaluation; a name typed again would make a second, duplicate one.
            current = values[0]
            self._lists_filled = True
        evaluation.value = current if current in values else values[0]
        self._update_evaluation()

    def _report_damage(self, source: str, problems: list[str]) -> None:
        """Damaged records are left out of the lists and named here; the rest stays usable."""
        self._damage[source] = problems
        found = [p for listed in self._damage.values() for p in listed]
        widget = self.query_one("#damaged", Static)
        if found or widget.display:
            widget.update(literal("Niet te kiezen, beschadigd in de database: " + "; ".join(found)))
            widget.display = bool(found)

    def refresh_questionnaires(self) -> None:
        questionnaires = self.questionnaires()
        warning = self.query_one("#q-warning", Static)
        problems = self.app.questionnaire_problems  # type: ignore[attr-defined]
        if not questionnaires:
            warning.update("Geen vragenlijsten gevonden. Zet Markdown-vragenlijsten in de map "
                           "questionnaires/ (of wijs een map aan met ZET_QUESTIONNAIRES) en "
                           "controleer ze met 'zet questionnaires check'.")
        elif problems:
            warning.update(literal("Overgeslagen: " + "; ".join(problems)))
        warning.display = bool(not questionnaires or problems)
        seen: dict[str, str] = {}
        for q in questionnaires:
            for t in q.themes:
                seen.setdefault(t.id, t.title)
        themes = self.query_one("#ev-themes", SelectionList)
        themes.clear_options()
        themes.add_options([(literal_line(title), tid) for tid, title in seen.items()])
        if seen:
            themes.highlighted = 0

    def _update_evaluation(self) -> None:
        value = self.query_one("#evaluation", Select).value
        is_new = value == NEW
        self.query_one("#new-evaluation").display = is_new
        case = self.query_one("#case", Select)
        options: list[tuple[Text, str]] = []
        damaged: list[str] = []
        if not is_new and isinstance(value, str):
            options = [(literal_line(c.code), c.id) for c in self.store.cases(value, damaged=damaged)]
        self._report_damage("cases", damaged)
        options.append((literal_line("+ nieuwe casus"), NEW))
        current = case.value
        case.set_options(options)
        values = [v for _, v in options]
        case.value = current if current in values else values[0]
        self._update_case()

    def _update_case(self) -> None:
        case_id = self.query_one("#case", Select).value
        self.query_one("#case-code-row").display = case_id == NEW
        if isinstance(case_id, str) and case_id != NEW:
            self._propose_missing_perspective(case_id)

    def _propose_missing_perspective(self, case_id: str) -> None:
        """An existing case usually needs the perspective it does not have yet: propose it,
        unless the chosen one is still missing too (then that was a choice)."""
        have = {s.perspective for s in self.store.sessions(case_id=case_id)}
        select = self.query_one("#perspective", Select)
        missing = [p for p in CASE_PERSPECTIVES if p not in have]
        # a municipality's policy case (BELEID) never needs an interview
        if missing and select.value in have and have != {POLICY_PERSPECTIVE}:
            select.value = missing[0]

    def _update_perspective(self) -> None:
        perspective = self.query_one("#perspective", Select).value
        matching = [q for q in self.questionnaires() if q.perspective == perspective]
        select = self.query_one("#questionnaire", Select)
        if self._questionnaires is not None:
            select.prompt = "geen vragenlijst voor dit perspectief"
        select.set_options([(literal_line(f"{q.title} (v{q.version})"), q.id) for q in matching])
        if matching:
            select.value = matching[0].id
        consent = self.query_one("#consent", Checkbox)
        consent.label = ("Toestemming om het dossier te lezen is gegeven" if perspective == "dossier"
                         else "Toestemming voor het interview is gegeven")
        # A checklist (self-assessment by a team) is about an approach, not a resident.
        needs_consent = perspective in CONSENT_PERSPECTIVES
        for widget in (consent, *self.query(".consent-row")):
            widget.display = needs_consent
        # The policy self-evaluation of a municipality has a case of its own, e.g. BELEID.
        self.query_one("#case-code", Input).placeholder = (
            "code van de beleidscasus, bijv. BELEID" if perspective == POLICY_PERSPECTIVE
            else "code, bijv. K-01 (nooit een echte naam)")

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
        summary = self._open_sessions.get(event.option.id or "")
        if summary is not None and summary.damaged:
            self.notify(summary.damage_message(), severity="error", timeout=10)
        elif event.option.id:
            self.app.open_session(event.option.id)  # type: ignore[attr-defined]

    def action_focus_open(self) -> None:
        open_list = self.query_one("#open-sessions", OptionList)
        if open_list.display:
            open_list.focus()
            if open_list.highlighted is None and open_list.option_count:
                open_list.highlighted = 0
        else:
            self.notify("Geen open sessies.")

    # -- starting ------------------------------------------------------------------
    def _error(self, message: str) -> None:
        self.query_one("#start-error", Static).update(literal(message))
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
        what = consent_subject(perspective)
        if what is not None and not (consent and consent_by):
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
        self.app.remember(interviewer=interviewer,  # type: ignore[attr-defined]
                          co_interviewer=text("co-interviewer"))
        for widget_id in ("ev-name", "ev-municipality", "case-code", "consent-by", "consent-note"):
            self.query_one(f"#{widget_id}", Input).value = ""
        self.query_one("#consent", Checkbox).value = False
        self.refresh_lists()
        self.query_one("#evaluation", Select).value = evaluation_id
        self._update_evaluation()
        # The next session is usually another perspective of the same case.
        self.query_one("#case", Select).value = case_id
        self._update_case()
        self.app.open_session(session.id)  # type: ignore[attr-defined]

    # -- the other roles: review, feedback meeting, export ------------------------------
    def action_review(self) -> None:
        """Follow the highlighted open session, or pick any session (also finished ones)."""
        from zet_tui.app.screens.review import SessionPickScreen

        open_list = self.query_one("#open-sessions", OptionList)
        if open_list.has_focus and open_list.highlighted is not None:
            option = open_list.get_option_at_index(open_list.highlighted)
            if option.id:
                self._ask_reviewer(option.id)
                return
        self.app.push_screen(SessionPickScreen(self.db_path), self._session_picked)

    def _session_picked(self, session_id: str | None) -> None:
        if session_id:
            self._ask_reviewer(session_id)

    def _ask_reviewer(self, session_id: str) -> None:
        def named(name: str | None) -> None:
            if name:
                self._reviewer = name
                self.app.remember(reviewer=name)  # type: ignore[attr-defined]
                self.open_review(session_id, name)

        self.app.push_screen(ReviewerNameModal(self._reviewer), named)

    def open_review(self, session_id: str, reviewer: str) -> None:
        from zet_tui.app.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.db_path, session_id, reviewer))

    def _evaluations(self) -> tuple[list[Evaluation], str | None] | None:
        evaluations = self.store.evaluations(damaged=[])  # the list above names damaged ones
        if not evaluations:
            self.notify("Er is nog geen evaluatie. Start eerst een sessie (of probeer 'zet demo').",
                        severity="warning")
            return None
        current = self.query_one("#evaluation", Select).value
        return evaluations, current if isinstance(current, str) else None

    def action_feedback(self) -> None:
        found = self._evaluations()
        if found is not None:
            self.app.push_screen(FeedbackDialog(*found, actor=self._analyst), self._feedback_chosen)

    def _feedback_chosen(self, request: object) -> None:
        if isinstance(request, FeedbackRequest):
            from zet_tui.app.screens.feedback import FeedbackScreen

            self._analyst = request.actor
            self.app.push_screen(FeedbackScreen(self.db_path, request.evaluation_id,
                                                actor=request.actor))

    def action_region(self) -> None:
        regions = self.store.regions()
        if not regions:
            self.notify("Er is nog geen regio. Maak er een met 'zet regio nieuw' (of probeer "
                        "'zet demo --regio').", severity="warning")
            return
        from zet_tui.app.screens.region import RegionScreen

        self.app.push_screen(RegionScreen(self.db_path, regions[0].id))

    def action_analyse(self) -> None:
        found = self._evaluations()
        if found is not None:
            from zet_tui.app.screens.coding_dialogs import AnalyseDialog

            self.app.push_screen(AnalyseDialog(*found, actor=self._analyst), self._analyse_chosen)

    def _analyse_chosen(self, request: object) -> None:
        if isinstance(request, FeedbackRequest):
            from zet_tui.app.screens.coding import open_coding_screen

            self._analyst = request.actor
            open_coding_screen(self.app, self.db_path, request.evaluation_id, request.actor)

    def action_export(self) -> None:
        if self._exporting:
            self.notify("Er loopt al een export; wacht tot die klaar is.", severity="warning")
            return
        found = self._evaluations()
        if found is not None:
            self.app.push_screen(ExportDialog(*found, root=Path.cwd() / EXPORT_ROOT),
                                 self._export_chosen)

    def _export_chosen(self, request: object) -> None:
        if isinstance(request, ExportRequest):
            self._exporting = True
            self._export_status("Exporteren…")
            self.export_evaluation(request)

    def _export_status(self, text: str) -> None:
        status = self.query_one("#export-status", Static)
        status.update(literal(text))
        status.display = bool(text)

    @work(thread=True, group="export")
    def export_evaluation(self, request: ExportRequest) -> None:
        """Read and write the whole export off the UI thread, on a Store of this thread."""
        from zet_tui.export.runner import ExportError, run_export, select

        shown = [-1]

        def progress(done: int, total: int, label: str) -> None:
            step = done * 20 // max(total, 1)  # at most ~20 screen updates, however many files
            if step != shown[0]:
                shown[0] = step
                self.app.call_from_thread(self._export_status,
                                          f"Exporteren: {done}/{total} bestanden…")

        try:
            with Store.open(self.db_path, create=False) as store:
                selection = select(store, evaluation=request.evaluation_id)
                result = run_export(store, selection, root=request.root,
                                    pseudonymize=request.pseudonymize, progress=progress)
        except (ExportError, StoreError) as exc:
            self.app.call_from_thread(self._export_failed, str(exc))
        except (OSError, sqlite3.Error) as exc:
            self.app.call_from_thread(self._export_failed, f"{type(exc).__name__}: {exc}")
        except Exception as exc:  # a bug in the export must not take the interview app down
            self.app.call_from_thread(self._export_failed, f"interne fout ({type(exc).__name__}: "
                                      f"{exc}); de onvolledige export is verwijderd")
        else:
            self.app.call_from_thread(self._export_done, result)

    def _export_done(self, result: ExportResult) -> None:
        self._exporting = False
        self._export_status("")
        self.app.notify(f"{count(len(result.files), 'bestand', 'bestanden')}, "
                        f"{count(result.answers, 'antwoord', 'antwoorden')}.\n"
                        f"Map: {result.folder}", title="Export klaar", timeout=15, markup=False)

    def _export_failed(self, message: str) -> None:
        self._exporting = False
        self._export_status("")
        self.app.notify(message, title="Export mislukt", severity="error", timeout=15, markup=False)


def open_session_label(s: SessionSummary, *, in_use: bool = False) -> Text:
    """One open session in the list: case, perspective, evaluation, interviewer, progress;
    damaged, or open in another app."""
    label = (f"Casus {s.case_code} · {PERSPECTIVE_LABELS.get(s.perspective, s.perspective)} · "
             f"{s.evaluation_name} · {s.interviewer or 'onbekend'} · ")
    if s.damaged:
        return Text.assemble(literal_line(label), ("beschadigd: niet te openen", "bold red"))
    return literal_line(f"{label}{count(s.answered, 'antwoord', 'antwoorden')}"
                        f"{' · nu open in een andere app' if in_use else ''}")
