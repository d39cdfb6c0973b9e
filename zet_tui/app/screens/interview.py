"""The interview screen: a chat log over the headless `Interview` engine.

Order of every change: build the answer (engine validates), commit it through
the store, then record it in the engine, then move the screen on. A killed
process therefore resumes with every answer the interviewer saw confirmed.

What is typed but not saved is a draft (`DraftKeeper`): kept in the store
shortly after each change and whenever the interviewer leaves the question,
shown again when the question comes back. Keys reach the place the interviewer
is going, in the order typed (see `key_routing`): the first digit in the
toelichting is the score, and no letter is ever a command on the answer panel.

The chat shows a bounded window: the opening, one summary bubble per other
theme, and the current theme up to the current question (at most
`MAX_PAIRS` earlier questions). Bubbles are diffed by key, so the usual step
(answer, next question) mounts two bubbles and removes none or a few: the cost
of a key press does not grow with the length of the interview.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from zet_tui.app.drafts import DraftKeeper
from zet_tui.app.fit import Hint, Part, fit_parts, ranked_hints
from zet_tui.app.key_routing import settle
from zet_tui.app.literal import highlight, literal, literal_line, prose
from zet_tui.app.screens.answer_form import VALUE_TYPES, AnswerForm
from zet_tui.app.screens.answer_keys import AnswerKeys
from zet_tui.app.screens.interview_live import (
    LeaseLost,
    LiveSession,
    note_author,
    reviewer_counts,
)
from zet_tui.app.widgets.chat import (
    AnswerBar,
    Bubble,
    ChatLog,
    KeyHints,
    ThemeList,
    answer_renderable,
    answer_summary,
    question_renderable,
    state_icon,
    theme_line,
    theme_summary,
)
from zet_tui.core import collector
from zet_tui.core.answers import Answer
from zet_tui.core.drafts import Draft, draft_of
from zet_tui.core.interview import Interview, InterviewError, ThemeProgress
from zet_tui.core.questionnaire import ID_RE, Question, Theme
from zet_tui.core.store import Note, NoteRole, Session, Store, StoreError
from zet_tui.core.vocab import PERSPECTIVE_LABELS, AnswerStatus
from zet_tui.core.wording import count

#: Where "Exporteren" writes, like `zet export` without --out (relative to the
#: working directory); `ZetApp.export_root` overrides it.
DEFAULT_EXPORT_ROOT = Path("exports")
#: Earlier questions of the current theme kept in the chat (each is two bubbles).
MAX_PAIRS = 8
#: Summaries of other themes shown one by one; older ones fold into a single bubble.
MAX_SUMMARIES = 4
#: Seconds between the answer panel's frame and the start of the chat's work on a step
#: (see `_follow_in_chat`); the chat's own frame comes ~35 ms after the key anyway.
TERMINAL_FIRST = 0.005


@dataclass(frozen=True)
class ChatItem:
    key: str
    sig: str
    kind: str
    build: Callable[[], RenderableType]
    question_id: str | None = None
    theme_id: str | None = None


def _parse_time(stamp: str) -> datetime:
    return datetime.fromisoformat(stamp)


def format_elapsed(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


class InterviewCommands(Provider):
    """Command palette entries of the interview screen."""

    def _commands(self, with_questions: bool) -> Iterable[tuple[str, Callable[[], object], str]]:
        screen = self.screen
        if not isinstance(screen, InterviewScreen):
            return
        yield ("Vraag overslaan (niet besproken)", screen.action_skip,
               "Sla de huidige vraag over met een reden")
        yield ("Thema niet besproken", screen.action_skip_theme,
               "Sla alle open vragen van dit thema over, met één reden")
        yield ("Notitie toevoegen", screen.action_note, "Notitie bij de huidige vraag")
        yield ("Vorige vraag", screen.action_back, "Ga één vraag terug")
        yield ("Dekking tonen", screen.action_coverage, "Welke thema's en vragen zijn nog open")
        yield ("Notities en vlaggen van de reviewer", screen.action_flags,
               "Alle notities en vlaggen; vlaggen afhandelen")
        if screen.live.read_only:
            yield ("Sessie overnemen", screen.action_take_over,
                   "Hier verder werken zodra de andere app gesloten is")
        yield ("Sessie afronden", screen.action_finish, "Toon wat open is en rond af")
        yield ("Exporteren", screen.action_export,
               "Deze sessie naar een nieuwe map: Markdown, CSV, XLSX en JSON")
        yield ("Help: alle toetsen", screen.action_help, "Overzicht van alle toetsen")
        for theme in screen.engine.questionnaire.themes:
            yield (f"Ga naar thema: {theme.title}", partial(screen.goto_theme, theme.id),
                   "Eerste open vraag van dit thema")
        if with_questions:
            visible = screen.engine.visible()
            for n, q in enumerate(visible, start=1):
                # The help line is markup in Textual: only a plain id may go there.
                yield (f"Ga naar vraag {n}: {q.text}", partial(screen.goto_question, q.id),
                       q.id if ID_RE.match(q.id) else "")

    async def discover(self) -> Hits:
        for name, callback, help_text in self._commands(with_questions=False):
            yield DiscoveryHit(literal_line(name), callback, text=name, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, callback, help_text in self._commands(with_questions=True):
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, highlight(matcher, name), callback, text=name, help=help_text)


class InterviewScreen(Screen[None]):
    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {InterviewCommands}
    # All priority: a step runs when its key is read, before the keys typed after it are
    # routed, so those reach the place the step leads to (see key_routing).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Opslaan", id="submit", priority=True),
        Binding("ctrl+b", "back", "Vorige", id="back", priority=True),
        Binding("ctrl+o", "skip", "Overslaan", id="skip", priority=True,
                tooltip="Vraag overslaan: niet besproken, met een reden"),
        Binding("ctrl+t", "skip_theme", "Thema overslaan", id="skip-theme", show=False,
                priority=True,
                tooltip="Thema niet besproken: alle open vragen van dit thema, één reden"),
        Binding("f2", "note", "Notitie", id="note", priority=True,
                tooltip="Eigen notitie bij de huidige vraag"),
        Binding("f3", "coverage", "Dekking", id="coverage", priority=True),
        Binding("f4", "themes", "Thema's", id="themes", priority=True),
        Binding("f5", "flags", "Notities", id="flags", priority=True,
                tooltip="Notities en vlaggen van de reviewer (en eigen notities); vlag afhandelen"),
        Binding("f6", "status('weet_niet')", "Weet niet", id="weet-niet", show=False,
                priority=True, tooltip="Weet niet (nog eens: weer uit); de toelichting blijft"),
        Binding("f7", "status('nvt')", "N.v.t.", id="nvt", show=False, priority=True,
                tooltip="Niet van toepassing (nog eens: weer uit); de toelichting blijft"),
        Binding("f8", "take_over", "Overnemen", id="take-over", show=False, priority=True,
                tooltip="Alleen-lezen scherm: hier verder werken zodra de andere app gesloten is"),
        Binding("f9", "finish", "Afronden", id="finish", priority=True),
        Binding("escape", "focus_answer", "Naar antwoord", id="focus-answer", show=False,
                priority=True, tooltip="Terug naar het antwoord: de smileys, of het "
                                       "datum-, getal- of tekstveld"),
        Binding("question_mark", "help", "Help", id="help-key", show=False,
                tooltip="Help (buiten een tekstveld)"),
    ]
    #: Below 30 lines the answer area is drawn without borders, also on a wide screen, so
    #: the toelichting keeps its lines at 24 (see zet.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012 (declared by Screen)
    #: When nothing has focus (the screen opens, a dialog closes): the answer's field that is
    #: shown, as `AnswerForm.start_field` chooses it. Not Textual's first focusable widget
    #: (the theme list): the first frame has none of these fields yet, and focusing the list
    #: there only to leave it again restyled the screen twice (~1.5 ms of the first frame).
    AUTO_FOCUS = "#value, #value-text, #toelichting"
    #: The fields, the probes and the theme rows follow one frame after the first question
    #: (`_complete_mount`), which then resumes the cycle collector paused while `zet`
    #: started (core.collector), not the app when the first frame is drawn.
    COMPLETES_START: ClassVar[bool] = True
    #: At 80 columns these hints leave the key line first, then the palette's (all stay in
    #: the F1 help and the palette).
    FOOTER_DROP: ClassVar[tuple[str, ...]] = ("screen.coverage", "screen.note")

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.engine = Interview(session.questionnaire, self.store.answers(session.id))
        case = self.store.case(session.case_id)
        self.case_code = case.code if case else "?"
        self.notes: list[Note] = self.store.notes(session.id)
        self._data_version = self.store.data_version()
        self._theme_prompts: dict[str, str] = {}
        self._progress: list[ThemeProgress] = []
        self._status_text = ""
        self._answer_state: str | None = None
        self._question_line = Text()
        self.form = AnswerForm(self)
        self.keys = AnswerKeys(self, self.form)
        self._loaded_from: Draft | None = None
        self.drafts = DraftKeeper(self, self.store, session.id, self.shown_state,
                                  may_write=lambda: not self.live.read_only)
        self._chat_changes: list[Awaitable[None]] = []
        self._chat_turn = asyncio.Lock()
        self._started = _parse_time(session.started)
        self.live = LiveSession(self)  # claims the writer's lease, or opens read-only

    @property
    def store(self) -> Store:
        store: Store = self.app.store  # type: ignore[attr-defined]
        return store

    @property
    def ascii(self) -> bool:
        return bool(getattr(self.app, "ascii", False))

    # -- layout -------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        self._apply_width_classes()  # before the children are styled: styled once
        yield Static(id="status")
        with Horizontal(id="body"):
            yield ThemeList(id="themes")
            with Vertical(id="main"):
                yield ChatLog(id="chat")
                with Vertical(id="answer-panel"):
                    yield from LiveSession.lines()
                    yield Static(id="current-question")
                    yield AnswerBar(id="answer-bar", ascii=self.ascii)
                    yield from self.form.first_frame_fields(self.engine.current)
                    yield Static(id="value-error")
                    # The multi-line fields and the doorvragen follow one frame later
                    # (AnswerForm.build_fields); keys typed before wait for them.
        yield KeyHints(self.key_hints(), id="key-hints")

    @classmethod
    def key_hints(cls) -> list[Hint]:
        hints = [(b.key.replace("ctrl+", "^"), b.description, f"screen.{b.action}")
                 for b in cls.BINDINGS if isinstance(b, Binding) and b.show]
        hints.append(("^p", "Palet", "app.command_palette"))
        hints.append(("f1", "Help", "screen.help"))
        return ranked_hints(hints, short_labels={}, first_to_go=cls.FOOTER_DROP)

    def on_mount(self) -> None:
        self.form.attach()
        self.form.bar.on_choice = self.keys.choice_made
        self.query_one("#themes", ThemeList).border_title = "Thema's"
        self.query_one("#chat", ChatLog).anchor()
        self.show_question(chat=False)
        self.update_status()
        self.live.mount()
        # Put the question on screen first; the chat, the text fields and the probe list
        # (expensive to import, build and style) and the theme rows one frame later. The
        # chat's bubbles did not make the first frame anyway (they are drawn once mounted),
        # but mounting them delayed it by ~5 ms.
        self.call_after_refresh(self._complete_mount)

    def _apply_width_classes(self) -> None:
        """Textual sets the breakpoint classes (-narrow/-wide, -short/-tall) on the first
        resize event, which for the app's first screen arrives after the first frame: that
        frame was drawn narrow and then laid out again. Set them while composing, the same
        way."""
        for size, breakpoints in (
                (self.app.size.width, self.HORIZONTAL_BREAKPOINTS or self.app.HORIZONTAL_BREAKPOINTS),
                (self.app.size.height, self.VERTICAL_BREAKPOINTS)):
            points = sorted(breakpoints or [], reverse=True)
            chosen = next((name for start, name in points if size >= start), None)
            for _, name in points:
                self.set_class(name == chosen, name)

    async def _complete_mount(self) -> None:
        if not self.is_attached:  # quit (ctrl+q) before the first refresh: nothing to build
            return
        self.sync_chat()
        await self.form.build_fields()
        self.live.apply_mode()  # the new fields, too, are read-only when another app writes
        self.keys.start_choosing()
        if not self.live.read_only:
            self.set_focus(self.form.start_field())
            others = [qid for qid in self.drafts.drafts if qid != self.engine.current.id]
            if others:
                self.notify(f"{count(len(others), 'concept', 'concepten')} van eerder (nog niet "
                            "opgeslagen) bij: " + self._question_list(others)
                            + ". Open de vraag om af te maken.", timeout=8)
        await self.keys.replay_early_input()
        self.query_one("#themes", ThemeList).add_options(
            [Option(literal_line(t.title), id=t.id) for t in self.engine.questionnaire.themes])
        self._theme_prompts.clear()
        self.update_theme_list()
        self.live.apply_mode()
        self.set_interval(1.0, self.tick)
        # The start is complete: the collector resumes, and skips all of it from now on.
        collector.resume(freeze=True)

    def on_unmount(self) -> None:
        self.drafts.close()
        self.live.stop()

    @on(LeaseLost)
    def _lease_lost(self, event: LeaseLost) -> None:
        self.live.lost(event.lease)

    # -- showing the current question ------------------------------------------------
    def show_question(self, *, focus: bool = True, chat: bool = True) -> None:
        """Show the engine's current question (`chat=False`: the caller brings the chat and
        the theme list in line later). The fields still hold the question being left: its
        unsaved state is kept as a draft first, never dropped."""
        self._keep_draft()
        q = self.engine.current
        answer = self.engine.current_answer
        self._progress = self.engine.progress()
        n, total = self.engine.index()
        self._question_line = Text.assemble((f"Vraag {n} van {total} · ", "dim"),
                                            literal_line(q.text, "bold"))
        self._answer_state = None
        self._loaded_from = draft_of(q, answer)
        self.form.load(q, self.drafts.get(q.id) or self._loaded_from)
        self.drafts.loaded()
        self.keys.start_choosing()
        if self.query_one("#value-error", Static).display:
            self._set_error("")
        if chat:
            self.sync_chat()
            self.update_theme_list()
            self.update_status()
        self._show_answer_state()
        if focus:
            # Now, not scheduled: the next key is routed there. Before the text fields
            # exist, keys wait (AnswerKeys) and focus follows in `_complete_mount`.
            self.set_focus(self.form.start_field())

    def shown_state(self) -> tuple[Draft, Draft] | None:
        """(the fields now, the fields for the saved answer they were loaded with) of the
        question on screen. Loaded with, not the engine's answer now: an answer saved by
        another app meanwhile must not turn the fields that still show the old one into a
        draft."""
        if self.form.question is None or self._loaded_from is None:
            return None
        return self.form.read(), self._loaded_from

    def _keep_draft(self) -> None:
        """Before the fields change to another question: keep what was typed, and say so."""
        left = self.form.question
        if left is None:
            return
        kept = self.drafts.flush()
        if kept is not None and left.id != self.engine.current.id:
            self.notify(f"Concept bewaard bij \u201c{left.text}\u201d (nog niet opgeslagen).",
                        timeout=4)

    def _show_answer_state(self) -> None:
        """The question line, led by the state of what is on the panel: *concept*
        (changed, not saved yet) or *opgeslagen* (as saved), nothing for a new question.

        On the line that is redrawn at every step anyway: a one-line repaint, where a
        title on the panel's border repainted the whole panel (~8 ms a step)."""
        shown = self.shown_state()
        if shown is None:
            return
        state, saved = shown
        if not state.same_as(saved):
            label = "concept"
        elif state.question_id in self.engine.answers:
            label = "opgeslagen"
        else:
            label = ""
        if label == self._answer_state:
            return
        self._answer_state = label
        line = Text()
        if label == "concept":
            line.append(f"{'*' if self.ascii else '✎'} concept", "bold reverse")
            line.append(" ")
        elif label:
            line.append(f"{'[x]' if self.ascii else '✓'} opgeslagen ", "bold")
        line.append_text(self._question_line)
        # A fixed one-line widget: a repaint, never a layout.
        self.query_one("#current-question", Static).update(line, layout=False)

    def _question_list(self, question_ids: Iterable[str]) -> str:
        numbers = {q.id: n for n, q in enumerate(self.engine.visible(), start=1)}
        qn = self.engine.questionnaire
        parts = []
        for qid in question_ids:
            q = qn.question(qid)
            parts.append(f"vraag {numbers[qid]}" if qid in numbers else (q.text if q else qid))
        return ", ".join(parts)

    def _set_error(self, message: str) -> None:
        error = self.query_one("#value-error", Static)
        error.update(literal(message))
        error.display = bool(message)

    def update_status(self) -> None:
        """The header: one line at any width, the details shortened first (see `fit_parts`)."""
        n, total = self.engine.index()
        elapsed = format_elapsed((self.app.clock() - self._started).total_seconds())  # type: ignore[attr-defined]
        parts: list[Part] = ["ALLEEN LEZEN"] if self.live.read_only else []
        parts += [(f"Casus {self.case_code}", self.case_code),
                  PERSPECTIVE_LABELS.get(self.session.perspective, self.session.perspective),
                  (f"vraag {n} van {total}", f"{n}/{total}"), (f"tijd {elapsed}", elapsed)]
        if reviewer := reviewer_counts(self.notes, self.ascii):
            parts.append((reviewer, reviewer_counts(self.notes, self.ascii, short=True)))
        if self.app.size.width < 100 and not self.has_class("-show-themes"):
            # The theme list is hidden at this width: keep the theme states visible here.
            parts.append(theme_summary(self._progress, self.ascii))
        if not self.session.is_open:
            parts.append("afgerond")
        status = fit_parts(parts, self.app.size.width - 2)  # the header's padding
        if status != self._status_text:
            self._status_text = status
            self.query_one("#status", Static).update(literal_line(status), layout=False)

    def on_resize(self) -> None:
        self.update_status()  # what fits the header changes with the width

    def tick(self) -> None:
        self.update_status()
        try:
            version = self.store.data_version()
        except Exception:  # a busy or vanished file must not kill the interview
            return
        changed = version != self._data_version
        self._data_version = version
        self.live.tick(changed)

    def reload_notes(self) -> None:
        self.notes = self.store.notes(self.session.id)
        self.reload_view()

    def reload_view(self) -> None:
        """Notes or answers changed elsewhere: the chat, theme list and header catch up."""
        self._progress = self.engine.progress()
        self.sync_chat()
        self.update_theme_list()
        self.update_status()

    # -- theme list ------------------------------------------------------------------
    def _open_flags_by_theme(self) -> dict[str, list[Note]]:
        out: dict[str, list[Note]] = {}
        for note in self.notes:
            if note.is_open_flag:
                tid = self._note_theme(note)
                if tid:
                    out.setdefault(tid, []).append(note)
        return out

    def _note_theme(self, note: Note) -> str | None:
        if note.theme_id:
            return note.theme_id
        if note.question_id:
            q = self.engine.questionnaire.question(note.question_id)
            return q.theme_id if q else None
        return None

    def update_theme_list(self) -> None:
        themes = self.query_one("#themes", ThemeList)
        if themes.option_count != len(self._progress):
            return  # the rows are added one frame after the first question (on_mount)
        flags = self._open_flags_by_theme()
        current = self.engine.current.theme_id
        for i, p in enumerate(self._progress):
            badge = f" {'!' if self.ascii else '⚑'}{len(flags[p.theme.id])}" if p.theme.id in flags else ""
            marker = "▸ " if p.theme.id == current and not self.ascii else ("> " if p.theme.id == current else "  ")
            prompt = f"{marker}{state_icon(p.state, self.ascii)} {p.theme.title} {p.done_count}/{p.total_count}{badge}"
            if self._theme_prompts.get(p.theme.id) != prompt:
                self._theme_prompts[p.theme.id] = prompt
                themes.set_prompt(i, literal_line(prompt))  # "[x]" is no markup tag; ␛ shown

    # -- chat ---------------------------------------------------------------------------
    def chat_items(self) -> list[ChatItem]:
        engine = self.engine
        qn = engine.questionnaire
        current = engine.current
        answers = engine.answers
        visible = engine.visible()
        number = {q.id: i for i, q in enumerate(visible, start=1)}
        total = len(visible)
        progress = {p.theme.id: p for p in self._progress}
        notes_by_question: dict[str, list[Note]] = {}
        theme_notes: dict[str, list[Note]] = {}
        session_notes: list[Note] = []
        for note in self.notes:
            if note.question_id:
                notes_by_question.setdefault(note.question_id, []).append(note)
            tid = self._note_theme(note)
            if tid is None:
                session_notes.append(note)
            elif not note.question_id:
                theme_notes.setdefault(tid, []).append(note)
        items: list[ChatItem] = []
        if qn.opening:
            items.append(ChatItem("opening", "", "assistant", partial(prose, qn.opening)))
        items.extend(self._note_items(session_notes))
        summaries: list[ChatItem] = []
        for theme in qn.themes:
            if theme.id == current.theme_id:
                continue
            p = progress[theme.id]
            flags = [n for n in self.notes if n.is_open_flag and self._note_theme(n) == theme.id]
            if p.complete == 0 and not flags:
                continue
            sig = f"{p.state}:{p.done_count}:{p.total_count}:{','.join(n.id for n in flags)}"
            summaries.append(ChatItem(f"sum:{theme.id}", sig, "summary",
                                      partial(self._summary, p, flags), theme_id=theme.id))
        if len(summaries) > MAX_SUMMARIES:
            # Many themes behind us: fold the oldest into one line, so the number of
            # mounted bubbles (and the layout cost of a key press) stays bounded.
            folded = summaries[:-MAX_SUMMARIES]
            tids = [item.theme_id for item in folded if item.theme_id]
            items.append(ChatItem("sum:older", "|".join(i.key + i.sig for i in folded), "summary",
                                  partial(self._folded_summary, tids)))
            summaries = summaries[-MAX_SUMMARIES:]
        items.extend(summaries)
        here = qn.theme(current.theme_id)
        assert here is not None
        theme = here
        items.append(ChatItem(f"intro:{theme.id}", "", "assistant",
                              partial(self._theme_intro, theme), theme_id=theme.id))
        in_theme = [q for q in theme.questions if q.id in number]
        before = in_theme[: in_theme.index(current)] if current in in_theme else []
        shown_ids = {q.id for q in before} | {current.id}
        extra = list(theme_notes.get(theme.id, []))
        for q in in_theme:
            if q.id not in shown_ids:
                extra.extend(notes_by_question.get(q.id, []))
        items.extend(self._note_items(extra))
        hidden = before[:-MAX_PAIRS] if len(before) > MAX_PAIRS else []
        if hidden:
            items.append(ChatItem(
                f"more:{theme.id}", str(len(hidden)), "hint",
                partial(Text, f"… {count(len(hidden), 'eerdere vraag', 'eerdere vragen')} van dit "
                        "thema; kies ze in de themalijst (F4) of met ctrl+p", style="dim"),
                theme_id=theme.id))
        pen = "*" if self.ascii else "✎"
        for q in before[len(hidden):]:
            items.append(self._question_item(q, number[q.id], total))
            answer = answers.get(q.id)
            drafted = self.drafts.get(q.id) is not None
            if answer is not None:
                items.append(ChatItem(f"a:{q.id}", _answer_sig(answer), "interviewer",
                                      partial(answer_renderable, q, answer, self.ascii),
                                      question_id=q.id))
                if drafted:
                    items.append(ChatItem(
                        f"d:{q.id}", "", "hint",
                        partial(Text, f"{pen} concept met wijzigingen, nog niet opgeslagen "
                                      "(klik om af te maken)", style="italic"),
                        question_id=q.id))
            elif drafted:
                items.append(ChatItem(f"a:{q.id}", "draft", "hint",
                                      partial(Text, f"{pen} concept, nog niet opgeslagen (klik om "
                                                    "af te maken)", style="italic"),
                                      question_id=q.id))
            else:
                items.append(ChatItem(f"a:{q.id}", "none", "hint",
                                      partial(Text, "nog niet beantwoord (klik om te openen)",
                                              style="dim italic"), question_id=q.id))
            items.extend(self._note_items(notes_by_question.get(q.id, [])))
        items.append(self._question_item(current, number.get(current.id, 0), total, current=True))
        items.extend(self._note_items(notes_by_question.get(current.id, [])))
        return items

    def _question_item(self, q: Question, n: int, total: int, current: bool = False) -> ChatItem:
        return ChatItem(f"q:{q.id}", f"{n}/{total}",
                        "question -current" if current else "question",
                        lambda: question_renderable(q, n, total), question_id=q.id)

    def _note_items(self, notes: list[Note]) -> list[ChatItem]:
        out = []
        for note in notes:
            sig = "handled" if note.handled_at else "open"
            out.append(ChatItem(f"n:{note.id}", sig, "flag" if note.is_open_flag else "note",
                                partial(self._note_text, note)))
        return out

    def _note_text(self, note: Note) -> Text:
        who = note_author(note)
        if note.kind == "flag":
            icon = "!" if self.ascii else "⚑"
            state = " (afgehandeld)" if note.handled_at else " (F5 om af te handelen)"
            return literal(f"{icon} Vlag van {who}: {note.text}{state}", style="italic")
        return literal(f"Notitie van {who}: {note.text}", style="italic dim")

    def _theme_intro(self, theme: Theme) -> RenderableType:
        parts: list[RenderableType] = [literal(f"Thema: {theme.title}", style="bold")]
        if theme.intro:
            parts.append(prose(theme.intro))
        from rich.console import Group

        return Group(*parts)

    def _folded_summary(self, theme_ids: list[str]) -> Text:
        progress = {p.theme.id: p for p in self._progress}
        text = Text(f"Eerdere thema's ({len(theme_ids)}; open ze met F4 of ctrl+p):", style="bold")
        for tid in theme_ids:
            p = progress[tid]
            text.append(literal("\n" + theme_line(p, self.ascii)))
        return text

    def _summary(self, p: ThemeProgress, flags: list[Note]) -> Text:
        text = literal(theme_line(p, self.ascii))
        for flag in flags:
            text.append(literal(f"\n{'!' if self.ascii else '⚑'} {flag.text}", style="italic"))
        return text

    def sync_chat(self) -> None:
        """Bring the chat in line with `chat_items`, touching only what changed.

        Bubbles are matched by key: gone ones are removed, kept ones updated in place,
        new ones mounted where they belong (in runs, before the next kept bubble). A
        step usually mounts two bubbles; a "more" line or a summary appearing in the
        middle no longer rebuilds the whole chat."""
        chat = self.query_one("#chat", ChatLog)
        items = self.chat_items()
        self._chat_changes = []  # only this step's changes are waited for (Textual runs all)
        mounted = [w for w in chat.children if isinstance(w, Bubble)]
        wanted = {item.key for item in items}
        keep = {w.key: w for w in mounted if w.key in wanted}
        order = [item.key for item in items if item.key in keep]
        if order != [w.key for w in mounted if w.key in keep]:
            keep = {}  # reordered (never in practice): rebuild
        remove = [w for w in mounted if w.key not in keep]
        if remove:
            self._chat_changes.append(chat.remove_children(remove))
        run: list[Bubble] = []
        for item in items:
            widget = keep.get(item.key)
            if widget is None:
                run.append(Bubble(item.build(), key=item.key, sig=item.sig, kind=item.kind,
                                  question_id=item.question_id, theme_id=item.theme_id))
                continue
            if run:
                self._chat_changes.append(chat.mount_all(run, before=widget))
                run = []
            if widget.sig != item.sig:
                widget.sig = item.sig
                widget.set_body(item.build())
            if widget.kind != item.kind:
                # The current question only changes its border: a restyle, no new body.
                widget.kind = item.kind
                widget.set_classes(f"bubble -{item.kind}")
        if run:
            self._chat_changes.append(chat.mount_all(run))

    async def _chat_settled(self) -> None:
        """Wait until the bubbles added and removed by `sync_chat` are in place."""
        changes, self._chat_changes = self._chat_changes, []
        for change in changes:
            await change
        if changes:
            # Textual also runs the mount's follow-up (a layout request) in the chat's own
            # queue; wait for it too, or it costs a second frame right after this one.
            flushed: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            self.query_one("#chat", ChatLog).call_next(flushed.set_result, None)
            await flushed

    # -- answering --------------------------------------------------------------------
    def _build_answer(self) -> Answer | None:
        q = self.engine.current
        state = self.form.read()
        try:
            if state.status is not None:
                return self.engine.make_answer(status=AnswerStatus(state.status),
                                               toelichting=state.toelichting,
                                               probes_asked=state.probes_asked)
            if q.is_scaled:
                if state.score is None:
                    raise InterviewError(f"Kies eerst een smiley (1 tot {q.scale_def.size}), "
                                         "F6 (weet niet) of F7 (n.v.t.).")
                return self.engine.make_answer(score=state.score, toelichting=state.toelichting,
                                               probes_asked=state.probes_asked)
            if q.type not in VALUE_TYPES and not state.value:
                raise InterviewError("Kies eerst een antwoord (cijfertoets of klik), "
                                     "F6 (weet niet) of F7 (n.v.t.).")
            return self.engine.make_answer(value=state.value, toelichting=state.toelichting,
                                           probes_asked=state.probes_asked)
        except InterviewError as exc:
            message = str(exc)
            self._set_error(message[:1].upper() + message[1:])
            return None

    def save(self, answer: Answer) -> bool:
        """Commit first (the draft goes in the same transaction), then take the answer
        into the engine."""
        try:
            saved = self.store.save_answer(self.session.id, answer, actor=self.session.interviewer,
                                           holder=self.live.holder)
        except StoreError as exc:
            self.notify(f"Niet opgeslagen: {exc}", severity="error", timeout=10)
            return False
        self.drafts.saved(saved.question_id)
        self.engine.record(saved)
        return True

    async def settle_input(self) -> None:
        """Let the fields take every key typed before the step that is about to run."""
        await settle(self.form.inputs())

    async def action_submit(self) -> None:
        if self.live.refuse_write():
            return
        await self.settle_input()
        answer = self._build_answer()
        if answer is None or not self.save(answer):
            return
        # Two frames. First the answer panel: the next question, its fields and the cursor
        # (where the interviewer looks and types) in one small frame. Then the chat and the
        # theme list: new bubbles and a scrolled log are most of the screen, a frame that
        # costs several times more; it follows as soon as the first is out.
        with self.app.batch_update():
            self.advance(answer.question_id, chat=False)
        # Ending a batch wakes only the app; the screen would draw at its next message
        # (the status tick, up to a second later). Wake it now.
        self.check_idle()
        self.call_after_refresh(self._chat_after_panel)

    def _chat_after_panel(self) -> None:
        """The answer panel's frame is out, but not yet on the screen: Textual's output thread
        still has to write it and the terminal to draw it. Starting the chat's work at once
        took the CPU from them (two cores, shared): one step in five showed 2-4 ms later.
        So the chat follows a moment later, in a timer of its own: whatever else waits for
        this frame (Textual runs the callbacks after a refresh one after the other) does not
        wait for the chat's frame as well."""
        self.set_timer(TERMINAL_FIRST, self._follow_in_chat, name="chat follows")

    async def _follow_in_chat(self) -> None:
        async with self._chat_turn:  # one step's chat after the other, as typed
            with self.app.batch_update():
                self.update_status()
                self.update_theme_list()
                self.sync_chat()
                await self._chat_settled()  # one frame for the new bubbles and the scroll
            self.check_idle()

    def advance(self, saved_id: str, *, chat: bool = True) -> None:
        answers = self.engine.answers
        nxt = self.engine.next()
        if nxt is not None and nxt.id not in answers:
            self.show_question(chat=chat)
            return
        target = next((q for q in self.engine.visible() if q.id not in answers), None)
        if target is not None:
            self.engine.jump(target.id)
            self.show_question(chat=chat)
            return
        try:
            self.engine.jump(saved_id)
        except InterviewError:
            self.engine.position = self.engine.resume_position()
        self.show_question(chat=chat)
        self.notify("Alle vragen zijn doorlopen.")
        self.ask_finish()

    # By handler name, not @on(TextArea.Changed): importing TextArea here would cost the
    # first frame its import (the fields are built one frame later).
    @on(Input.Changed, "#value")
    @on(AnswerBar.Changed)
    def _fields_changed(self) -> None:
        self._clear_error()
        self.drafts.changed()
        self._show_answer_state()

    def on_text_area_changed(self) -> None:
        self._fields_changed()

    def on_selection_list_selected_changed(self) -> None:
        self._fields_changed()

    def _clear_error(self) -> None:
        # Every key changes the selection: hiding an already hidden error would cost a layout.
        if self.query_one("#value-error", Static).display:
            self._set_error("")

    def action_status(self, status: str) -> None:
        """F6 / F7: weet niet or n.v.t. (again: off), then on with the toelichting."""
        if self.live.refuse_write():
            return
        self.form.bar.toggle_status(status)

    # -- where keys go -------------------------------------------------------------------
    async def route_input(self, event: events.Key | events.Paste) -> bool:
        """Called by the app for each key and paste before Textual routes it (key_routing)."""
        return await self.keys.route(event)

    async def open_from_list(self, focused: Widget) -> bool:
        """Enter on the theme list or on a chosen bubble: go there now, before the keys
        typed after Enter are routed (a message would let them reach the old question)."""
        themes = self.query_one("#themes", ThemeList)
        if focused is themes and themes.highlighted is not None:
            theme_id = themes.get_option_at_index(themes.highlighted).id
            self.set_class(False, "-show-themes")
            if theme_id:
                await self.goto_theme(theme_id)
            return True
        chat = self.query_one("#chat", ChatLog)
        if focused is chat and chat.selected is not None:
            await self._open_bubble(chat.selected)
            return True
        return False

    def close_borrowed_themes(self) -> None:
        """At narrow width the theme list (F4) is shown over the chat only while in use."""
        if self.has_class("-show-themes"):
            self.set_class(False, "-show-themes")
            self.update_status()

    # -- moving -----------------------------------------------------------------------
    async def action_back(self) -> None:
        await self.settle_input()
        if self.engine.back() is None:
            self.notify("Dit is de eerste vraag.")
            return
        self.show_question()

    async def goto_question(self, question_id: str) -> None:
        await self.settle_input()
        try:
            self.engine.jump(question_id)
        except InterviewError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.show_question()

    async def goto_theme(self, theme_id: str) -> None:
        await self.settle_input()
        try:
            self.engine.jump_theme(theme_id)
        except InterviewError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.show_question()

    @on(Bubble.Selected)
    async def _bubble_selected(self, event: Bubble.Selected) -> None:
        await self._open_bubble(event.source)

    async def _open_bubble(self, bubble: Bubble) -> None:
        if bubble.question_id:
            await self.goto_question(bubble.question_id)
        elif bubble.theme_id:
            await self.goto_theme(bubble.theme_id)

    @on(OptionList.OptionSelected, "#themes")
    async def _theme_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.set_class(False, "-show-themes")  # at narrow width the list was only borrowed
            await self.goto_theme(event.option.id)

    def action_focus_answer(self) -> None:
        """Escape: back to the answer (the bar, or the date, number or text field).
        Never to a place where letters are commands: there is none."""
        self.close_borrowed_themes()
        self.set_focus(self.form.answer_field())

    def action_themes(self) -> None:
        themes = self.query_one("#themes", OptionList)
        if themes.has_focus:
            self.set_class(False, "-show-themes")
            self.set_focus(self.form.start_field())
            self.update_status()
            return
        self.set_class(True, "-show-themes")
        index = next((i for i, p in enumerate(self._progress)
                      if p.theme.id == self.engine.current.theme_id), 0)
        themes.highlighted = index
        self.set_focus(themes)
        self.update_status()

    # -- skip, notes, flags -------------------------------------------------------------
    async def action_skip(self) -> None:
        from zet_tui.app.screens.modals import TextPrompt

        if self.live.refuse_write():
            return
        await self.settle_input()
        self.drafts.flush()
        q = self.engine.current

        def done(reason: str | None) -> None:
            if not reason or self.form.question is not q:
                return
            state = self.form.read()
            try:
                answer = self.engine.make_answer(
                    status=AnswerStatus.NIET_BESPROKEN, reason=reason,
                    toelichting=state.toelichting, probes_asked=state.probes_asked,
                    question_id=q.id)
            except InterviewError as exc:
                self.notify(str(exc), severity="warning")
                return
            if self.save(answer):
                self.advance(q.id)

        self.app.push_screen(TextPrompt("Vraag overslaan (niet besproken)",
                                        f"Waarom is \u201c{q.text}\u201d niet besproken?",
                                        placeholder="reden, bijvoorbeeld: geen tijd meer",
                                        value=self.engine.last_skip_reason()), done)

    async def action_skip_theme(self) -> None:
        """Thema niet besproken: one reason for every open question of the current theme."""
        from zet_tui.app.screens.modals import TextPrompt

        if self.live.refuse_write():
            return
        await self.settle_input()
        self.drafts.flush()
        q = self.engine.current
        theme = self.engine.questionnaire.theme(q.theme_id)
        assert theme is not None
        # What was typed for these questions (drafts, the fields of this one) stays with them.
        typed = {qid: (d.toelichting, d.probes_asked) for qid, d in self.drafts.drafts.items()}
        state = self.form.read()
        typed[q.id] = (state.toelichting, state.probes_asked)
        try:  # how many: the same rule as the skip itself, so the prompt does not promise more
            n = len(self.engine.skip_theme(theme.id, "?", typed=typed))
        except InterviewError as exc:
            self.notify(str(exc)[:1].upper() + str(exc)[1:] + ".", severity="warning")
            return

        def done(reason: str | None) -> None:
            if not reason:
                return
            try:
                answers = self.engine.skip_theme(theme.id, reason, typed=typed)
            except InterviewError as exc:
                self.notify(str(exc), severity="warning")
                return
            saved = [a for a in answers if self.save(a)]  # a refusal shows its own message
            if saved:
                self.advance(saved[-1].question_id)

        self.app.push_screen(TextPrompt(
            "Thema niet besproken",
            f"Waarom is thema \u201c{theme.title}\u201d niet besproken? De reden geldt voor "
            f"{'de open vraag' if n == 1 else f'alle {n} open vragen'} van dit thema; "
            "beantwoorde vragen houden hun antwoord.",
            placeholder="reden, bijvoorbeeld: geen tijd meer",
            value=self.engine.last_skip_reason()), done)

    async def action_note(self) -> None:
        from zet_tui.app.screens.modals import TextPrompt

        if self.live.refuse_write():
            return
        await self.settle_input()
        self.drafts.flush()
        q = self.engine.current

        def done(text: str | None) -> None:
            if not text:
                return
            try:
                self.store.add_note(self.session.id, text, kind="note", question_id=q.id,
                                    theme_id=q.theme_id, author=self.session.interviewer,
                                    role=NoteRole.INTERVIEWER)
            except StoreError as exc:
                self.notify(str(exc), severity="error")
                return
            self._data_version = self.store.data_version()
            self.reload_notes()

        self.app.push_screen(TextPrompt("Eigen notitie", f"Notitie bij \u201c{q.text}\u201d",
                                        placeholder="notitie"), done)

    def action_flags(self) -> None:
        """F5: every note and flag of the session; Enter handles a flag or opens its place."""
        from zet_tui.app.screens.notes_list import NotesScreen

        self.live.seen()
        if not self.notes:
            self.notify("Nog geen notities of vlaggen bij deze sessie.")
            return

        def done(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            action, note_id = choice
            note = next((n for n in self.notes if n.id == note_id), None)
            if note is None:
                return
            if action == "handle":
                if self.live.refuse_write():
                    return
                try:
                    self.store.handle_note(note_id, actor=self.session.interviewer)
                except StoreError as exc:
                    self.notify(str(exc), severity="error")
                    return
                self.reload_notes()
            elif note.question_id and self.engine.questionnaire.question(note.question_id):
                self.call_later(self.goto_question, note.question_id)
            elif (tid := self._note_theme(note)) is not None:
                self.call_later(self.goto_theme, tid)

        self.app.push_screen(NotesScreen(self.notes, self.live.place, ascii=self.ascii), done)

    def action_take_over(self) -> None:
        self.live.take_over()

    def action_help(self) -> None:
        from zet_tui.app.screens.modals import HelpScreen

        self.app.push_screen(HelpScreen())

    # -- export ---------------------------------------------------------------------------
    def action_export(self) -> None:
        """Export this session in the background; the interview goes on meanwhile.

        Every answer on screen is already committed, so the export (its own
        connection, in a thread) sees all of them."""
        root = Path(getattr(self.app, "export_root", DEFAULT_EXPORT_ROOT))
        self.notify("Exporteren gestart…", timeout=3)
        self._export(Path(self.app.db_path), self.session.id, root)  # type: ignore[attr-defined]

    @work(thread=True, exclusive=True, group="export", exit_on_error=False)
    def _export(self, db_path: Path, session_id: str, root: Path) -> None:
        from zet_tui.export.runner import ExportError, run_export, select

        try:
            with Store.open(db_path) as store:  # a Store belongs to one thread: our own
                result = run_export(store, select(store, session=session_id), root=root)
        except (ExportError, StoreError) as exc:
            message = f"Exporteren mislukt: {exc}"
        except Exception as exc:  # never let an export take the interview down
            message = f"Exporteren mislukt ({type(exc).__name__}: {exc})"
        else:
            self.app.call_from_thread(
                self.notify, f"Export klaar: {count(len(result.files), 'bestand', 'bestanden')} in map "
                             f"{result.folder.resolve()}", timeout=15)
            return
        self.app.call_from_thread(self.notify, message, severity="error", timeout=15)

    # -- coverage and finishing ---------------------------------------------------------
    def coverage_lines(self) -> tuple[list[str], int]:
        """Lines per theme plus the open required questions; and how many are open."""
        lines: list[str] = []
        open_count = 0
        progress = self.engine.progress()
        visible_ids = {q.id for q in self.engine.visible()}
        for p in progress:
            lines.append(theme_line(p, self.ascii))
            for q in p.theme.questions:
                if q.id not in visible_ids:
                    continue
                answer = self.engine.answers.get(q.id)
                if answer is not None and answer.is_complete:
                    continue
                if q.required:
                    open_count += 1
                    lines.append(f"    open: {q.text}")
        return lines, open_count

    def action_coverage(self) -> None:
        from zet_tui.app.screens.modals import CoverageScreen

        lines, open_count = self.coverage_lines()
        self.app.push_screen(CoverageScreen(lines, open_count))

    async def action_finish(self) -> None:
        await self.settle_input()
        self.ask_finish()

    def ask_finish(self) -> None:
        """Show what is open (and which typed answers are not saved), then finish."""
        from zet_tui.app.screens.modals import FinishScreen

        if self.live.refuse_write():
            return
        self.drafts.flush()
        lines, open_count = self.coverage_lines()
        flags = sum(1 for n in self.notes if n.is_open_flag)
        unsaved = self._question_list(self.drafts.drafts)

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                ended = self.store.finish_session(self.session.id, actor=self.session.interviewer)
            except StoreError as exc:
                self.notify(str(exc), severity="error")
                return
            self.drafts.close()  # the store removed them with the finish
            local = _parse_time(ended).astimezone()
            self.app.show_start()  # type: ignore[attr-defined]
            self.app.notify(f"Sessie afgerond om {local:%H:%M}.")

        self.app.push_screen(FinishScreen(lines, open_count, flags, unsaved=unsaved), done)

    async def before_quit(self) -> str:
        """ctrl+q: keep what was typed; the message says where it waits (or '')."""
        if not self.drafts.open or not self.drafts.may_write():
            return ""
        await self.settle_input()
        self.drafts.flush()
        kept = [qid for qid in self.drafts.drafts if self.engine.questionnaire.question(qid)]
        if not kept:
            return ""
        return (f"Casus {self.case_code}: {count(len(kept), 'concept', 'concepten')} "
                f"bewaard, nog niet opgeslagen ({self._question_list(kept)}). Open de sessie "
                "weer om af te maken en op te slaan.")

    def hang_up(self) -> None:
        """The terminal was closed: keep the draft now (no time for anything else)."""
        if self.drafts.open:
            self.drafts.flush()


def _answer_sig(answer: Answer) -> str:
    return "|".join((str(answer.status), str(answer.score), answer.value or "", answer.toelichting,
                     answer.reason, ",".join(map(str, answer.probes_asked))))


__all__ = ["InterviewScreen", "answer_summary", "format_elapsed"]
