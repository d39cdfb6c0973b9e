"""The codebook of the analyst's workbench: Markdown in, a validated `Codebook` out.

The format mirrors the questionnaires (documented for analysts in
`questionnaires/README.md`): a front matter with id, titel and versie; `#`
headings group codes; every `##` heading is a code with a fixed `{#id}`;
a paragraph under it is the description and a property list links it to the
ZET frameworks:

    ## Wachttijd {#wachttijd}

    Hoe lang de inwoner op contact, gesprek of hulp moest wachten.

    - werkzaam: toegankelijk
    - basisfunctie: toegankelijk
    - thema: toegang, uitvoering
    - trefwoorden: wacht, duurde, maanden

Like the questionnaire loader (whose Markdown machinery this reuses), loading
never raises for a bad file: every problem is collected as `path:line: message`.
Keyword suggestions live here too: a keyword matches the start of a word, case-
insensitively, so "wacht" finds wachten, wachttijd and wachtlijst.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it.token import Token

from zet_tui.core.coding import Code, Codebook
from zet_tui.core.paths import questionnaire_paths as configured_questionnaire_paths
from zet_tui.core.questionnaire import ID_RE, Problem
from zet_tui.core.questionnaire_loader import (
    CODEBOOK_FILE,
    HEADING_ID_RE,
    PROPERTY_RE,
    MarkdownWalker,
    decode_source,
    load_file,
    questionnaire_files,
    read_source,
    shipped_dir,
)
from zet_tui.core.vocab import BASISFUNCTIES, WERKZAME_ELEMENTEN

META_KEYS = {"id": "id", "titel": "titel", "title": "titel", "versie": "versie",
             "version": "versie"}
REQUIRED_META = ("id", "titel", "versie")
PROPERTY_KEYS = {"werkzaam": "werkzaam", "basisfunctie": "basisfunctie", "thema": "themes",
                 "themas": "themes", "trefwoorden": "keywords", "trefwoord": "keywords"}
VOCABULARIES = {"werkzaam": WERKZAME_ELEMENTEN, "basisfunctie": BASISFUNCTIES}
MIN_KEYWORD = 3


@dataclass
class CodebookResult:
    path: Path
    codebook: Codebook | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.codebook is not None and not self.problems


class CodebookInvalid(Exception):
    """The codebook a command needs has problems; carries all of them (`path:line: message`)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


# -- locating ------------------------------------------------------------------------
def codebook_path(questionnaire_paths: Sequence[Path] | None = None) -> Path:
    """The codebook next to the questionnaires in use (the given ones, else `$ZET_QUESTIONNAIRES`):
    the first folder that has one, else the shipped `questionnaires/codeboek.md`."""
    if questionnaire_paths is None:
        questionnaire_paths = configured_questionnaire_paths()
    for folder in questionnaire_paths or ():
        candidate = folder / CODEBOOK_FILE if folder.is_dir() else folder.with_name(CODEBOOK_FILE)
        if candidate.is_file():
            return candidate
    return shipped_dir() / CODEBOOK_FILE


def known_theme_ids(folder: Path | None = None) -> set[str]:
    """Theme ids of the valid questionnaires in `folder` (default: the shipped ones)."""
    ids: set[str] = set()
    for path in questionnaire_files([folder] if folder else None):
        result = load_file(path)
        if result.questionnaire is not None:
            ids.update(t.id for t in result.questionnaire.themes)
    return ids


def load_codebook(path: Path, theme_ids: Collection[str] | None = None) -> CodebookResult:
    """Read and validate a codebook file; `theme_ids` are the themes a code may name
    (None: the themes of the questionnaires next to the file, else the shipped ones)."""
    raw, problems = read_source(path, "codeboekbestand")
    if raw is None:
        return CodebookResult(path, None, problems)
    if theme_ids is None:
        theme_ids = known_theme_ids(path.parent) or known_theme_ids()
    return parse_codebook(raw, str(path), theme_ids)


def load_codebook_or_raise(path: Path, theme_ids: Collection[str] | None = None) -> Codebook:
    result = load_codebook(path, theme_ids)
    if not result.ok or result.codebook is None:
        raise CodebookInvalid(result.problems)
    return result.codebook


