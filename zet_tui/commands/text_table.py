"""Plain-text tables for the CLI, laid out by rich instead of by hand.

Cells are literal text (a theme title like "[Noord]" is printed as typed, never
read as markup), the output has no colour codes, and its width does not depend
on the terminal: a script or a pipe sees the same table as a person.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence


def table_lines(headers: Sequence[str], rows: Iterable[Sequence[str]], *,
                max_widths: Sequence[int | None] = (), numbers: Iterable[int] = ()) -> list[str]:
    """A header line, a rule and one line per row; a cell wider than its column's
    `max_widths` entry ends in an ellipsis; the columns in `numbers` align right."""
    from rich import box
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="",
                  collapse_padding=True)
    right = set(numbers)
    for i, header in enumerate(headers):
        limit = max_widths[i] if i < len(max_widths) else None
        table.add_column(Text(header), no_wrap=True, overflow="ellipsis", max_width=limit,
                         justify="right" if i in right else "left")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    out = io.StringIO()
    Console(file=out, width=10_000, color_system=None, highlight=False, emoji=False,
            markup=False).print(table)
    return [line.rstrip() for line in out.getvalue().splitlines()]
