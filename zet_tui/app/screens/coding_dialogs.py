"""The small forms of the coding screen: filters, a divergence, a case summary, case
attributes, a recommendation, a memo; and the start screen's analyse dialog (the code picker is in
`code_picker.py`).

They only collect input and return it; the coding screen writes through the store.
Every form answers Escape; a form with typed text that was not saved asks once
before throwing it away (a second Escape), so nothing typed disappears by accident.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import ClassVar

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from zet_tui.app.key_routing import KeysInOrder
from zet_tui.app.literal import literal, literal_line
from zet_tui.app.screens.code_picker import EarlyKeys, code_prompt, to_top_screen
from zet_tui.app.screens.start_dialogs import FeedbackDialog
from zet_tui.core.anchors import visible
from zet_tui.core.coding import STANDARD_ATTRIBUTES, CaseSummary, Codebook
from zet_tui.core.store import StoreError
from zet_tui.core.store.case_analysis import SUMMARY_FIELDS, SUMMARY_LABELS, attribute_name
from zet_tui.core.store.codings import MAX_MEMO
from zet_tui.core.vocab import PERSPECTIVE_LABELS
from zet_tui.core.workbench import Filter, RecommendationTarget

FORM_CSS = """
{name} .dialog {{ max-width: 90; }}
{name} .form-body {{ height: auto; max-height: 60vh; }}
{name} Label {{ margin-top: 1; color: $text-muted; width: 100%; }}
{name} .dialog > Label:first-child {{ margin-top: 0; }}
{name} Input, {name} Select {{ width: 100%; }}
{name} TextArea {{ height: 3; border: none; padding: 0 1; background: $boost; }}
{name} TextArea:focus {{ border: none; background: $primary 25%; }}
"""


class _FormKeys(KeysInOrder):
    """A form field's keys in typing order: ctrl+s and Escape act in the field's own task,
    after the characters typed before them (as the form's bindings they came after the
    next key: "tekst", ctrl+s, "n" saved "tekstn"); keys that still reach the field once
    the form has closed belong to the screen underneath ("n": the next answer)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "screen.save", "Opslaan", show=False),
        Binding("escape", "screen.cancel", "Annuleren", show=False),
    ]


def _closed(field: Widget, event: events.Key) -> None:
    """Before the field's own handling (Textual calls `_on_key` along the class order and
    stops at `prevent_default`): a key for a form that has closed goes on to the screen now
    on top."""
    if field.screen is not field.app.screen:
        event.stop()
        event.prevent_default()
        to_top_screen(field.app, event.key, event.character)


class FormArea(TextArea, _FormKeys):
    """A form's multi-line field (see `_FormKeys`)."""

    def on_mount(self) -> None:
        # Typing continues what is there, never before it. Here, in the field's own queue,
        # it comes before the keys typed while the form opened (the form's mount did not).
        self.move_cursor(self.document.end)

    async def _on_key(self, event: events.Key) -> None:
        _closed(self, event)


class FormLine(Input, _FormKeys):
    """A form's one-line field (see `_FormKeys`)."""

    async def _on_key(self, event: events.Key) -> None:
        _closed(self, event)


class AnalyseDialog(FeedbackDialog):
    """Which evaluation to analyse, and who is coding (for the audit log)."""

    DEFAULT_CSS = FORM_CSS.format(name="AnalyseDialog")
    TITLE_TEXT = "Analyse: toelichtingen coderen"
    OK_LABEL = "Openen"


