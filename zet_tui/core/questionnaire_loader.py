"""Load and validate questionnaire Markdown files.

The format is documented for evaluators in `questionnaires/README.md`. The
loader never raises for a bad file: it collects every problem as a
`path:line: message` so an evaluator can fix them all in one go.
"""

from __future__ import annotations

import importlib.resources
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin
from slugify import slugify

from zet_tui.core.dutch import DateError, NumberError, iso_date, parse_number
from zet_tui.core.questionnaire import (
    CONDITION_OPS,
    ID_RE,
    Condition,
    Problem,
    Question,
    Questionnaire,
    QuestionnaireInvalid,
    Theme,
)
from zet_tui.core.vocab import (
    DEFAULT_SCALE,
    MILESTONES,
    SCALES,
    TAG_NAMESPACES,
    AnswerType,
    Perspective,
)

MAX_BYTES = 2 * 1024 * 1024
HEADING_ID_RE = re.compile(r"\s*\{#([^}\s]*)\}\s*$")
PROPERTY_RE = re.compile(r"^([A-Za-z][A-Za-z-]*)\s*:\s*(.*)$", re.S)
CONDITION_RE = re.compile(r"^\s*(\S+)\s*(" + "|".join(re.escape(o) for o in CONDITION_OPS) + r")\s*(.+?)\s*$")
META_KEYS = {"id", "titel", "title", "perspectief", "perspective", "versie", "version",
             "schaal", "scale"}
REQUIRED_META = (("id", "id"), ("titel", "title"), ("perspectief", "perspective"),
                 ("versie", "version"))
PROPERTY_KEYS = {"type", "verplicht", "tags", "toon-als", "tegenhanger", "schaal", "mijlpaal",
                 "min", "max", "opties"}
TYPE_ALIASES = {
    "smiley": AnswerType.SMILEY, "schaal": AnswerType.SMILEY,
    "ja-nee": AnswerType.YES_NO, "janee": AnswerType.YES_NO, "ja/nee": AnswerType.YES_NO,
    "keuze": AnswerType.CHOICE, "datum": AnswerType.DATE, "getal": AnswerType.NUMBER,
    "tekst": AnswerType.TEXT,
}
YES = {"ja", "yes", "true", "waar"}
NO = {"nee", "no", "false", "onwaar"}


@dataclass
class LoadResult:
    path: Path
    questionnaire: Questionnaire | None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.questionnaire is not None and not self.problems


_md: MarkdownIt | None = None


def _parser() -> MarkdownIt:
    global _md
    if _md is None:
        _md = MarkdownIt("commonmark").use(front_matter_plugin).enable("table")
    return _md


def read_source(path: Path, what: str = "vragenlijstbestand") -> tuple[bytes | None, list[Problem]]:
    """The raw bytes of a Markdown source file, or the problems that kept it from being read.

    Shared by every Markdown format of zet-tui (questionnaires, the codebook), so
    each reports a missing, unreadable or oversized file the same way.
    """
    name = str(path)
    try:
        if path.is_dir():
            return None, [Problem(name, 0, f"is een map, geen {what}")]
        size = path.stat().st_size
        if size > MAX_BYTES:
            return None, [Problem(name, 1, f"bestand is te groot ({size} bytes, hoogstens {MAX_BYTES})")]
        return path.read_bytes(), []
    except FileNotFoundError:
        return None, [Problem(name, 0, "bestand bestaat niet")]
    except PermissionError:
        return None, [Problem(name, 0, "geen leesrechten op dit bestand")]
    except OSError as exc:
        return None, [Problem(name, 0, f"kan niet lezen: {exc.strerror}")]