def codebook_in_use(questionnaire_paths: Sequence[Path] | None = None) -> Codebook | None:
    """The codebook for reading codings (report, feedback, exports): these never fail on a
    codebook with problems (`zet codebook check` names them); they use what could be read,
    and a code that could not is shown by its id."""
    return load_codebook(codebook_path(questionnaire_paths)).codebook


def parse_codebook(raw: bytes, name: str = "<tekst>",
                   theme_ids: Collection[str] = ()) -> CodebookResult:
    text, problems = decode_source(raw, name)
    if text is None:
        return CodebookResult(Path(name), None, problems)
    return _CodebookParser(text, name, set(theme_ids)).parse()


# -- parsing ---------------------------------------------------------------------------
@dataclass
class _RawCode:
    id: str
    label: str
    line: int
    group: str
    description: list[str] = field(default_factory=list)
    props: dict[str, tuple[str, int]] = field(default_factory=dict)


class _CodebookParser(MarkdownWalker):
    def __init__(self, text: str, name: str, theme_ids: set[str]) -> None:
        super().__init__(text, name)
        self.theme_ids = theme_ids
        self.meta: dict[str, tuple[str, int]] = {}
        self.group = ""
        self.codes: list[_RawCode] = []
        self.code: _RawCode | None = None

    def parse(self) -> CodebookResult:
        if not self.walk():
            return CodebookResult(Path(self.name), None, self.problems)
        return self.finish()

    def front_matter(self, tok: Token, line: int) -> None:
        for lno, key, value in self.front_matter_items(tok, line):
            canonical = META_KEYS.get(key)
            if canonical is None:
                self.err(lno, f"onbekend kopveld '{key}' (bekend: id, titel, versie)")
            else:
                self.meta[canonical] = (value, lno)

    def heading(self, tag: str, content: str, line: int) -> None:
        m = HEADING_ID_RE.search(content)
        title = content[: m.start()].strip() if m else content.strip()
        explicit = m.group(1) if m else None
        if not title:
            self.err(line, "kop zonder tekst")
        if tag == "h1":
            self.group = title
            self.code = None
        elif tag == "h2":
            if not explicit:
                self.err(line, f"code '{title}' heeft geen id; zet {{#code-id}} achter de kop")
            elif not ID_RE.match(explicit):
                self.err(line, f"ongeldig id '{explicit}': gebruik kleine letters, cijfers, "
                               "'.', '-' of '_'")
            self.code = _RawCode(explicit or f"?{line}", title, line, self.group)
            self.codes.append(self.code)
        else:
            self.err(line, f"kop van niveau {tag[1]} wordt niet gebruikt: # is een groep, "
                           "## een code")

    def free_text(self, text: str, line: int) -> None:
        if self.code is not None:
            self.code.description.append(text)

    def list_block(self, tokens: list[Token], open_tok: Token, line: int) -> None:
        items = self.list_items(tokens)
        is_props = self.code is not None and items and all(
            PROPERTY_RE.match(text) and " " not in text.split(":", 1)[0] for text, _ in items)
        if not is_props or self.code is None:
            self.free_text(self.source(open_tok), line)
            return
        for text, lno in items:
            m = PROPERTY_RE.match(text)
            assert m
            key = PROPERTY_KEYS.get(m.group(1).lower())
            if key is None:
                self.err(lno, f"onbekende eigenschap '{m.group(1)}' (bekend: werkzaam, "
                              "basisfunctie, thema, trefwoorden)")
            elif key in self.code.props:
                self.err(lno, f"eigenschap '{m.group(1)}' staat twee keer bij deze code")
            else:
                self.code.props[key] = (m.group(2).strip(), lno)

    # -- build and validate -------------------------------------------------------
    def finish(self) -> CodebookResult:
        if not self.meta and not self.codes:
            self.err(1, "geen codeboek: geen kop met metadata (---) en geen codes (## koppen)")
            return CodebookResult(Path(self.name), None, self.problems)
        for key in REQUIRED_META:
            if not self.meta.get(key, ("", 0))[0]:
                self.err(1, f"metadata '{key}' ontbreekt of is leeg (in de kop tussen --- regels)")
        book_id = self.meta.get("id")
        if book_id and book_id[0] and not ID_RE.match(book_id[0]):
            self.err(book_id[1], f"ongeldig codeboek-id '{book_id[0]}'")
        if not self.codes:
            self.err(len(self.lines) or 1, "geen codes: voeg minstens één ## kop toe")
        seen: dict[str, int] = {}
        codes: list[Code] = []
        for raw in self.codes:
            if not raw.id.startswith("?"):
                if raw.id in seen:
                    self.err(raw.line, f"id '{raw.id}' komt al voor op regel {seen[raw.id]}")
                seen.setdefault(raw.id, raw.line)
            codes.append(self.build(raw))
        if self.problems:
            return CodebookResult(Path(self.name), None,
                                  sorted(self.problems, key=lambda p: p.line))
        return CodebookResult(Path(self.name), Codebook(
            self.meta["id"][0], self.meta["titel"][0], self.meta["versie"][0], tuple(codes),
            self.name))

    def build(self, raw: _RawCode) -> Code:
        links: dict[str, tuple[str, ...]] = {}
        for key, vocab in VOCABULARIES.items():
            what = "werkzaam element" if key == "werkzaam" else "basisfunctie"
            links[key] = self.ids(raw, key, vocab, what)
        links["themes"] = self.ids(raw, "themes", self.theme_ids, "thema")
        keywords: list[str] = []
        if (p := raw.props.get("keywords")) is not None:
            for word in _split(p[0]):
                if len(word) < MIN_KEYWORD:
                    self.err(p[1], f"trefwoord '{word}' is te kort (minstens {MIN_KEYWORD} tekens)")
                elif word.lower() not in keywords:
                    keywords.append(word.lower())
        return Code(raw.id, raw.label, "\n\n".join(raw.description), links["werkzaam"],
                    links["basisfunctie"], links["themes"], tuple(keywords), raw.line, raw.group)

    def ids(self, raw: _RawCode, key: str, known: Collection[str], what: str) -> tuple[str, ...]:
        prop = raw.props.get(key)
        if prop is None:
            return ()
        out: list[str] = []
        for value in _split(prop[0]):
            if value not in known:
                hint = f" (bekend: {', '.join(sorted(known))})" if known else ""
                self.err(prop[1], f"onbekend {what} '{value}'{hint}")
            elif value not in out:
                out.append(value)
        return tuple(out)


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


