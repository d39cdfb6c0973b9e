"""Select what to export, write every file, report progress; never overwrite anything.

Layout of one export folder::

    <evaluation>/                 (or <evaluation>-<case>, <evaluation>-<case>-<perspective>-<id>)
      index.md                    links to everything below
      evaluatierapport.md         (whole evaluation only)
      analyseschema-<case>.md     (evaluation or case)
      antwoorden.csv  antwoorden.xlsx  export.json
      transcripten/<case>-<perspective>-<session id>.md

Flat on purpose: the case is in every file name, and creating hundreds of
case folders cost more than writing all the files in them (ext4, measured).

The folder is reserved with an exclusive `mkdir`; when it exists the next free
`-2`, `-3`, ... is taken, and every file is created with `O_EXCL`, so an earlier
export is never overwritten, not even by a concurrent one. Folders are 0700 and
files 0600: exports hold data about vulnerable people. A failed export removes
its half-written folder.

No file carries control characters or terminal escape sequences (a merged
database can hold `ESC[2J` or OSC 52 in a toelichting; a reader's `cat` or
spreadsheet must not obey them): every value is passed through
`zet_tui.core.safe_text.export_safe` where a format turns it into file content:
`_Writer.text` (each Markdown file as a whole), `tables._csv_text` (each CSV
cell), `xlsx._text` (each XLSX string) and `tables.write_json` (the JSON tree).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from slugify import slugify

from zet_tui.core.safe_text import export_safe
from zet_tui.core.store import Case, Evaluation, Session, Store
from zet_tui.core.vocab import PERSPECTIVE_LABELS
from zet_tui.export import markdown, tables
from zet_tui.export.data import ExportData, group_by_evaluation, load
from zet_tui.export.safe_md import heading, inline

FORMATS = ("md", "csv", "xlsx", "json")
DEFAULT_ROOT = Path("exports")
Progress = Callable[[int, int, str], None]


class ExportError(Exception):
    """A problem the user can act on (Dutch message)."""


@dataclass
class Selection:
    scope: str  # evaluation / case / session
    evaluation: Evaluation
    sessions: list[Session]
    case: Case | None = None
    session: Session | None = None


@dataclass
class ExportResult:
    folder: Path
    files: list[Path] = field(default_factory=list)
    answers: int = 0


def slug(text: str, fallback: str = "export") -> str:
    return slugify(text, max_length=60, word_boundary=True) or fallback


def parse_formats(raw: str | Sequence[str] | None) -> tuple[str, ...]:
    if raw is None:
        return FORMATS
    parts = raw.split(",") if isinstance(raw, str) else list(raw)
    wanted = [p.strip().lower() for p in parts if p.strip()]
    unknown = [p for p in wanted if p not in FORMATS]
    if unknown or not wanted:
        raise ExportError(f"onbekend formaat '{', '.join(unknown) or raw}'; kies uit "
                          f"{', '.join(FORMATS)}")
    return tuple(dict.fromkeys(wanted))


def select(store: Store, *, evaluation: str | None = None, case: str | None = None,
           session: str | None = None) -> Selection:
    """Resolve the CLI's --evaluation / --case / --session to sessions."""
    if session:
        s = store.session(session)
        c = store.case(s.case_id)
        ev = store.evaluation(c.evaluation_id) if c else None
        if c is None or ev is None:
            raise ExportError(f"sessie '{session}' hoort bij geen casus")
        return Selection("session", ev, [s], c, s)
    ev_obj = store.find_evaluation(evaluation) if evaluation else None
    if case:
        c = store.find_case(case, ev_obj.id if ev_obj else None)
        ev = store.evaluation(c.evaluation_id)
        if ev is None:
            raise ExportError(f"casus '{case}' hoort bij geen evaluatie")
        return Selection("case", ev, store.sessions(case_id=c.id), c)
    if ev_obj is None:
        evaluations = store.evaluations()
        if not evaluations:
            raise ExportError("er is nog geen evaluatie om te exporteren (probeer 'zet demo')")
        if len(evaluations) > 1:
            raise ExportError("er zijn meerdere evaluaties; kies er een met --evaluation "
                              "(zie 'zet evaluations')")
        ev_obj = evaluations[0]
    return Selection("evaluation", ev_obj, store.sessions(evaluation_id=ev_obj.id))


