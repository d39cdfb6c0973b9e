"""Select what to export, write every file, report progress; never overwrite anything.

Layout of one export folder::

    <evaluation>/                 (or <evaluation>-<case>, <evaluation>-<case>-<perspective>-<id>)
      index.md                    links to everything below
      evaluatierapport.md         (whole evaluation only)
      analyseschema-<case>.md     (evaluation or case)
      antwoorden.csv  antwoorden.xlsx  export.json
      transcripten/<case>-<perspective>-<session id>.md

      .zet-export.json            which cases (hashed ids) it holds, for `zet purge`

Flat on purpose: the case is in every file name, and creating hundreds of
case folders cost more than writing all the files in them (ext4, measured).
Two case codes with the same file name ("K-01" and "k.01", two emoji) get a
short id suffix each.

Everything is written into a hidden work folder next to the final one and
renamed into place when complete (`export/folders.py`); the final name is the
first free one of `<name>`, `<name>-2`, ..., and every file is created with
`O_EXCL`, so an earlier export is never overwritten, not even by a concurrent
one. Folders are 0700 and files 0600: exports hold data about vulnerable
people. A failed export removes its work folder; a killed one leaves it, and
the next export into the same folder removes it.

No file carries control characters or terminal escape sequences (a merged
database can hold `ESC[2J` or OSC 52 in a toelichting; a reader's `cat` or
spreadsheet must not obey them): every value is passed through
`zet_tui.core.safe_text.export_safe` where a format turns it into file content:
`_Writer.text` (each Markdown file as a whole), `tables.csv_text` (each CSV
cell), `xlsx._text` (each XLSX string) and `tables.write_json` (the JSON tree).
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import IO, Any

from slugify import slugify

from zet_tui.core.safe_text import export_safe
from zet_tui.core.store import Case, Evaluation, Session, Store
from zet_tui.core.vocab import PERSPECTIVE_LABELS
from zet_tui.export import markdown, tables
from zet_tui.export import report as evaluation_report
from zet_tui.export.data import ExportData, group_by_evaluation, load
from zet_tui.export.folders import ExportError as ExportError  # re-exported for callers
from zet_tui.export.folders import (
    prepare_root,
    publish,
    unique_names,
    work_folder,
    write_manifest,
)
from zet_tui.export.parallel import ChildFailed, Forked, can_fork
from zet_tui.export.safe_md import heading, inline

FORMATS = ("md", "csv", "xlsx", "json")
DEFAULT_ROOT = Path("exports")
Progress = Callable[[int, int, str], None]


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


class _Writer:
    """Creates files exclusively (0600) inside one folder and counts progress."""

    def __init__(self, folder: Path, data: ExportData, total: int,
                 progress: Progress | None) -> None:
        self.folder = folder
        self.data = data
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

    def tick_many(self, count: int, label: str) -> None:
        for _ in range(count):
            self.tick(label)


def _case_folder(data: ExportData, case_id: str) -> str:
    """The case's part of file names, unique within this export."""
    names = data.memo.get("case_slugs")
    if names is None:
        ids = dict.fromkeys([c.id for c in data.cases] + [s.case_id for s in data.sessions])
        names = data.memo["case_slugs"] = unique_names(
            {cid: slug(data.case_code(cid), "casus") for cid in ids})
    return str(names[case_id])


def _transcript_name(data: ExportData, session: Session, case_slug: str) -> str:
    """`<case>-<perspective>-<id prefix>.md`; the full id when two sessions share the prefix."""
    prefix = session.id[:8]
    taken = data.memo.get("transcript_prefixes")
    if taken is None:
        taken = data.memo["transcript_prefixes"] = Counter(
            (s.case_id, s.perspective, s.id[:8]) for s in data.sessions)
    clash = taken[(session.case_id, session.perspective, prefix)] > 1
    return f"transcripten/{case_slug}-{session.perspective}-{session.id if clash else prefix}.md"


@dataclass(frozen=True)
class _File:
    """One file of the export and how to write it; `table` files may go to a second process."""

    name: str
    write: Callable[[_Writer], int | None]
    table: bool = False


def _markdown(name: str, render: Callable[[], str]) -> _File:
    def write(w: _Writer) -> None:
        w.text(name, render())

    return _File(name, write)


