"""The interview screen: a chat log over the headless `Interview` engine.

Order of every change: build the answer (engine validates), commit it through
the store, then record it in the engine, then move the screen on. A killed
process therefore resumes with every answer the interviewer saw confirmed.

The chat shows a bounded window: the opening, one summary bubble per other
theme, and the current theme up to the current question (at most
`MAX_PAIRS` earlier questions). Bubbles are diffed by key, so the usual step
(answer, next question) mounts two bubbles and removes none or a few: the cost
of a key press does not grow with the length of the interview.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from rich.console import RenderableType
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from zet_tui.app.fit import Hint, Part, fit_parts, ranked_hints
from zet_tui.app.literal import highlight, literal, literal_line, prose
from zet_tui.app.screens.interview_live import (
    LeaseLost,
    LiveSession,
    note_author,
    reviewer_counts,
)
from zet_tui.app.widgets.chat import (
    STATE_LABELS,
    AnswerBar,
    Bubble,
    ChatLog,
    KeyHints,
    ThemeList,
    answer_renderable,
    answer_summary,
    question_renderable,
    state_icon,
    theme_summary,
)
from zet_tui.core.answers import Answer
from zet_tui.core.dutch import format_value
from zet_tui.core.interview import Interview, InterviewError, ThemeProgress
from zet_tui.core.questionnaire import ID_RE, Question, Theme
from zet_tui.core.safe_text import one_line, terminal_safe
from zet_tui.core.store import Note, NoteRole, Session, Store, StoreError
from zet_tui.core.vocab import PERSPECTIVE_LABELS, AnswerStatus, AnswerType
from zet_tui.core.wording import count

if TYPE_CHECKING:
    from textual.widgets import TextArea

    from zet_tui.app.widgets.toggles import SelectionList

#: Where "Exporteren" writes, like `zet export` without --out (relative to the
#: working directory); `ZetApp.export_root` overrides it.
DEFAULT_EXPORT_ROOT = Path("exports")
#: Earlier questions of the current theme kept in the chat (each is two bubbles).
MAX_PAIRS = 8
#: Summaries of other themes shown one by one; older ones fold into a single bubble.
MAX_SUMMARIES = 4
VALUE_TYPES = (AnswerType.DATE, AnswerType.NUMBER, AnswerType.TEXT)
PLACEHOLDERS = {
    AnswerType.DATE: "datum, bijvoorbeeld 14-03-2024",
    AnswerType.NUMBER: "getal",
    AnswerType.TEXT: "antwoord",
}


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
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Opslaan", id="submit"),
        Binding("ctrl+b", "back", "Vorige", id="back"),
        Binding("ctrl+o", "skip", "Overslaan", id="skip",
                tooltip="Vraag overslaan: niet besproken, met een reden"),
        Binding("ctrl+t", "skip_theme", "Thema overslaan", id="skip-theme", show=False,
                tooltip="Thema niet besproken: alle open vragen van dit thema, één reden"),
        Binding("f2", "note", "Notitie", id="note", tooltip="Eigen notitie bij de huidige vraag"),
        Binding("f3", "coverage", "Dekking", id="coverage"),
        Binding("f4", "themes", "Thema's", id="themes"),
        Binding("f5", "flags", "Notities", id="flags",
                tooltip="Notities en vlaggen van de reviewer (en eigen notities); vlag afhandelen"),
        Binding("f8", "take_over", "Overnemen", id="take-over", show=False,
                tooltip="Alleen-lezen scherm: hier verder werken zodra de andere app gesloten is"),
        Binding("f9", "finish", "Afronden", id="finish"),
        Binding("escape", "focus_answer", "Naar antwoord", id="focus-answer", show=False),
        Binding("question_mark", "help", "Help", id="help-key", show=False),
    ]
    #: Below 30 lines the answer area is drawn without borders, also on a wide screen, so
    #: the toelichting keeps its lines at 24 (see zet.tcss).
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]  # noqa: RUF012 (declared by Screen)
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
        self._extras: tuple[SelectionList[int], TextArea] | None = None
        self._chat_changes: list[Awaitable[None]] = []
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
                    yield Static(id="current-question")
                    yield AnswerBar(id="answer-bar", ascii=self.ascii)
                    yield Input(id="value")
                    yield Static(id="value-error")
                    # The probes and the toelichting follow one frame later (see on_mount).
        yield KeyHints(self.key_hints(), id="key-hints")

    @classmethod
    def key_hints(cls) -> list[Hint]:
        hints = [(b.key.replace("ctrl+", "^"), b.description, f"screen.{b.action}")
                 for b in cls.BINDINGS if isinstance(b, Binding) and b.show]
        hints.append(("^p", "Palet", "app.command_palette"))
        hints.append(("f1", "Help", "screen.help"))
        return ranked_hints(hints, short_labels={}, first_to_go=cls.FOOTER_DROP)

    def on_mount(self) -> None:
        self.query_one("#themes", ThemeList).border_title = "Thema's"
        self.query_one("#chat", ChatLog).anchor()
        self.show_question()
        self.live.mount()
        # Put the question on screen first; the probe list, the toelichting (the two
        # most expensive widgets to build and style) and the theme rows one frame later.
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
        from textual.widgets import TextArea

        from zet_tui.app.widgets.toggles import SelectionList

        if not self.is_attached:  # quit (ctrl+q) before the first refresh: nothing to build
            return

        probes = SelectionList[int](id="probes")
        probes.border_title = "Doorvragen (spatie = gevraagd)"
        toelichting = TextArea(id="toelichting", soft_wrap=True, show_line_numbers=False,
                               placeholder="Toelichting (Enter = nieuwe regel, ctrl+s = opslaan)")
        self._extras = (probes, toelichting)
        await self.query_one("#answer-panel").mount(probes, toelichting)
        self._show_extras(self.engine.current, self.engine.current_answer)
        self.query_one("#themes", ThemeList).add_options(
            [Option(literal_line(t.title), id=t.id) for t in self.engine.questionnaire.themes])
        self._theme_prompts.clear()
        self.update_theme_list()
        self.live.apply_mode()
        self.set_interval(1.0, self.tick)
        _freeze_startup_objects()

    def on_unmount(self) -> None:
        self.live.stop()

    @on(LeaseLost)
    def _lease_lost(self, event: LeaseLost) -> None:
        self.live.lost(event.lease)

    # -- showing the current question ------------------------------------------------
    def show_question(self, *, focus: bool = True) -> None:
        q = self.engine.current
        answer = self.engine.current_answer
        self._progress = self.engine.progress()
        n, total = self.engine.index()
        # Fixed one-line widgets: a repaint, never a layout.
        self.query_one("#current-question", Static).update(
            Text.assemble((f"Vraag {n} van {total} · ", "dim"), literal_line(q.text, "bold")),
            layout=False)
        bar = self.query_one("#answer-bar", AnswerBar)
        bar.configure(q, answer)
        # Only touch what changes: every assignment below costs a refresh or a layout.
        value = self.query_one("#value", Input)
        _assign(value, "display", q.type in VALUE_TYPES)
        _assign(value, "placeholder", PLACEHOLDERS.get(q.type, ""))
        _assign(value, "value", terminal_safe(  # dates and numbers as typed: 14-03-2024, 2,5
                format_value(q.type, answer.value) if answer and answer.status == AnswerStatus.ANSWERED
                else ""))
        if self.query_one("#value-error", Static).display:
            self._set_error("")
        if self._extras is not None:
            self._show_extras(q, answer)
        self.sync_chat()
        self.update_theme_list()
        self.update_status()
        if focus:
            (value if value.display else bar).focus()

    def _show_extras(self, q: Question, answer: Answer | None) -> None:
        assert self._extras is not None
        probes, toelichting = self._extras
        asked = set(answer.probes_asked) if answer else set()
        # Consecutive questions usually share their probes: rebuilding the list costs a layout.
        shown = [str(probes.get_option_at_index(i).prompt) for i in range(probes.option_count)]
        if shown != [one_line(p) for p in q.probes] or set(probes.selected) != asked:
            probes.clear_options()
            probes.add_options([(literal_line(p), i, i in asked) for i, p in enumerate(q.probes)])
        _assign(probes, "display", bool(q.probes))
        if q.probes and probes.highlighted != 0:
            probes.highlighted = 0
        _assign(toelichting, "text", terminal_safe(answer.toelichting) if answer else "")

    def _toelichting(self) -> str:
        """The typed toelichting ('' before the field is built: nothing was typed yet)."""
        return self._extras[1].text if self._extras is not None else ""

    def _probes_asked(self) -> tuple[int, ...]:
        return tuple(self._extras[0].selected) if self._extras is not None else ()

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
        for q in before[len(hidden):]:
            items.append(self._question_item(q, number[q.id], total))
            answer = answers.get(q.id)
            if answer is not None:
                items.append(ChatItem(f"a:{q.id}", _answer_sig(answer), "interviewer",
                                      partial(answer_renderable, q, answer, self.ascii),
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
            text.append(literal(f"\n{state_icon(p.state, self.ascii)} {p.theme.title}: "
                                f"{STATE_LABELS[p.state]} {p.done_count}/{p.total_count}"))
        return text

    def _summary(self, p: ThemeProgress, flags: list[Note]) -> Text:
        icon = state_icon(p.state, self.ascii)
        text = literal(f"{icon} {p.theme.title}: {STATE_LABELS[p.state]} "
                       f"{p.done_count}/{p.total_count}")
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
        selection = self.query_one("#answer-bar", AnswerBar).selection
        toelichting = self._toelichting()
        probes = self._probes_asked()
        try:
            if selection in ("weet_niet", "nvt"):
                return self.engine.make_answer(status=AnswerStatus(selection),
                                               toelichting=toelichting, probes_asked=probes)
            if q.is_scaled:
                if selection is None or not selection.startswith("s:"):
                    raise InterviewError(f"Kies eerst een smiley (1 tot {q.scale_def.size}), "
                                         "w (weet niet) of n (n.v.t.).")
                return self.engine.make_answer(score=int(selection[2:]), toelichting=toelichting,
                                               probes_asked=probes)
            if q.type in VALUE_TYPES:
                value = self.query_one("#value", Input).value
            else:
                if selection is None or not selection.startswith("o:"):
                    raise InterviewError("Kies eerst een antwoord (cijfertoets of klik), "
                                         "w (weet niet) of n (n.v.t.).")
                value = selection[2:]
            return self.engine.make_answer(value=value, toelichting=toelichting,
                                           probes_asked=probes)
        except InterviewError as exc:
            message = str(exc)
            self._set_error(message[:1].upper() + message[1:])
            return None

    def save(self, answer: Answer) -> bool:
        """Commit first, then take the answer into the engine."""
        try:
            saved = self.store.save_answer(self.session.id, answer, actor=self.session.interviewer,
                                           holder=self.live.holder)
        except StoreError as exc:
            self.notify(f"Niet opgeslagen: {exc}", severity="error", timeout=10)
            return False
        self.engine.record(saved)
        return True

    async def action_submit(self) -> None:
        if self.live.refuse_write():
            return
        answer = self._build_answer()
        if answer is not None and self.save(answer):
            # One frame for the whole step: the repaints (question line, answer bar,
            # status, theme row) wait for the new bubbles instead of being drawn first;
            # with Textual's 60 fps cap every extra frame costs up to 17 ms.
            with self.app.batch_update():
                self.advance(answer.question_id)
                await self._chat_settled()

    def advance(self, saved_id: str) -> None:
        answers = self.engine.answers
        nxt = self.engine.next()
        if nxt is not None and nxt.id not in answers:
            self.show_question()
            return
        target = next((q for q in self.engine.visible() if q.id not in answers), None)
        if target is not None:
            self.engine.jump(target.id)
            self.show_question()
            return
        try:
            self.engine.jump(saved_id)
        except InterviewError:
            self.engine.position = self.engine.resume_position()
        self.show_question()
        self.notify("Alle vragen zijn doorlopen.")
        self.action_finish()

    @on(AnswerBar.Submit)
    async def _bar_submit(self) -> None:
        await self.action_submit()

    @on(Input.Submitted, "#value")
    async def _value_submit(self) -> None:
        await self.action_submit()

    @on(Input.Changed, "#value")
    def _value_changed(self) -> None:
        self._clear_error()

    @on(AnswerBar.Changed)
    def _bar_changed(self) -> None:
        self._clear_error()

    def _clear_error(self) -> None:
        # Every key changes the selection: hiding an already hidden error would cost a layout.
        if self.query_one("#value-error", Static).display:
            self._set_error("")

    # -- moving -----------------------------------------------------------------------
    def action_back(self) -> None:
        if self.engine.back() is None:
            self.notify("Dit is de eerste vraag.")
            return
        self.show_question()

    def goto_question(self, question_id: str) -> None:
        try:
            self.engine.jump(question_id)
        except InterviewError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.show_question()

    def goto_theme(self, theme_id: str) -> None:
        try:
            self.engine.jump_theme(theme_id)
        except InterviewError as exc:
            self.notify(str(exc), severity="warning")
            return
        self.show_question()

    @on(Bubble.Selected)
    def _bubble_selected(self, event: Bubble.Selected) -> None:
        if event.source.question_id:
            self.goto_question(event.source.question_id)
        elif event.source.theme_id:
            self.goto_theme(event.source.theme_id)

    @on(OptionList.OptionSelected, "#themes")
    def _theme_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.set_class(False, "-show-themes")  # at narrow width the list was only borrowed
            self.goto_theme(event.option.id)

    def action_focus_answer(self) -> None:
        """Escape: to the answer bar (smileys, w, n); from there to the typed value, if any."""
        bar = self.query_one("#answer-bar", AnswerBar)
        value = self.query_one("#value", Input)
        if self.has_class("-show-themes"):
            self.set_class(False, "-show-themes")
            self.update_status()
        (value if bar.has_focus and value.display else bar).focus()

    def action_themes(self) -> None:
        themes = self.query_one("#themes", OptionList)
        if themes.has_focus:
            self.set_class(False, "-show-themes")
            self.query_one("#answer-bar", AnswerBar).focus()
            self.update_status()
            return
        self.set_class(True, "-show-themes")
        index = next((i for i, p in enumerate(self._progress)
                      if p.theme.id == self.engine.current.theme_id), 0)
        themes.highlighted = index
        themes.focus()
        self.update_status()

    # -- skip, notes, flags -------------------------------------------------------------
    def action_skip(self) -> None:
        from zet_tui.app.screens.modals import TextPrompt

        if self.live.refuse_write():
            return
        q = self.engine.current

        def done(reason: str | None) -> None:
            if not reason:
                return
            try:
                answer = self.engine.make_answer(
                    status=AnswerStatus.NIET_BESPROKEN, reason=reason,
                    toelichting=self._toelichting(), probes_asked=self._probes_asked(),
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

    def action_skip_theme(self) -> None:
        """Thema niet besproken: one reason for every open question of the current theme."""
        from zet_tui.app.screens.modals import TextPrompt

        if self.live.refuse_write():
            return
        q = self.engine.current
        theme = self.engine.questionnaire.theme(q.theme_id)
        assert theme is not None
        typed = {q.id: (self._toelichting(), self._probes_asked())}
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

    def action_note(self) -> None:
        from zet_tui.app.screens.modals import TextPrompt

        if self.live.refuse_write():
            return
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
                self.goto_question(note.question_id)
            elif (tid := self._note_theme(note)) is not None:
                self.goto_theme(tid)

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
            lines.append(f"{state_icon(p.state, self.ascii)} {p.theme.title}: "
                         f"{STATE_LABELS[p.state]} {p.done_count}/{p.total_count}")
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

    def action_finish(self) -> None:
        from zet_tui.app.screens.modals import FinishScreen

        if self.live.refuse_write():
            return
        lines, open_count = self.coverage_lines()
        flags = sum(1 for n in self.notes if n.is_open_flag)

        def done(confirmed: bool | None) -> None:
            if not confirmed:
                return
            try:
                ended = self.store.finish_session(self.session.id, actor=self.session.interviewer)
            except StoreError as exc:
                self.notify(str(exc), severity="error")
                return
            local = _parse_time(ended).astimezone()
            self.app.show_start()  # type: ignore[attr-defined]
            self.app.notify(f"Sessie afgerond om {local:%H:%M}.")

        self.app.push_screen(FinishScreen(lines, open_count, flags), done)


_frozen = False


def _freeze_startup_objects() -> None:
    """Everything built up to the first interview screen (Textual, modules, the screen)
    lives as long as the app. Left to the collector, each full collection walks all of
    it: 20-40 ms pauses on a key press every few dozen answers. Frozen, it is skipped.
    Once per run: objects frozen later could never be collected."""
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()


def _assign(widget: object, name: str, value: object) -> None:
    if getattr(widget, name) != value:
        setattr(widget, name, value)


def _answer_sig(answer: Answer) -> str:
    return "|".join((str(answer.status), str(answer.score), answer.value or "", answer.toelichting,
                     answer.reason, ",".join(map(str, answer.probes_asked))))


__all__ = ["InterviewScreen", "answer_summary", "format_elapsed"]