def folder_name(data: ExportData, selection: Selection) -> str:
    """`<evaluation>[-<case>[-<perspective>-<id>]][-gepseudonimiseerd]`, slugified."""
    name = slug(data.pseudo.text(data.evaluation.name), "evaluatie")
    if selection.case is not None:
        name += "-" + slug(data.case_code(selection.case.id), "casus")
    if selection.session is not None:
        name += f"-{selection.session.perspective}-{selection.session.id[:8]}"
    if data.pseudo.enabled:
        name += "-gepseudonimiseerd"  # visible in the folder list: this one may be shared
    return name


def reserve_folder(root: Path, name: str) -> Path:
    """Create `root/name` (or the first free `name-2`, `name-3`, ...) exclusively, 0700."""
    try:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError as exc:
        raise ExportError(f"{root}: kan map niet aanmaken ({exc.strerror or exc})") from None
    if not root.is_dir():
        raise ExportError(f"{root}: is geen map")
    if not os.access(root, os.W_OK | os.X_OK):
        raise ExportError(f"{root}: geen schrijfrechten in deze map")
    for n in range(1, 10_000):
        target = root / (name if n == 1 else f"{name}-{n}")
        try:
            target.mkdir(mode=0o700)
        except FileExistsError:
            continue
        except OSError as exc:
            raise ExportError(f"{target}: kan map niet aanmaken ({exc.strerror or exc})") from None
        target.chmod(0o700)
        return target
    raise ExportError(f"{root}: te veel eerdere exports met de naam {name}")


class _Writer:
    """Creates files exclusively (0600) inside one folder and counts progress."""

    def __init__(self, folder: Path, total: int, progress: Progress | None) -> None:
        self.folder = folder
        self.total = total
        self.done = 0
        self.progress = progress
        self.files: list[Path] = []

    def path(self, relative: str) -> Path:
        path = self.folder / relative
        if not path.parent.exists():
            path.parent.mkdir(parents=True, mode=0o700)
        return path

    @contextlib.contextmanager
    def open(self, relative: str, *, binary: bool = False, encoding: str = "utf-8",
             newline: str | None = None) -> Iterator[IO[Any]]:
        path = self.path(relative)
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
        self.files.append(path)
        if binary:
            with os.fdopen(fd, "wb") as fh:
                yield fh
        else:
            with os.fdopen(fd, "w", encoding=encoding, newline=newline) as fh:
                yield fh
        self.tick(relative)

    def text(self, relative: str, content: str) -> None:
        with self.open(relative) as fh:
            fh.write(export_safe(content))  # also what no escaping touched (a Mermaid title)

    def tick(self, label: str) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(self.done, self.total, label)


def _case_folder(data: ExportData, case_id: str) -> str:
    return slug(data.case_code(case_id), "casus")


def _plan(data: ExportData, formats: Sequence[str], report: bool,
          analyseschema: bool) -> int:
    total = 0
    if "md" in formats:
        total += len(data.sessions) + 1
        total += len(data.analysis.cases) if analyseschema else 0
        total += 1 if report else 0
    total += sum(1 for f in ("csv", "xlsx", "json") if f in formats)
    if "csv" in formats:
        total += len(tables.feedback_tables(data))
    return total


def _transcript_name(data: ExportData, session: Session, case_slug: str) -> str:
    """`<case>-<perspective>-<id prefix>.md`; the full id when two sessions share the prefix."""
    prefix = session.id[:8]
    taken = data.memo.get("transcript_prefixes")
    if taken is None:
        taken = data.memo["transcript_prefixes"] = Counter(
            (s.case_id, s.perspective, s.id[:8]) for s in data.sessions)
    clash = taken[(session.case_id, session.perspective, prefix)] > 1
    return f"transcripten/{case_slug}-{session.perspective}-{session.id if clash else prefix}.md"


