"""File > Export citation files…: the files land in the chosen Git repository, an existing one is
replaced only when the person says yes, and the end message says what Zenodo reads."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
import yaml

from depositdesk.app import citation_action, dialogs


def _repo(tmp_path: Path) -> Path:
    repo = tmp_path / "code"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    return repo


def _name_a_person(window) -> None:  # type: ignore[no-untyped-def]
    window.project.idf.set_records("person", [{"Person Last Name": "Example", "Person First Name": "Ada",
                                               "Person Affiliation": "Fly Lab"}])


def test_the_file_menu_exports_the_citation_files(window, tmp_path: Path, no_dialogs,  # type: ignore[no-untyped-def]
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    action = window.actions_by_name["export_citation"]
    file_menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and action in a.menu().actions())
    names = [a.text() for a in file_menu.actions()]
    assert names.index("Export &citation files…") == names.index("&REMBI metadata…") + 1
    repo = _repo(tmp_path)
    monkeypatch.setattr(dialogs, "open_folder", lambda *a, **k: str(repo))
    action.trigger()                         # the template's IDF names no person yet: refused
    assert "authors: [] should be non-empty" in no_dialogs[-1][1]
    assert not (repo / "CITATION.cff").exists()
    _name_a_person(window)                   # as typed in the Investigation view (not saved)
    action.trigger()
    cff = yaml.safe_load((repo / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["title"] == window.project.idf.first("Investigation Title").strip()
    assert cff["authors"] == [{"family-names": "Example", "given-names": "Ada", "affiliation": "Fly Lab"}]
    assert (repo / ".zenodo.json").is_file()
    title, text = no_dialogs[-1]
    assert title == citation_action.TITLE and "CITATION.cff is ignored entirely" in text


def test_an_existing_file_is_replaced_only_after_yes(window, tmp_path: Path, no_dialogs,  # type: ignore[no-untyped-def]
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    repo = _repo(tmp_path)
    (repo / "CITATION.cff").write_text("# mine\n", encoding="utf-8")
    _name_a_person(window)
    assert not citation_action.export_citation(window, str(repo))      # the fixture answers 'no'
    assert "already exists" in no_dialogs[-1][1]
    assert (repo / "CITATION.cff").read_text(encoding="utf-8") == "# mine\n"
    monkeypatch.setattr(dialogs, "ask", lambda *a, **k: "yes")
    assert citation_action.export_citation(window, str(repo))
    assert "# mine" not in (repo / "CITATION.cff").read_text(encoding="utf-8")


def test_a_folder_without_git_is_refused_with_a_message(window, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                        no_dialogs) -> None:
    assert not citation_action.export_citation(window, str(tmp_path))
    assert "is not a Git repository" in no_dialogs[-1][1]
