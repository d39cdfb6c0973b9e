"""Remembered choices: a private file, and a damaged one never stops anything."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from zet_tui.core.settings import Settings, load_settings, save_settings, settings_path
from zet_tui.core.store import file_mode
from zet_tui.core.wording import count


def test_saved_privately_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "map" / "instellingen.json"
    assert load_settings(path) == (Settings(), "")  # the first run
    assert save_settings(Settings(interviewer="Anna", theme="textual-light"), path) == ""
    assert file_mode(path) == 0o600 and file_mode(path.parent) == 0o700
    assert load_settings(path) == (Settings(interviewer="Anna", theme="textual-light"), "")
    assert [p.name for p in path.parent.iterdir()] == ["instellingen.json"]  # no temp file left


@pytest.mark.parametrize("content", ['{"interviewer": ', "[1, 2]", "\udcff"])
def test_damaged_file_gives_defaults_and_one_message(tmp_path: Path, content: str) -> None:
    path = tmp_path / "instellingen.json"
    path.write_bytes(content.encode("utf-8", "surrogateescape"))
    settings, problem = load_settings(path)
    assert settings == Settings()
    assert problem.startswith(f"{path}") and "standaardwaarden gebruikt" in problem
    assert "\n" not in problem


def test_unknown_or_wrongly_typed_keys_are_ignored(tmp_path: Path) -> None:
    path = tmp_path / "instellingen.json"
    path.write_text('{"interviewer": "Anna", "reviewer": 3, "ander": "x"}')
    assert load_settings(path) == (Settings(interviewer="Anna"), "")


def test_unwritable_folder_is_one_message(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes everywhere")
    folder = tmp_path / "alleen-lezen"
    folder.mkdir(mode=0o500)
    problem = save_settings(Settings(interviewer="Anna"), folder / "instellingen.json")
    assert "instellingen niet opgeslagen" in problem


def test_path_from_the_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ZET_SETTINGS", str(tmp_path / "x.json"))
    assert settings_path() == tmp_path / "x.json"


def test_dutch_counts() -> None:
    assert [count(n, "antwoord", "antwoorden") for n in (0, 1, 2)] == [
        "0 antwoorden", "1 antwoord", "2 antwoorden"]