def write_export(data: ExportData, folder: Path, formats: Sequence[str], *,
                 report: bool = True, analyseschema: bool = True,
                 progress: Progress | None = None) -> ExportResult:
    """Write every requested file of `data` into the (existing, empty) `folder`."""
    w = _Writer(folder, _plan(data, formats, report, analyseschema), progress)
    result = ExportResult(folder)
    index: list[str] = []
    if "md" in formats:
        if report:
            w.text("evaluatierapport.md", markdown.report(data, data.analysis))
            index.append("- [Evaluatierapport](evaluatierapport.md)")
        for ca in data.analysis.cases:
            sub = _case_folder(data, ca.case.id)
            code = data.case_code(ca.case.id)
            index.append(f"- {inline(code)}")
            if analyseschema:
                w.text(f"analyseschema-{sub}.md", markdown.analyseschema(data, ca))
                index.append(f"  - [Analyseschema](analyseschema-{sub}.md)")
            for s in data.sessions_of(ca.case.id):
                name = _transcript_name(data, s, sub)
                w.text(name, markdown.transcript(data, s))
                index.append(f"  - [Transcript {PERSPECTIVE_LABELS.get(s.perspective, s.perspective).lower()}]({name})")
        for s in data.sessions:  # sessions of a perspective outside the analyseschema
            if not any(s.case_id == ca.case.id for ca in data.analysis.cases):
                sub = _case_folder(data, s.case_id)
                name = _transcript_name(data, s, sub)
                w.text(name, markdown.transcript(data, s))
                index.append(f"- [Transcript {inline(data.case_code(s.case_id))}]({name})")
    if "csv" in formats:
        with w.open("antwoorden.csv", encoding="utf-8-sig", newline="") as fh:
            result.answers = tables.write_csv(data, fh)
        index.append("- [Antwoorden (CSV)](antwoorden.csv)")
        for name, rows in tables.feedback_tables(data).items():
            with w.open(f"{name}.csv", encoding="utf-8-sig", newline="") as fh:
                tables.write_rows_csv(rows, fh)
            index.append(f"- [{name.capitalize()} (CSV)]({name}.csv)")
    if "xlsx" in formats:
        with w.open("antwoorden.xlsx", binary=True) as fh:
            result.answers = tables.write_xlsx(data, fh)
        index.append("- [Antwoorden (Excel)](antwoorden.xlsx)")
    if "json" in formats:
        with w.open("export.json") as fh:
            tables.write_json(data, fh)
        index.append("- [Alles (JSON)](export.json)")
    if "md" in formats:
        title = heading(1, f"Export {data.pseudo.text(data.evaluation.name)}")
        w.text("index.md", f"{title}\n\n" + "\n".join(index) + "\n")
    result.files = w.files
    return result


def export_all(store: Store, sessions: Sequence[Session], out_dir: Path | str,
               formats: Sequence[str] = FORMATS, *, pseudonymize: bool = False,
               extra_terms: Sequence[str] = (), report: bool = True,
               analyseschema: bool = True, progress: Progress | None = None) -> list[ExportResult]:
    """Export `sessions` into `out_dir` (created if needed; existing files are never replaced).

    Sessions of several evaluations go into one subfolder per evaluation.
    This is also the entry point for benchmarks: reading costs one query per
    table, whatever the number of sessions.
    """
    out = Path(out_dir)
    groups = group_by_evaluation(store, list(sessions))
    results = []
    for ev, group in groups:
        folder = out if len(groups) == 1 else out / slug(ev.name)
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = load(store, ev, group, pseudonymize=pseudonymize, extra_terms=tuple(extra_terms))
        results.append(write_export(data, folder, formats, report=report,
                                    analyseschema=analyseschema, progress=progress))
    return results


def run_export(store: Store, selection: Selection, *, root: Path | None = None,
               formats: Sequence[str] = FORMATS, pseudonymize: bool = False,
               extra_terms: Sequence[str] = (), progress: Progress | None = None) -> ExportResult:
    """The `zet export` flow: read, reserve a fresh folder, write; clean up on failure."""
    if not selection.sessions:
        raise ExportError("geen sessies om te exporteren in deze selectie")
    data = load(store, selection.evaluation, selection.sessions, pseudonymize=pseudonymize,
                extra_terms=tuple(extra_terms))
    folder = reserve_folder(root or DEFAULT_ROOT, folder_name(data, selection))
    try:
        return write_export(data, folder, formats, report=selection.scope == "evaluation",
                            analyseschema=selection.scope in ("evaluation", "case"),
                            progress=progress)
    except OSError as exc:
        shutil.rmtree(folder, ignore_errors=True)
        raise ExportError(f"{folder}: schrijven mislukt ({exc.strerror or exc}); de "
                          "onvolledige export is verwijderd") from None
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
