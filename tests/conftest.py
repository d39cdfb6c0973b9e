from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from findings_support import RegioFixture

from zet_tui.core.questionnaire import Questionnaire
from zet_tui.core.questionnaire_loader import load_or_raise
from zet_tui.core.store import Store

FIXTURES = Path(__file__).parent / "fixtures"
pytest_plugins = ["region_support"]  # the demo region, built once per run


@pytest.fixture(scope="session", autouse=True)
def _own_tmux_server() -> Iterator[None]:
    """Each test process (an xdist worker) talks to a tmux server of its own: two workers
    starting the shared default server at the same moment made `new-session` fail."""
    import os
    import shutil
    import subprocess
    import tempfile

    folder = tempfile.mkdtemp(prefix="zet-tmux-")  # short: a socket path has ~100 bytes
    old = os.environ.get("TMUX_TMPDIR")
    os.environ["TMUX_TMPDIR"] = folder
    yield
    if shutil.which("tmux"):
        subprocess.run(["tmux", "kill-server"], capture_output=True, check=False)
    if old is None:
        os.environ.pop("TMUX_TMPDIR", None)
    else:
        os.environ["TMUX_TMPDIR"] = old
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Never touch the developer's real database or data directory."""
    monkeypatch.setenv("ZET_DB", str(tmp_path / "default.db"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("ZET_SETTINGS", str(tmp_path / "instellingen.json"))
    monkeypatch.delenv("ZET_QUESTIONNAIRES", raising=False)


@pytest.fixture
def mini() -> Questionnaire:
    return load_or_raise(FIXTURES / "mini.md")


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "zet.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    s = Store.open(db_path)
    yield s
    s.close()


@pytest.fixture(scope="session")
def regio(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RegioFixture]:
    """The regional demo (core/demo_regio.py), built once: its findings are read, never changed."""
    from zet_tui.core.demo_regio import build_regio_demo
    from zet_tui.core.evidence import Evidence
    from zet_tui.core.feedback import load_findings
    from zet_tui.core.findings import build_findings

    store = Store.open(tmp_path_factory.mktemp("regio") / "regio.db")
    demo = build_regio_demo(store)
    findings = load_findings(store, demo.evaluation.id)  # the analyst's work as stored
    sessions = store.sessions(evaluation_id=demo.evaluation.id)
    answers = store.answers_for_sessions([s.id for s in sessions])
    scores_only = build_findings(findings.analysis, Evidence(), sessions, answers)
    yield RegioFixture(store, demo, findings, scores_only)
    store.close()
