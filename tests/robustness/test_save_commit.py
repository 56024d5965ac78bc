"""The project save of issue 14, crash by crash: a save stopped before its commit record leaves the
old IDF and SDRF; one stopped after it is finished on the next open; a journal older than the saved
files is not offered."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from depositdesk.magetab import commit as saving
from depositdesk.magetab.project import Project
from tests.robustness import recipes

TITLE = "Investigation Title"


class Killed(BaseException):
    """Stands for SIGKILL: nothing after it runs."""


def _edited(folder: Path, title: str) -> Project:
    project = Project.open(folder)
    project.idf.set(TITLE, [title])
    project.sdrfs[0].rows[0][0] = title
    return project


def _reopened(folder: Path) -> tuple[str, str, Project]:
    project = Project.open(folder)
    return project.idf.first(TITLE), project.sdrfs[0].rows[0][0], project


def test_kill_between_the_renames_is_finished_on_open(shared: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    folder = recipes.project_of_rows(shared, tmp_path / "p", rows=50)
    _edited(folder, "first").save()
    project = _edited(folder, "second")
    real_replace = os.replace
    calls = []

    def replace_once(src, dst):  # type: ignore[no-untyped-def]
        calls.append(dst)
        if len(calls) == 3:          # the commit record and the SDRF are renamed; the IDF is not
            raise Killed
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace_once)
    with pytest.raises(Killed):
        project.save()
    monkeypatch.setattr(os, "replace", real_replace)
    idf, sdrf, _ = _reopened(folder)
    assert (idf, sdrf) == ("second", "second")
    assert not list(folder.glob(".*.part"))


def test_kill_before_the_commit_keeps_the_old_pair(shared: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    folder = recipes.project_of_rows(shared, tmp_path / "p", rows=50)
    _edited(folder, "first").save()
    project = _edited(folder, "second")

    def killed(*_args: object) -> None:
        raise Killed

    monkeypatch.setattr(saving, "atomic_write", killed)   # dies writing the commit record
    with pytest.raises(Killed):
        project.save()
    monkeypatch.undo()
    idf, sdrf, _ = _reopened(folder)
    assert (idf, sdrf) == ("first", "first")
    assert not list(folder.glob(".*.part"))


def test_journal_older_than_the_saved_files_is_not_offered(shared: Path, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    folder = recipes.project_of_rows(shared, tmp_path / "p", rows=50)
    _edited(folder, "first").save()
    project = _edited(folder, "second")
    project.write_journal()                       # autosave of "second" over save "first"
    assert Project.open(folder).has_journal()     # it extends the files: offered

    def killed(*_args: object) -> None:
        raise Killed

    monkeypatch.setattr(Project, "discard_journal", killed)   # dies after the save, before the discard
    with pytest.raises(Killed):
        project.save()
    monkeypatch.undo()
    idf, sdrf, reopened = _reopened(folder)
    assert (idf, sdrf) == ("second", "second")
    assert not reopened.has_journal()
