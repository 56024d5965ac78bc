"""The kill campaign of issue 14: SIGKILL at random moments while a 20,000-row project is saved and
autosaved over and over; every reopen must give the IDF and SDRF of one save, and never offer a
recovery journal older than the saved files.

KILLS (environment DD_KILLS, default 40) and a time budget keep it bounded in CI; DD_KILLS=200
runs the issue's full campaign.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest

from depositdesk.magetab.project import Project
from tests.robustness import recipes

KILLS = int(os.environ.get("DD_KILLS", "40"))
BUDGET_SECONDS = float(os.environ.get("DD_KILL_SECONDS", "55"))
COUNTER = "Comment[save counter]"


def _counters(project: Project) -> tuple[int, int]:
    idf = int(project.idf.first(COUNTER) or "0")
    sdrf = int(project.sdrfs[0].rows[0][0].removeprefix("counter-") or "0")
    return idf, sdrf


def _save_forever(folder: str, ready, saving) -> None:  # runs in the forked child until it is killed
    project = Project.open(Path(folder))
    k = _counters(project)[0]
    ready.set()
    while True:
        k += 1
        project.idf.set(COUNTER, [str(k)])
        project.sdrfs[0].rows[0][0] = f"counter-{k}"
        project.write_journal()          # the autosave timer
        saving.set()                     # every other kill aims at the save that follows
        project.save()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="the campaign forks a saving process")
def test_sigkill_during_save_never_splits_the_project(shared: Path, tmp_path: Path) -> None:
    folder = recipes.project_of_rows(shared, tmp_path / "project", rows=20_000)
    project = Project.open(folder)
    project.idf.set(COUNTER, ["0"])
    project.sdrfs[0].rows[0][0] = "counter-0"
    project.save()
    fork = multiprocessing.get_context("fork")
    rng = random.Random(14)
    started, kills, journals, progress = time.monotonic(), 0, 0, 0
    while kills < KILLS and time.monotonic() - started < BUDGET_SECONDS:
        ready, saving = fork.Event(), fork.Event()
        child = fork.Process(target=_save_forever, args=(str(folder), ready, saving), daemon=True)
        child.start()
        assert ready.wait(30), "the saving process did not start"
        if kills % 2:                    # anywhere in save + autosave
            time.sleep(rng.uniform(0.0, 0.6))
        else:                            # inside a save: between its writes, renames and journal discard
            saving.wait(30)
            time.sleep(rng.uniform(0.0, 0.12))
        os.kill(child.pid, signal.SIGKILL)
        child.join()
        kills += 1
        reopened = Project.open(folder)
        idf, sdrf = _counters(reopened)
        assert idf == sdrf, f"kill {kills}: the IDF is of save {idf}, the SDRF of save {sdrf}"
        assert len(reopened.sdrfs[0].rows) == 20_000
        progress = max(progress, idf)
        if reopened.has_journal():
            journals += 1
            reopened.recover_journal()
            assert _counters(reopened)[0] > idf, f"kill {kills}: a journal older than the files was offered"
    assert kills >= min(KILLS, 10)
    assert progress > 0, "no save completed between the kills"
