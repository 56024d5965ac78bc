"""``depositdesk [PROJECT] [--screenshot OUT.png]``: start the window.

With no project, the first launch opens the bundled example project and later
launches reopen the last project. ``--screenshot`` renders the window with the
project loaded (offscreen, no questions asked) to a PNG and exits — for the
docs and the tests.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

from depositdesk.progress import Progress


def example_project() -> Path | None:
    """The bundled example (made by the magetab part); None if this installation lacks it."""
    try:
        from depositdesk.resources.examples import EXAMPLE_PROJECT  # type: ignore[attr-defined]
    except ImportError:
        return None
    path = Path(EXAMPLE_PROJECT)
    if not path.exists():
        return None
    return _writable_copy(path)


def _writable_copy(example: Path) -> Path:
    """The example is copied once into the user's data folder: saves never write into the installation."""
    import shutil

    import platformdirs

    target = Path(platformdirs.user_data_dir("depositdesk")) / "examples" / example.name
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copytree(example, target, ignore=_example_ignore)
    return target


def _example_ignore(folder: str, names: list[str]) -> set[str]:
    """What not to copy of the example: caches, and of its state folder all but its chosen targets."""
    if Path(folder).name == ".depositdesk":
        return {n for n in names if n != "targets.json"}
    return {n for n in names if n == "__pycache__"}


def choose_start_project(settings: Any, asked: str | None) -> Path | None:
    if asked:
        return Path(asked)
    last = settings.last_project() if settings.first_launch_done() else None
    if last and Path(last).exists():
        return Path(last)
    return example_project()


def make_term_service() -> Any:
    """The offline term index; None (completion off) when the ontology part cannot start."""
    try:
        from depositdesk.ontology.service import TermService

        return TermService()
    except Exception as exc:  # a broken cache must not keep the window from opening
        print(f"depositdesk: term completion is off: {exc}", file=sys.stderr)
        return None


def project_ontologies(window: Any) -> list[str]:
    """The ontologies the open project's columns complete from, in column order."""
    names: dict[str, None] = {}
    for model in getattr(window, "models", []):
        for column in range(len(model.sdrf.header)):
            names.update(dict.fromkeys(model.column_terms(column)))
    return list(names)


def build_missing_indexes(window: Any) -> None:
    """Build the starter term index in the background if parts of it are missing."""
    service = window.term_service
    if service is None or all(v != "missing" for v in service.available().values()):
        return
    from depositdesk.app.workers import launch, make_task

    def tick(p: Progress) -> None:
        window.show_message(f"Building the term index: {p.message} {int((p.fraction or 0) * 100)}%")

    first = project_ontologies(window)  # organism completion must not wait for the whole starter set
    worker = make_task(lambda _emit: service.build(first=first))
    worker.signals.progress.connect(tick)
    worker.signals.finished.connect(lambda _r: (service.forget_sources(), window.show_message("Term index ready.")))
    worker.signals.failed.connect(lambda msg: (service.forget_sources(),
                                               window.show_message(f"Term index only partly built: {msg}")))
    window.index_worker = launch(worker)


NO_DISPLAY = ("depositdesk: no display found (DISPLAY and WAYLAND_DISPLAY are not set); to work headless use "
              "the command line: 'depositdesk check PROJECT', 'depositdesk validate FILES ...' "
              "(see 'depositdesk --help'), or 'depositdesk PROJECT --screenshot OUT.png'")


def has_display(environ: Any = os.environ, platform: str = sys.platform) -> bool:
    """A window can be shown: a display is set, Qt's platform is chosen, or the system always has one."""
    if not platform.startswith(("linux", "freebsd", "openbsd", "netbsd")):
        return True
    return any(environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def run_gui(project: str | None, screenshot: str | None = None) -> int:
    if screenshot and "QT_QPA_PLATFORM" not in os.environ and not has_display():
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    if not screenshot and not has_display():
        print(NO_DISPLAY, file=sys.stderr)
        return 2
    from PySide6.QtWidgets import QApplication

    from depositdesk.app import dialogs, project_ops
    from depositdesk.app.main_window import MainWindow
    from depositdesk.app.settings import AppSettings

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("DepositDesk")
    app.setOrganizationName("DepositDesk")
    settings = AppSettings()
    if screenshot:  # nobody is there to answer: questions get "later", messages go to stderr
        dialogs.ask = lambda *_a, **_k: "later"  # type: ignore[assignment]
        dialogs.tell = _tell_on_stderr  # type: ignore[assignment]
    window = MainWindow(settings, make_term_service())
    start = choose_start_project(settings, project)
    if start is not None and not project_ops.open_project(window, start) and project:
        return 2
    if screenshot:
        return save_screenshot(window, Path(screenshot))
    settings.mark_launched()
    window.restore_window_state()
    window.show()
    build_missing_indexes(window)
    return int(app.exec())


def _tell_on_stderr(_parent: Any, title: str, text: str, error: bool = False) -> None:
    print(f"depositdesk: {title}: {' '.join(text.split())}", file=sys.stderr)


def save_screenshot(window: Any, out: Path) -> int:
    """The window as a person would see it a moment after opening: with the project's findings."""
    from depositdesk.app.screens import render

    if window.checker.timer.isActive():  # the debounced first check: run it now, render() waits for it
        window.checker.timer.stop()
        window.checker.check_project_now()
    ok = render(window, out)
    if not ok:
        print(f"depositdesk: could not write {out}", file=sys.stderr)
        return 2
    return 0