def decode_source(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text without a byte order mark, or the one problem that makes it no text file."""
    if b"\x00" in raw:
        line = raw[: raw.index(b"\x00")].count(b"\n") + 1
        return None, [Problem(
            name, line, "geen tekstbestand (bevat NUL-bytes); is dit wel een Markdown-bestand?")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(
            name, line, f"ongeldige UTF-8 (byte 0x{raw[exc.start]:02x}); sla het bestand op als UTF-8")]
    return text.removeprefix("\ufeff"), []


def load_file(path: Path) -> LoadResult:
    raw, problems = read_source(path)
    if raw is None:
        return LoadResult(path, None, problems)
    return load_bytes(raw, str(path))


def load_or_raise(path: Path) -> Questionnaire:
    result = load_file(path)
    if not result.ok or result.questionnaire is None:
        raise QuestionnaireInvalid(result.problems)
    return result.questionnaire


def load_bytes(raw: bytes, name: str = "<tekst>") -> LoadResult:
    text, problems = decode_source(raw, name)
    if text is None:
        return LoadResult(Path(name), None, problems)
    return _Parser(text, name).parse()


class MarkdownWalker:
    """Hands each top-level block of a Markdown source to a hook.

    The questionnaire parser below and the codebook parser (`core/codebook.py`) are
    walkers: what a heading or a list means differs, the walk and its line numbers
    do not.
    """

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.lines = text.splitlines()
        self.name = name
        self.problems: list[Problem] = []

    def err(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.name, line, message))

    def source(self, tok: Token) -> str:
        if tok.map is None:
            return tok.content
        start, end = tok.map
        return "\n".join(self.lines[start:end]).strip("\n")

    def walk(self) -> bool:
        """Visit every top-level block; False when markdown-it could not read the text."""
        try:
            tokens = _parser().parse(self.text)
        except Exception as exc:  # markdown-it should not fail, but never show a traceback
            self.err(1, f"kan Markdown niet lezen: {exc}")
            return False
        i = 0
        while i < len(tokens):
            tok = tokens[i]
            line = (tok.map[0] + 1) if tok.map else 1
            if tok.level != 0:
                i += 1
                continue
            if tok.type == "front_matter":
                self.front_matter(tok, line)
                i += 1
            elif tok.type == "heading_open":
                inline = tokens[i + 1]
                self.heading(tok.tag, inline.content, line)
                i = _skip_block(tokens, i)
            elif tok.type == "paragraph_open":
                self.paragraph(tokens[i + 1], line)
                i = _skip_block(tokens, i)
            elif tok.type in ("bullet_list_open", "ordered_list_open"):
                end = _skip_block(tokens, i)
                self.list_block(tokens[i:end], tok, line)
                i = end
            elif tok.type == "hr":
                i += 1
            else:
                end = _skip_block(tokens, i)
                self.free_text(self.source(tok), line)
                i = end
        return True

    def front_matter_items(self, tok: Token, line: int) -> Iterator[tuple[int, str, str]]:
        """(line, key in lower case, value) of each `key: value` line of the front matter."""
        for offset, raw in enumerate(tok.content.splitlines()):
            stripped = raw.strip()
            lno = line + 1 + offset
            if not stripped or stripped.startswith("#"):
                continue
            m = PROPERTY_RE.match(stripped)
            if not m:
                self.err(lno, f"verwacht 'sleutel: waarde' in de kop, niet '{stripped}'")
                continue
            yield lno, m.group(1).lower(), m.group(2).strip().strip("\"'")

    def list_items(self, tokens: list[Token]) -> list[tuple[str, int]]:
        """The text and line of each item of a list block."""
        return [(t.content, t.map[0] + 1) for t in tokens
                if t.type == "inline" and t.level == 3 and t.map]  # list_item > paragraph > inline

    # hooks
    def front_matter(self, tok: Token, line: int) -> None:
        raise NotImplementedError

    def heading(self, tag: str, content: str, line: int) -> None:
        raise NotImplementedError

    def paragraph(self, inline: Token, line: int) -> None:
        # A paragraph wrapped over several source lines is one paragraph: the screen wraps it
        # to its own width (a hard break, two trailing spaces or a backslash, is kept).
        self.free_text(_unwrap(inline.content), line)

    def list_block(self, tokens: list[Token], open_tok: Token, line: int) -> None:
        raise NotImplementedError

    def free_text(self, text: str, line: int) -> None:
        raise NotImplementedError


class _Parser(MarkdownWalker):
    def __init__(self, text: str, name: str) -> None:
        super().__init__(text, name)
        self.meta: dict[str, tuple[str, int]] = {}
        self.opening: list[str] = []
        self.themes: list[dict[str, object]] = []
        self.theme: dict[str, object] | None = None
        self.question: dict[str, object] | None = None
        self.pending_list: tuple[str, int] | None = None

    def parse(self) -> LoadResult:
        if not self.walk():
            return LoadResult(Path(self.name), None, self.problems)
        return self.finish()

    def front_matter(self, tok: Token, line: int) -> None:
        for lno, key, value in self.front_matter_items(tok, line):
            if key not in META_KEYS:
                self.err(lno, f"onbekend kopveld '{key}' (bekend: id, titel, perspectief, versie, schaal)")
                continue
            canonical = {"title": "titel", "perspective": "perspectief", "version": "versie",
                         "scale": "schaal"}.get(key, key)
            self.meta[canonical] = (value, lno)

    def heading(self, tag: str, content: str, line: int) -> None:
        self.pending_list = None
        m = HEADING_ID_RE.search(content)
        title = content[: m.start()].strip() if m else content.strip()
        explicit = m.group(1) if m else None
        if explicit is not None and not ID_RE.match(explicit):
            self.err(line, f"ongeldig id '{explicit}': gebruik kleine letters, cijfers, '.', '-' of '_'")
        if not title:
            self.err(line, "kop zonder tekst")
        if tag == "h1":
            theme_id = explicit or slugify(title)
            if not theme_id:
                self.err(line, "thema zonder bruikbaar id; voeg {#thema-id} toe")
            self.question = None
            self.theme = {"id": theme_id, "title": title, "intro": [], "questions": [], "line": line}
            self.themes.append(self.theme)
        elif tag == "h2":
            if self.theme is None:
                self.err(line, f"vraag '{title}' staat voor het eerste thema (# kop)")
                return
            if not explicit:
                self.err(line, f"vraag '{title}' heeft geen id; zet {{#thema.vraag}} achter de kop")
            self.question = {
                "id": explicit or f"?{line}", "text": title, "help": [], "probes": [],
                "props": {}, "options": [], "line": line,
            }
            questions = self.theme["questions"]
            assert isinstance(questions, list)
            questions.append(self.question)
        else:
            self.err(line, f"kop van niveau {tag[1]} wordt niet gebruikt: # is een thema, ## een vraag")

    def paragraph(self, inline: Token, line: int) -> None:
        label = inline.content.strip().rstrip(":").strip().lower()
        if label in ("doorvragen", "opties") and inline.content.strip().endswith(":"):
            if self.question is None:
                self.err(line, f"'{inline.content.strip()}' staat niet onder een vraag")
            self.pending_list = (label, line)
            return
        super().paragraph(inline, line)

    def free_text(self, text: str, line: int) -> None:
        self.pending_list = None
        if self.question is not None:
            help_lines = self.question["help"]
            assert isinstance(help_lines, list)
            help_lines.append(text)
        elif self.theme is not None:
            intro = self.theme["intro"]
            assert isinstance(intro, list)
            intro.append(text)
        else:
            self.opening.append(text)

    def list_block(self, tokens: list[Token], open_tok: Token, line: int) -> None:
        items = self.list_items(tokens)
        pending, self.pending_list = self.pending_list, None
        if pending is not None and self.question is not None:
            target = self.question["probes" if pending[0] == "doorvragen" else "options"]
            assert isinstance(target, list)
            target.extend(text.strip() for text, _ in items if text.strip())
            return
        is_props = (
            self.question is not None
            and items
            and all(PROPERTY_RE.match(text) and " " not in text.split(":", 1)[0] for text, _ in items)
        )
        if is_props and self.question is not None:
            props = self.question["props"]
            assert isinstance(props, dict)
            for text, lno in items:
                m = PROPERTY_RE.match(text)
                assert m
                key, value = m.group(1).lower(), m.group(2).strip()
                if key not in PROPERTY_KEYS:
                    self.err(lno, f"onbekende eigenschap '{key}' (bekend: {', '.join(sorted(PROPERTY_KEYS))})")
                    continue
                if key in props:
                    self.err(lno, f"eigenschap '{key}' staat twee keer bij deze vraag")
                props[key] = (value, lno)
            return
        self.free_text(self.source(open_tok), line)

    # -- build and validate -------------------------------------------------
    def finish(self) -> LoadResult:
        if not self.meta and not self.themes:
            self.err(1, "geen ZET-vragenlijst: geen kop met metadata (---) en geen thema's (# koppen) gevonden")
            return LoadResult(Path(self.name), None, self.problems)
        for key, english in REQUIRED_META:
            if key not in self.meta or not self.meta[key][0]:
                self.err(1, f"metadata '{key}' ontbreekt of is leeg (in de kop tussen --- regels; ook '{english}')")
        qid = self.meta.get("id", ("", 1))
        if qid[0] and not ID_RE.match(qid[0]):
            self.err(qid[1], f"ongeldig vragenlijst-id '{qid[0]}'")
        persp = self.meta.get("perspectief")
        if persp and persp[0] not in {p.value for p in Perspective}:
            self.err(persp[1], f"onbekend perspectief '{persp[0]}' (kies: {', '.join(p.value for p in Perspective)})")
        scale_meta = self.meta.get("schaal", (DEFAULT_SCALE, 1))
        default_scale = scale_meta[0] or DEFAULT_SCALE
        if default_scale not in SCALES:
            self.err(scale_meta[1], f"onbekende schaal '{default_scale}' (kies: {', '.join(SCALES)})")
            default_scale = DEFAULT_SCALE
        if not self.themes:
            self.err(len(self.lines) or 1, "geen thema's: voeg minstens één # kop met vragen toe")

        seen_ids: dict[str, int] = {}
        earlier: dict[str, Question] = {}
        themes: list[Theme] = []
        for t in self.themes:
            tid, tline = str(t["id"]), int(str(t["line"]))
            if tid in seen_ids:
                self.err(tline, f"id '{tid}' komt al voor op regel {seen_ids[tid]}")
            seen_ids.setdefault(tid, tline)
            raw_questions = t["questions"]
            assert isinstance(raw_questions, list)
            if not raw_questions:
                self.err(tline, f"thema '{t['title']}' heeft geen vragen (## koppen)")
            questions: list[Question] = []
            for rq in raw_questions:
                q = self.build_question(rq, tid, default_scale, seen_ids, earlier)
                if q is not None:
                    questions.append(q)
                    earlier[q.id] = q
            intro = t["intro"]
            assert isinstance(intro, list)
            themes.append(Theme(id=tid, title=str(t["title"]), intro="\n\n".join(intro),
                                questions=tuple(questions), line=tline))
        if self.problems:
            return LoadResult(Path(self.name), None, sorted(self.problems, key=lambda p: p.line))
        questionnaire = Questionnaire(
            id=self.meta["id"][0], title=self.meta["titel"][0],
            perspective=self.meta["perspectief"][0], version=self.meta["versie"][0],
            scale=default_scale, opening="\n\n".join(self.opening), themes=tuple(themes),
            source=self.name,
        )
        return LoadResult(Path(self.name), questionnaire, [])

    def build_question(
        self, rq: dict[str, object], theme_id: str, default_scale: str,
        seen_ids: dict[str, int], earlier: dict[str, Question],
    ) -> Question | None:
        qid, line = str(rq["id"]), int(str(rq["line"]))
        if not qid.startswith("?"):
            if qid in seen_ids:
                self.err(line, f"id '{qid}' komt al voor op regel {seen_ids[qid]}")
            seen_ids.setdefault(qid, line)
        props = rq["props"]
        assert isinstance(props, dict)

        def prop(key: str) -> tuple[str, int] | None:
            value = props.get(key)
            return value if isinstance(value, tuple) else None

        qtype = AnswerType.SMILEY
        if (p := prop("type")) is not None:
            found = TYPE_ALIASES.get(p[0].strip().lower())
            if found is None:
                self.err(p[1], f"onbekend antwoordtype '{p[0]}' (kies: smiley, ja-nee, keuze, datum, getal, tekst)")
            else:
                qtype = found
        required = True
        if (p := prop("verplicht")) is not None:
            low = p[0].strip().lower()
            if low in YES:
                required = True
            elif low in NO:
                required = False
            else:
                self.err(p[1], f"verplicht moet 'ja' of 'nee' zijn, niet '{p[0]}'")
        scale = default_scale
        if (p := prop("schaal")) is not None:
            if p[0].strip() not in SCALES:
                self.err(p[1], f"onbekende schaal '{p[0]}' (kies: {', '.join(SCALES)})")
            else:
                scale = p[0].strip()
        tags: list[str] = []
        if (p := prop("tags")) is not None:
            for tag in (x.strip() for x in p[0].split(",")):
                if not tag:
                    continue
                ns, _, value = tag.partition(":")
                vocab = TAG_NAMESPACES.get(ns.strip())
                if vocab is None or value.strip() not in vocab:
                    known = "; ".join(f"{n}:{'|'.join(v)}" for n, v in TAG_NAMESPACES.items())
                    self.err(p[1], f"onbekende tag '{tag}' (bekend: {known})")
                else:
                    tags.append(f"{ns.strip()}:{value.strip()}")
        options = [str(o) for o in rq["options"]] if isinstance(rq["options"], list) else []
        if (p := prop("opties")) is not None:
            options.extend(o.strip() for o in p[0].split(";") if o.strip())
        if qtype == AnswerType.CHOICE and len(options) < 2:
            self.err(line, "keuzevraag heeft minstens twee opties nodig (regel 'Opties:' met een lijst)")
        if qtype != AnswerType.CHOICE and options:
            self.err(line, "opties horen alleen bij een keuzevraag (type: keuze)")
        milestone = None
        if (p := prop("mijlpaal")) is not None:
            milestone = p[0].strip()
            if milestone not in MILESTONES:
                self.err(p[1], f"onbekende mijlpaal '{milestone}' (kies: {', '.join(MILESTONES)})")
            if qtype != AnswerType.DATE:
                self.err(p[1], "een mijlpaal hoort bij een vraag met type: datum")
        bounds: dict[str, float | None] = {"min": None, "max": None}
        for key in ("min", "max"):
            if (p := prop(key)) is not None:
                try:
                    bounds[key] = parse_number(p[0])
                except NumberError:
                    self.err(p[1], f"{key} moet een getal zijn, niet '{p[0]}'")
                if qtype != AnswerType.NUMBER:
                    self.err(p[1], f"{key} hoort bij een vraag met type: getal")
        counterpart = None
        if (p := prop("tegenhanger")) is not None:
            counterpart = p[0].strip()
            if not ID_RE.match(counterpart):
                self.err(p[1], f"ongeldig id '{counterpart}' bij tegenhanger")
        condition = None
        if (p := prop("toon-als")) is not None:
            condition = self.build_condition(p, qid, earlier)
        help_parts = rq["help"]
        probes = rq["probes"]
        assert isinstance(help_parts, list) and isinstance(probes, list)
        return Question(
            id=qid, theme_id=theme_id, text=str(rq["text"]), type=qtype,
            help="\n\n".join(str(h) for h in help_parts), probes=tuple(str(x) for x in probes),
            required=required, tags=tuple(tags), condition=condition, options=tuple(options),
            scale=scale, counterpart=counterpart, milestone=milestone,
            minimum=bounds["min"], maximum=bounds["max"], line=line,
        )

    def build_condition(
        self, p: tuple[str, int], qid: str, earlier: dict[str, Question]
    ) -> Condition | None:
        m = CONDITION_RE.match(p[0])
        if not m:
            self.err(p[1], f"toon-als moet de vorm 'vraag-id = waarde' hebben, niet '{p[0]}'")
            return None
        ref, op, value = m.group(1), m.group(2), m.group(3)
        if ref == qid:
            self.err(p[1], "toon-als verwijst naar de vraag zelf")
            return None
        target = earlier.get(ref)
        if target is None:
            if any(line_ref == ref for line_ref in self._all_question_ids()):
                self.err(p[1], f"toon-als verwijst naar '{ref}', die pas later in de vragenlijst komt")
            else:
                self.err(p[1], f"toon-als verwijst naar onbekende vraag '{ref}'")
            return None
        if target.type == AnswerType.SMILEY:
            if not (value.isascii() and value.isdigit()) or not 1 <= int(value) <= SCALES[target.scale].size:
                size = SCALES[target.scale].size
                self.err(p[1], f"'{ref}' heeft een schaal van 1 tot {size}; '{value}' past daar niet in")
        elif target.type == AnswerType.YES_NO:
            if value.lower() not in ("ja", "nee") or op not in ("=", "!="):
                self.err(p[1], f"'{ref}' is een ja/nee-vraag: gebruik '= ja', '= nee' of '!='")
        elif target.type == AnswerType.CHOICE and value.lower() not in (o.lower() for o in target.options):
            self.err(p[1], f"'{value}' is geen optie van '{ref}'")
        elif target.type == AnswerType.DATE:
            try:
                value = iso_date(value)  # stored answers are ISO dates: compare like with like
            except DateError as exc:
                self.err(p[1], f"'{ref}' is een datumvraag: {exc}")
        elif target.type == AnswerType.NUMBER:
            try:
                parse_number(value)
            except NumberError:
                self.err(p[1], f"'{ref}' is een getalvraag; '{value}' is geen getal")
        return Condition(ref, op, value)

    def _all_question_ids(self) -> list[str]:
        ids: list[str] = []
        for t in self.themes:
            qs = t["questions"]
            assert isinstance(qs, list)
            ids.extend(str(q["id"]) for q in qs)
        return ids


def _unwrap(paragraph: str) -> str:
    lines = paragraph.strip().split("\n")
    out = lines[0].strip()
    for previous, current in itertools.pairwise(lines):
        hard = previous.endswith("  ") or previous.endswith("\\")
        out = (out.removesuffix("\\").rstrip() + "\n" if hard else out + " ") + current.strip()
    return out


def _skip_block(tokens: list[Token], i: int) -> int:
    """Index just past the block that starts at tokens[i] (matching nesting)."""
    tok = tokens[i]
    if tok.nesting != 1:
        return i + 1
    depth = 0
    j = i
    while j < len(tokens):
        depth += tokens[j].nesting
        j += 1
        if depth == 0:
            break
    return j


def shipped_dir() -> Path:
    """The questionnaires that come with zet-tui: the package data `zet_tui.questionnaires`.

    In a checkout (and an editable install) that package is the folder `questionnaires/`
    at the top of the repository; a wheel carries the same files inside the package.
    """
    folder = importlib.resources.files("zet_tui.questionnaires")
    # pip and pipx always unpack a wheel, so the package data is a folder on disk.
    return folder if isinstance(folder, Path) else Path(str(folder))


#: The codebook of the analyst's workbench lives next to the questionnaires (`core/codebook.py`).
CODEBOOK_FILE = "codeboek.md"
NOT_QUESTIONNAIRES = frozenset({"readme.md", CODEBOOK_FILE})


def questionnaire_files(paths: list[Path] | None = None) -> list[Path]:
    targets = paths or [shipped_dir()]
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            files.extend(sorted(p for p in target.glob("*.md")
                                if p.name.lower() not in NOT_QUESTIONNAIRES))
        else:
            files.append(target)
    return files
