"""The shortcuts that make exports fast give what the slow way gave (`test_export_golden.py`
checks whole exports; these check each shortcut on any input)."""

from __future__ import annotations

import csv
import gc
import io
import os
from pathlib import Path

import pytest
from exports_support import demo
from hypothesis import given, settings
from hypothesis import strategies as st

from zet_tui.core.store import Store
from zet_tui.export import tables
from zet_tui.export.parallel import Forked, JobQueue
from zet_tui.export.runner import ExportError, run_export, select
from zet_tui.export.xlsx import ROW, Sheet

TEXT = st.text(st.characters(codec="utf-8") | st.sampled_from(';"\r\n =+-@\t\x1b\x00'), max_size=30)
VALUES = st.one_of(st.none(), TEXT, st.integers(-5, 99), st.floats(-1e6, 1e6, allow_nan=False))


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, min_size=2, max_size=6))
def test_a_csv_line_joined_by_hand_is_what_csv_writer_writes(values: list[object]) -> None:
    by_writer = io.StringIO()
    tables._csv_writer(by_writer).writerow([tables.csv_text(v) for v in values])
    assert ";".join(map(tables._csv_field, values)) + "\r\n" == by_writer.getvalue()


@settings(max_examples=200, deadline=None)
@given(st.lists(VALUES, min_size=1, max_size=5), st.lists(VALUES, max_size=5))
def test_xlsx_runs_of_cells_make_the_same_row_as_one_append(first: list[object], rest: list[object]) -> None:
    whole, parts = Sheet("a", wrap=frozenset({1})), Sheet("b", wrap=frozenset({1}))
    for _ in range(11):  # a row number with two digits
        whole.append(first + rest)
        parts.append_runs([parts.run(first), parts.run(rest, len(first))])
    assert whole.rows == parts.rows
    assert all(ROW not in row for row in whole.rows)
    assert whole.rows[-1].startswith('<row r="11">')


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_two_processes_take_every_job_of_the_queue_once() -> None:
    queue = JobQueue(JobQueue.MAX_JOBS)

    def take_all(_tick: object) -> list[int]:
        taken = []
        while (job := queue.take()) is not None:
            taken.append(job)
        return taken

    child = Forked(take_all)
    mine = take_all(None)
    _, theirs = child.finish()
    queue.close()
    assert sorted(mine + theirs) == list(range(JobQueue.MAX_JOBS))
    with pytest.raises(ValueError):
        JobQueue(JobQueue.MAX_JOBS + 1)


def test_the_cycle_collector_is_on_again_after_an_export(store: Store, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    demo(store)
    seen: list[bool] = []
    real = tables.write_csv

    def write_csv(*args: object) -> int:
        seen.append(gc.isenabled())
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(tables, "write_csv", write_csv)
    monkeypatch.setenv("ZET_EXPORT_SEQUENTIAL", "1")  # the csv is written in this process
    run_export(store, select(store), root=tmp_path / "een")
    assert seen == [False] and gc.isenabled()

    def boom(*_: object) -> None:
        raise OSError(28, os.strerror(28))

    monkeypatch.setattr(tables, "write_json", boom)
    with pytest.raises(ExportError):
        run_export(store, select(store), root=tmp_path / "twee")
    assert gc.isenabled()
    gc.disable()
    try:  # and off again when it was off
        run_export(store, select(store), root=tmp_path / "drie", formats=["csv"])
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_csv_writer_dialect_is_the_one_the_shortcut_knows() -> None:
    dialect = tables._csv_writer(io.StringIO()).dialect
    assert (dialect.delimiter, dialect.quotechar, dialect.lineterminator, dialect.quoting,
            dialect.doublequote, dialect.escapechar) == (";", '"', "\r\n", csv.QUOTE_MINIMAL, True, None)