# -- keyword suggestions ---------------------------------------------------------------------
@dataclass(frozen=True)
class Suggestion:
    """A code whose keyword occurs in a text: shown to the analyst, applied only on a key press."""

    code: Code
    keyword: str
    start: int
    end: int


def suggestions(codebook: Codebook, text: str, *, skip: Iterable[str] = ()) -> list[Suggestion]:
    """Codes whose keywords occur in `text`, one per code, in order of first occurrence."""
    if not text:
        return []
    skipped = set(skip)
    found: list[Suggestion] = []
    for code in codebook.codes:
        if code.id in skipped or not code.keywords:
            continue
        best: Suggestion | None = None
        for keyword in code.keywords:
            # matched on the text itself (not on text.lower(), which can change its length),
            # so the offsets point into the toelichting as stored
            m = _keyword_re(keyword).search(text)
            if m and (best is None or m.start() < best.start):
                best = Suggestion(code, keyword, m.start(), m.end())
        if best is not None:
            found.append(best)
    found.sort(key=lambda s: (s.start, s.code.id))
    return found


_KEYWORD_CACHE: dict[str, re.Pattern[str]] = {}


def _keyword_re(keyword: str) -> re.Pattern[str]:
    pattern = _KEYWORD_CACHE.get(keyword)
    if pattern is None:
        pattern = _KEYWORD_CACHE[keyword] = re.compile(r"(?<!\w)" + re.escape(keyword),
                                                       re.IGNORECASE)
    return pattern