def _files(data: ExportData, formats: Sequence[str], report: bool,
           analyseschema: bool) -> list[_File]:
    """Every file of the export in writing order, the index last."""
    files: list[_File] = []
    index: list[str] = []
    if "md" in formats:
        if report:
            files.append(_markdown("evaluatierapport.md", partial(evaluation_report.render, data)))
            index.append("- [Evaluatierapport](evaluatierapport.md)")
        analysed = {ca.case.id for ca in data.analysis.cases}
        for ca in data.analysis.cases:
            sub = _case_folder(data, ca.case.id)
            index.append(f"- {inline(data.case_code(ca.case.id))}")
            if analyseschema:
                files.append(_markdown(f"analyseschema-{sub}.md",
                                       partial(markdown.analyseschema, data, ca)))
                index.append(f"  - [Analyseschema](analyseschema-{sub}.md)")
            for s in data.sessions_of(ca.case.id):
                name = _transcript_name(data, s, sub)
                files.append(_markdown(name, partial(markdown.transcript, data, s)))
                label = PERSPECTIVE_LABELS.get(s.perspective, s.perspective).lower()
                index.append(f"  - [Transcript {label}]({name})")
        for s in data.sessions:  # sessions of a perspective outside the analyseschema
            if s.case_id not in analysed:
                name = _transcript_name(data, s, _case_folder(data, s.case_id))
                files.append(_markdown(name, partial(markdown.transcript, data, s)))
                index.append(f"- [Transcript {inline(data.case_code(s.case_id))}]({name})")
    if "csv" in formats:
        files.append(_File("antwoorden.csv", partial(_table_csv, name="antwoorden.csv",
                                                     write=tables.write_csv), True))
        index.append("- [Antwoorden (CSV)](antwoorden.csv)")
        for name, rows in tables.feedback_tables(data).items():
            files.append(_File(f"{name}.csv", partial(_table_csv, name=f"{name}.csv",
                                                      write=partial(_rows_csv, rows)), True))
            index.append(f"- [{name.capitalize()} (CSV)]({name}.csv)")
    if "xlsx" in formats:
        files.append(_File("antwoorden.xlsx", _xlsx, True))
        index.append("- [Antwoorden (Excel)](antwoorden.xlsx)")
    if "json" in formats:
        files.append(_File("export.json", _json, True))
        index.append("- [Alles (JSON)](export.json)")
    if "md" in formats:
        title = heading(1, f"Export {data.pseudo.text(data.evaluation.name)}")
        content = f"{title}\n\n" + "\n".join(index) + "\n"
        files.append(_markdown("index.md", lambda: content))
    return files


def _rows_csv(rows: Any, _data: ExportData, fh: Any) -> None:
    tables.write_rows_csv(rows, fh)


def _table_csv(w: _Writer, *, name: str, write: Callable[[ExportData, Any], Any]) -> int | None:
    with w.open(name, encoding="utf-8-sig", newline="") as fh:
        count = write(w.data, fh)
    return count if isinstance(count, int) else None


def _xlsx(w: _Writer) -> int:
    with w.open("antwoorden.xlsx", binary=True) as fh:
        return tables.write_xlsx(w.data, fh)


def _json(w: _Writer) -> None:
    with w.open("export.json") as fh:
        tables.write_json(w.data, fh)


def write_export(data: ExportData, folder: Path, formats: Sequence[str], *,
                 report: bool = True, analyseschema: bool = True,
                 progress: Progress | None = None) -> ExportResult:
    """Write every requested file of `data` into the (existing, empty) `folder`.

    With two cores and Markdown as well as tables to write, the tables are written
    by a forked copy of this process at the same time (`export/parallel.py`).
    """
    write_manifest(folder, [s.case_id for s in data.sessions])
    files = _files(data, formats, report, analyseschema)
    w = _Writer(folder, data, len(files), progress)
    result = ExportResult(folder)
    split = any(f.table for f in files) and not all(f.table for f in files) and can_fork()
    if split and report and "json" in formats:
        _ = data.findings  # built once, before the fork: the report and export.json both read it
    mine = [f for f in files if not (split and f.table)]
    child: Forked | None = None
    try:
        if split:
            theirs = [f for f in files if f.table]

            def work(tick: Callable[[], None]) -> list[int | None]:
                helper = _Writer(folder, data, len(theirs), lambda *_: tick())
                return [f.write(helper) for f in theirs]

            child = Forked(work)
        counts = []
        for f in mine:
            counts.append(f.write(w))
            if child is not None:
                w.tick_many(child.new_ticks(), "tabellen")
        if child is not None:
            ticks, child_counts = child.finish()
            w.tick_many(ticks, "tabellen")
            counts += child_counts
            w.files += [folder / f.name for f in files if f.table]
    finally:
        if child is not None:
            child.stop()
    result.answers = max((c for c in counts if c is not None), default=0)
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
    folders = unique_names({ev.id: slug(ev.name) for ev, _ in groups})
    results = []
    for ev, group in groups:
        folder = out if len(groups) == 1 else out / folders[ev.id]
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        data = load(store, ev, group, pseudonymize=pseudonymize, extra_terms=tuple(extra_terms))
        results.append(write_export(data, folder, formats, report=report,
                                    analyseschema=analyseschema, progress=progress))
    return results


def run_export(store: Store, selection: Selection, *, root: Path | None = None,
               formats: Sequence[str] = FORMATS, pseudonymize: bool = False,
               extra_terms: Sequence[str] = (), progress: Progress | None = None) -> ExportResult:
    """The `zet export` flow: read, write into a work folder, rename it into place when
    complete; on failure the work folder is removed and nothing appears."""
    if not selection.sessions:
        raise ExportError("geen sessies om te exporteren in deze selectie")
    root = root or DEFAULT_ROOT
    prepare_root(root)
    data = load(store, selection.evaluation, selection.sessions, pseudonymize=pseudonymize,
                extra_terms=tuple(extra_terms))
    work = work_folder(root)
    try:
        result = write_export(data, work, formats, report=selection.scope == "evaluation",
                              analyseschema=selection.scope in ("evaluation", "case"),
                              progress=progress)
        folder = publish(work, root, folder_name(data, selection))
    except (OSError, ChildFailed) as exc:
        shutil.rmtree(work, ignore_errors=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise ExportError(f"{root}: schrijven mislukt ({reason}); de onvolledige export is "
                          "verwijderd") from None
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    result.folder = folder
    result.files = [folder / p.relative_to(work) for p in result.files]
    return result