class _Form(EarlyKeys, ModalScreen[object]):
    """Escape cancels; when something was typed, the first Escape only warns."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Annuleren", id="form-cancel"),
        # not a priority binding: ctrl+s must wait for the keys typed before it
        Binding("ctrl+s", "save", "Opslaan", id="form-save"),
    ]
    TITLE_TEXT = ""

    def __init__(self) -> None:
        super().__init__(classes="modal")
        self._initial: tuple[str, ...] = ()
        self._warned = False

    def fields(self) -> ComposeResult:
        yield from ()

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog") as dialog:
            dialog.border_title = self.TITLE_TEXT
            with VerticalScroll(classes="form-body", can_focus=False):
                yield from self.fields()
            yield Static("", id="form-error", classes="error", markup=False)
            with Horizontal(classes="buttons"):
                yield Button("Opslaan (ctrl+s)", variant="primary", id="form-ok")
                yield Button("Annuleren (Esc)", id="form-cancel-button")

    def on_mount(self) -> None:
        self._initial = self.snapshot()

    def snapshot(self) -> tuple[str, ...]:
        return tuple(w.text for w in self.query(TextArea)) + tuple(
            w.value for w in self.query(Input))

    def error(self, message: str) -> None:
        self.query_one("#form-error", Static).update(literal(message))

    def action_cancel(self) -> None:
        if self.snapshot() != self._initial and not self._warned:
            self._warned = True
            self.error("Er is tekst ingevuld die nog niet is opgeslagen: ctrl+s slaat op, "
                       "Esc nogmaals gooit hem weg.")
            return
        self.dismiss(None)

    @on(Button.Pressed, "#form-cancel-button")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    @on(Button.Pressed, "#form-ok")
    def _ok_pressed(self) -> None:
        self.action_save()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_save()

    def action_save(self) -> None:
        result = self.result()
        if result is not None:
            self.dismiss(result)

    def result(self) -> object | None:
        raise NotImplementedError


# -- filters ---------------------------------------------------------------------------------
ALL = "__all__"


class FilterModal(_Form):
    TITLE_TEXT = "Filter: welke antwoorden"
    DEFAULT_CSS = FORM_CSS.format(name="FilterModal")

    def __init__(self, current: Filter, codebook: Codebook, themes: list[tuple[str, str]],
                 cases: list[tuple[str, str]]) -> None:
        super().__init__()
        self.current = current
        self.codebook = codebook
        self.themes = themes
        self.cases = cases

    def fields(self) -> ComposeResult:
        yield Label("Code")
        codes: list[tuple[Text, str]] = [(code_prompt(c), c.id) for c in self.codebook.codes]
        code_id = self.current.code_id
        if code_id and self.codebook.code(code_id) is None:  # from the overview: kept codings
            codes.append((literal_line(f"{code_id} (niet in codeboek)"), code_id))
        yield Select(codes, prompt="alle codes", value=code_id or Select.NULL, id="filter-code")
        yield Label("Thema")
        yield Select([(literal_line(t), i) for i, t in self.themes], prompt="alle thema's",
                     value=self.current.theme_id or Select.NULL, id="filter-theme")
        yield Label("Casus")
        yield Select([(literal_line(c), i) for i, c in self.cases], prompt="alle casussen",
                     value=self.current.case_id or Select.NULL, id="filter-case")
        yield Checkbox("Alleen nog niet gecodeerd", self.current.uncoded, id="filter-uncoded")
        yield Checkbox("Alleen te controleren (toelichting gewijzigd na coderen)",
                       self.current.review, id="filter-review")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#filter-code", Select).focus()

    def _value(self, widget_id: str) -> str | None:
        value = self.query_one(f"#{widget_id}", Select).value
        return value if isinstance(value, str) else None

    def result(self) -> Filter:
        return Filter(code_id=self._value("filter-code"), theme_id=self._value("filter-theme"),
                      case_id=self._value("filter-case"),
                      uncoded=self.query_one("#filter-uncoded", Checkbox).value,
                      review=self.query_one("#filter-review", Checkbox).value)


# -- divergences, summaries, attributes, recommendations -------------------------------------
@dataclass(frozen=True)
class DivergenceRequest:
    other: str
    whole_theme: bool
    note: str


class DivergenceModal(_Form):
    TITLE_TEXT = "Verschil tussen perspectieven"
    DEFAULT_CSS = FORM_CSS.format(name="DivergenceModal")

    def __init__(self, what: str, perspective: str, others: list[str]) -> None:
        super().__init__()
        self.what = what
        self.perspective = perspective
        self.others = others

    def fields(self) -> ComposeResult:
        yield Static(literal(self.what), classes="dialog-text")
        yield Label(f"{PERSPECTIVE_LABELS.get(self.perspective, self.perspective)} tegenover")
        yield Select([(PERSPECTIVE_LABELS.get(p, p), p) for p in self.others],
                     value=self.others[0], allow_blank=False, id="divergence-other")
        yield Checkbox("Geldt voor het hele thema (niet alleen deze vraag)", id="divergence-theme")
        yield Label("Wat verschilt er? (kort)")
        yield FormLine(placeholder="bijv. inwoner voelde zich niet gehoord, professional zag "
                                "geen probleem", id="divergence-note")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#divergence-note", Input).focus()

    def result(self) -> DivergenceRequest | None:
        note = self.query_one("#divergence-note", Input).value.strip()
        if not note:
            self.error("Beschrijf kort wat er verschilt.")
            return None
        other = self.query_one("#divergence-other", Select).value
        return DivergenceRequest(str(other), self.query_one("#divergence-theme", Checkbox).value,
                                 note)


class SummaryModal(_Form):
    TITLE_TEXT = "Samenvatting van de casus"
    DEFAULT_CSS = FORM_CSS.format(name="SummaryModal")

    def __init__(self, case_code: str, summary: CaseSummary | None) -> None:
        super().__init__()
        self.case_code = case_code
        self.summary = summary

    def fields(self) -> ComposeResult:
        yield Static(literal(f"Casus {self.case_code}. Tab: volgend veld · ctrl+s: opslaan"),
                     classes="dialog-text")
        for name in SUMMARY_FIELDS:
            yield Label(SUMMARY_LABELS[name])
            yield FormArea(getattr(self.summary, name) if self.summary else "",
                           id=f"summary-{name}", tab_behavior="focus", soft_wrap=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(f"#summary-{SUMMARY_FIELDS[0]}", TextArea).focus()

    def result(self) -> dict[str, str]:
        return {name: self.query_one(f"#summary-{name}", TextArea).text for name in SUMMARY_FIELDS}


class AttributesModal(_Form):
    TITLE_TEXT = "Kenmerken van de casus"
    DEFAULT_CSS = FORM_CSS.format(name="AttributesModal")

    def __init__(self, case_code: str, values: Mapping[str, str]) -> None:
        super().__init__()
        self.case_code = case_code
        self.values = values

    def fields(self) -> ComposeResult:
        yield Static(literal(f"Casus {self.case_code}: kenmerken om bevindingen per groep te "
                             "bekijken. Een leeg veld verwijdert het kenmerk."),
                     classes="dialog-text")
        for name, label in STANDARD_ATTRIBUTES.items():
            yield Label(label)
            yield FormLine(self.values.get(name, ""), id=f"attribute-{name}",
                        placeholder="jeugd, Wmo, volwassenen, ..." if name == "domein" else "")
        yield Label("Overige kenmerken, één per regel: naam: waarde")
        yield FormArea("\n".join(f"{k}: {v}" for k, v in self.values.items()
                                 if k not in STANDARD_ATTRIBUTES),
                       id="attribute-free", tab_behavior="focus")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#attribute-domein", Input).focus()

    def result(self) -> dict[str, str] | None:
        out = {name: self.query_one(f"#attribute-{name}", Input).value.strip()
               for name in STANDARD_ATTRIBUTES}
        for number, line in enumerate(self.query_one("#attribute-free", TextArea).text
                                      .splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, value = line.partition(":")
            if not sep or not name.strip():
                self.error(f"Overige kenmerken, regel {number}: schrijf 'naam: waarde'.")
                return None
            try:
                out[attribute_name(name)] = value.strip()
            except StoreError as exc:
                self.error(f"Overige kenmerken, regel {number}: {exc}.")
                return None
        for name in self.values:  # an attribute left out of the form is removed
            out.setdefault(name, "")
        return out


class RecommendationModal(_Form):
    """One finding after the other: texts typed for several findings are all kept and saved."""

    TITLE_TEXT = "Aanbeveling bij een bevinding"
    DEFAULT_CSS = FORM_CSS.format(name="RecommendationModal") + """
    RecommendationModal OptionList { height: auto; max-height: 8; }
    """

    def __init__(self, targets: list[RecommendationTarget], texts: dict[str, str]) -> None:
        super().__init__()
        self.targets = targets
        self.texts = texts
        self.edits = dict(texts)
        self.shown: str | None = targets[0].key if targets else None

    def fields(self) -> ComposeResult:
        yield Label("Bevinding (pijltjes; Enter of Tab naar de tekst)")
        yield OptionList(*(Option(self._prompt(t), id=t.key) for t in self.targets),
                         id="recommendation-finding")
        yield Label("Aanbeveling (leeg = verwijderen)")
        yield FormArea(self.texts.get(self.shown or "", ""), id="recommendation-text",
                       tab_behavior="focus", soft_wrap=True)

    def _prompt(self, target: RecommendationTarget) -> Text:
        text = Text("✓ " if self.texts.get(target.key) else "  ", style="green")
        text.append(visible(target.text))
        return text

    def on_mount(self) -> None:
        super().on_mount()
        options = self.query_one("#recommendation-finding", OptionList)
        options.highlighted = 0
        options.focus()

    def _keep(self) -> None:
        if self.shown is not None:
            self.edits[self.shown] = self.query_one("#recommendation-text", TextArea).text

    @on(OptionList.OptionHighlighted, "#recommendation-finding")
    def _show(self, event: OptionList.OptionHighlighted) -> None:
        self._keep()
        self.shown = event.option.id
        self.query_one("#recommendation-text", TextArea).load_text(
            self.edits.get(self.shown or "", ""))

    @on(OptionList.OptionSelected, "#recommendation-finding")
    def _chosen(self) -> None:
        self.query_one("#recommendation-text", TextArea).focus()

    def snapshot(self) -> tuple[str, ...]:
        if self.is_mounted:
            self._keep()
        return tuple(f"{k}={v}" for k, v in sorted(self.edits.items()))

    def result(self) -> dict[str, str] | None:
        """The changed recommendations by finding key ('' removes one)."""
        self._keep()
        return {k: v for k, v in self.edits.items() if v.strip() != self.texts.get(k, "").strip()}


# -- memos -----------------------------------------------------------------------------------
class MemoModal(_Form):
    """The analyst's memo on one coding or quote: why this code, what to check.

    The form saves through `save` (the screen's write) and stays open when that is
    refused, so a memo on a coding someone else removed meanwhile is still on screen
    to copy, not gone.
    """

    DEFAULT_CSS = FORM_CSS.format(name="MemoModal") + """
    MemoModal TextArea { height: 6; }
    MemoModal #memo-count { color: $text-muted; }
    """

    def __init__(self, title: str, what: str, memo: str,
                 save: Callable[[str], str | None]) -> None:
        super().__init__()
        self.TITLE_TEXT = title
        self.what = what
        self.memo = memo
        self.save = save

    def fields(self) -> ComposeResult:
        yield Static(literal(self.what), classes="dialog-text")
        yield Label("Memo (Enter: nieuwe regel · leeg = memo weg · ctrl+s: opslaan)")
        yield FormArea(self.memo, id="memo-text", tab_behavior="focus", soft_wrap=True)
        yield Static(self._count(self.memo), id="memo-count", markup=False)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#memo-text", TextArea).focus()

    @staticmethod
    def _count(text: str) -> str:
        return f"{len(text.strip())}/{MAX_MEMO} tekens"

    @on(TextArea.Changed, "#memo-text")
    def _changed(self, event: TextArea.Changed) -> None:
        self.query_one("#memo-count", Static).update(self._count(event.text_area.text))

    def result(self) -> str | None:
        text = self.query_one("#memo-text", TextArea).text.strip()
        if len(text) > MAX_MEMO:
            self.error(f"Het memo is {len(text)} tekens lang; hoogstens {MAX_MEMO}. "
                       "Kort het in en sla opnieuw op.")
            return None
        refused = self.save(text)
        if refused is not None:
            self.error(f"Niet opgeslagen: {refused}.")
            return None
        return text
