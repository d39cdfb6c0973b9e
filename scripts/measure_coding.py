"""Figures of the coding screen on the demo evaluation (not a bench target: no baseline ratio).

    .venv/bin/python scripts/measure_coding.py

Prints the time to build the workbench model, to open the screen headless, and the
median time of one coding step (`o` next uncoded, `.` repeat the code) including the
redraw, wall clock and CPU, on a throwaway database in a temporary folder.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from textual import events

from zet_tui.app.analyse_app import AnalyseApp
from zet_tui.core.codebook import codebook_path, load_codebook_or_raise
from zet_tui.core.coding import Codebook
from zet_tui.core.demo import build_demo, demo_questionnaires
from zet_tui.core.store import Store
from zet_tui.core.workbench import load_workbench

STEPS = 40


async def screen_figures(db: Path, evaluation_id: str, book: Codebook) -> None:
    app = AnalyseApp(db, evaluation_id, book, analyst="meting", ascii=True)
    start = time.perf_counter()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        print(f"scherm open tot eerste rustig beeld (headless): "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")
        await pilot.press("o", "c", *"overig", "enter", "enter")
        assert app._driver is not None
        steps: list[tuple[float, float]] = []
        for _ in range(STEPS):
            wall, cpu = time.perf_counter(), time.process_time()
            for key, char in (("o", "o"), ("full_stop", ".")):
                app._driver.send_message(events.Key(key, char))
            await pilot.pause()
            steps.append((time.perf_counter() - wall, time.process_time() - cpu))
        print(f"o + . (volgende ongecodeerd, code herhalen) met hertekenen: mediaan "
              f"{statistics.median(s for s, _ in steps) * 1000:.0f} ms wandklok, "
              f"{statistics.median(c for _, c in steps) * 1000:.0f} ms cpu ({STEPS} stappen)")


def main() -> None:
    book = load_codebook_or_raise(codebook_path())
    with tempfile.TemporaryDirectory(prefix="zet-meting-") as tmp:
        db = Path(tmp) / "demo.db"
        with Store.open(db) as store:
            result = build_demo(store, demo_questionnaires())
            times = []
            for _ in range(5):
                start = time.perf_counter()
                load_workbench(store, result.evaluation.id, book)
                times.append(time.perf_counter() - start)
        print(f"werkbankmodel van de demo ({result.answers} antwoorden): mediaan "
              f"{statistics.median(times) * 1000:.0f} ms")
        asyncio.run(screen_figures(db, result.evaluation.id, book))


if __name__ == "__main__":
    main()
