"""Opening, creating, saving and autosaving projects; adding data files. Functions over the window.

Questions to the person go through `depositdesk.app.dialogs` (replaceable in
tests). A project that cannot be opened gives one clear sentence
(`ProjectError`), never a traceback.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEventLoop, Qt
from PySide6.QtWidgets import QApplication

from depositdesk.app import dialogs, saving
from depositdesk.app.workers import launch, make_task, simple_task
from depositdesk.magetab import codes
from depositdesk.magetab.commit import saved_generation
from depositdesk.magetab.opening import idf_files, is_import
from depositdesk.magetab.project import Project, ProjectError
from depositdesk.widgets.edit_commands import SetCells
from depositdesk.widgets.term_bindings import save_bindings

if TYPE_CHECKING:
    from depositdesk.app.main_window import MainWindow


BACKGROUND_BYTES = 2_000_000
"""Projects whose tables are bigger than this are read in a worker (50,000 rows took 0.3 s)."""


def table_bytes(path: Path) -> int:
    """The size of what opening ``path`` reads: the file, or a folder's tables (not its data files)."""
    try:
        if path.is_file():
            return path.stat().st_size
        if path.is_dir():   # (names, not Paths: the folder may hold 50,000 data files as well)
            with os.scandir(path) as entries:
                return sum(e.stat().st_size for e in entries
                           if e.name.lower().endswith((".txt", ".tsv", ".xlsx", ".xlsm")) and e.is_file())
    except OSError:
        pass
    return 0


def read_project(window: MainWindow, path: Path) -> tuple[Project, list[Path] | None]:
    """`Project.open`, in a worker for a big project, the window answering meanwhile (a local loop).

    The worker also lists the SDRFs' data files that are on disk (returned; None when the
    project was read here, and the window lists them in a worker of its own): done later, that
    listing held the interpreter while the window painted the new project for the first time.
    """
    if table_bytes(path) <= BACKGROUND_BYTES:
        return Project.open(path), None
    outcome: list[Any] = []

    def work() -> None:
        try:
            project = Project.open(path)
        except (ProjectError, OSError, ValueError) as exc:
            outcome.append(exc)
        else:
            outcome.append((project, project.data_files_on_disk()))

    worker = make_task(simple_task(work, f"opening {path.name}"))
    loop = QEventLoop()
    worker.signals.done.connect(loop.quit)
    window.show_message(f"Opening {path} …")
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    try:
        launch(worker)
        loop.exec()
    finally:
        QApplication.restoreOverrideCursor()
    if not outcome:
        raise ProjectError(f"{path} could not be read (the reading stopped; see the log)")
    if isinstance(outcome[0], Exception):
        raise outcome[0]
    opened: tuple[Project, list[Path]] = outcome[0]
    return opened


def open_project(window: MainWindow, path: str | Path) -> bool:
    """Open a folder, IDF, SDRF or workbook; offer to restore an autosave journal left by a crash."""
    if getattr(window, "_opening", None) is not None:   # a big project is being read: the window answers
        window.show_message(f"{window._opening} is being opened; wait for it.")  # type: ignore[attr-defined]
        return False
    window._opening = Path(path).name  # type: ignore[attr-defined]
    try:
        project, data_files = read_project(window, Path(path))
    except (ProjectError, OSError, ValueError) as exc:
        dialogs.tell(window, "Cannot open project", str(exc), error=True)
        return False
    finally:
        window._opening = None  # type: ignore[attr-defined]
    if project.has_journal():
        answer = dialogs.ask(window, "Restore unsaved work?",
                             "DepositDesk was closed without saving this project. Restore the changes "
                             "that were autosaved?", ("yes", "no"))
        if answer == "yes":
            project.recover_journal()
            project.read_findings = [f for f in project.read_findings if f.code != codes.PROJECT_JOURNAL]
        elif answer == "no":
            project.discard_journal()
    imported = is_import(project.idf_path, project.idf_made_up)
    if imported:
        project.dirty = False   # nothing was edited yet; the first save asks for a folder of its own
    window.set_project(project, data_files)
    if project.dirty:
        window.update_title()
    if imported:
        window.show_message(f"Imported {Path(path).name}; saving asks for a new folder for the project.")
        return True
    window.settings.add_recent(project.folder)
    window.show_message(f"Opened {project.folder}")
    return True


def move_import(window: MainWindow, project: Project) -> bool:
    """Save As for an imported file: the project moves to a new folder (never beside the import)."""
    chosen = dialogs.save_folder(window, "Save the imported project in a new folder", str(project.folder.parent))
    if not chosen:
        return False
    folder = Path(chosen)
    if folder.resolve() == project.folder.resolve() or idf_files(folder):
        held = "the file this project was imported from" if folder.resolve() == project.folder.resolve() \
            else "another project's IDF"
        dialogs.tell(window, "Choose another folder",
                     f"{folder} holds {held}; DepositDesk does not write beside it. Choose or make an empty "
                     "folder for the project.", error=True)
        return False
    project.folder = folder
    project.idf_path = folder / project.idf_path.name
    project.idf.path = project.idf_path
    for i, sdrf in enumerate(project.sdrfs):
        sdrf.path = folder / (sdrf.path.name if sdrf.path is not None else f"experiment-{i + 1}.sdrf.txt")
    project.idf.set("SDRF File", [s.path.name for s in project.sdrfs if s.path is not None])
    project.generation = saved_generation(folder)
    window.settings.add_recent(folder)
    return True


def open_dialog(window: MainWindow) -> None:
    if not maybe_save(window):
        return
    path = dialogs.open_path(window, "Open or import an IDF, SDRF or workbook")
    if path:
        open_project(window, path)


def open_folder_dialog(window: MainWindow) -> None:
    if not maybe_save(window):
        return
    path = dialogs.open_folder(window, "Open a project folder")
    if path:
        open_project(window, path)


def new_project(window: MainWindow, template_name: str | None = None) -> bool:
    from depositdesk.app.new_project import NewProjectDialog

    if not maybe_save(window):
        return False
    dialog = NewProjectDialog(window, template_name, window.term_service)
    if not dialogs.run_dialog(dialog):
        return False
    folder, title, template = dialog.choice()
    if folder.is_dir() and idf_files(folder):
        dialogs.tell(window, "Cannot create project", f"{folder} holds a project already; choose another "
                     "folder.", error=True)
        return False
    idf, sdrf = template.build(title, design=dialog.design())
    try:
        project = Project.create(folder, idf, [sdrf])
    except (ProjectError, OSError) as exc:
        dialogs.tell(window, "Cannot create project", str(exc), error=True)
        return False
    if template.column_ontologies:
        save_bindings(project.folder, template.column_ontologies)
    window.set_project(project)
    window.settings.add_recent(project.folder)
    window.show_message(f"New {template.title} project in {project.folder}")
    return True


def save(window: MainWindow) -> bool:
    project = window.project
    if project is None:
        return False
    window.commit_open_editor()  # Ctrl+S while a cell is being typed saves what was typed
    if is_import(project.idf_path, project.idf_made_up) and not move_import(window, project):
        return False
    edited_meanwhile = False
    try:
        if saving.in_background(project):   # 50,000 rows: written from a snapshot in a worker
            job = saving.save_in_background(window)
            if job is None:
                return False
            edited_meanwhile = not job.unchanged()
        else:
            project.save()
        if window.models:
            save_bindings(project.folder, window.models[0].term_bindings())
    except (ProjectError, OSError) as exc:
        dialogs.tell(window, "Not saved", str(exc), error=True)
        return False
    if not edited_meanwhile:
        window.undo_stack.setClean()
    window.update_title()
    later = "; edits made while saving are not saved yet" if edited_meanwhile else ""
    window.show_message(f"Saved {project.idf_path.name} and {len(project.sdrfs)} SDRF file(s){later}.")
    return True


def autosave(window: MainWindow) -> bool:
    """Write the journal when there are unsaved edits (every 30 s and when the window loses focus)."""
    project = window.project
    if project is None or not window.is_modified() or is_import(project.idf_path, project.idf_made_up):
        return False   # an import has no folder of its own yet: nothing is written beside its file
    if saving.in_background(project):
        return saving.autosave_in_background(window)
    try:
        project.write_journal()
    except (ProjectError, OSError) as exc:
        window.show_message(f"Autosave failed: {exc}")
        return False
    return True


def maybe_save(window: MainWindow) -> bool:
    """Before closing or replacing the project: ask about unsaved changes. False = stay."""
    window.commit_open_editor()
    if not window.is_modified():
        return True
    answer = dialogs.ask(window, "Unsaved changes",
                         "This project has changes that are not saved. Save them?",
                         ("save", "discard", "cancel"))
    if answer == "save":
        return save(window)
    if answer == "discard" and window.project is not None:
        window.project.discard_journal()
        window.undo_stack.setClean()
        window.project.dirty = False
        return True
    return answer == "discard"


# -- data files -------------------------------------------------------------------------------


def expand(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(f for f in p.rglob("*") if f.is_file() and not f.name.startswith(".")))
        elif p.is_file():
            out.append(p)
    return out


def add_files(window: MainWindow, paths: list[Path], *, listed: bool = False) -> int:
    """Add files to the files page and show their cached results; ``listed``: the SDRF's own, on open."""
    files = list(paths) if listed else expand(paths)
    added = window.files_panel.model.add_files(files)
    window.findings_panel.set_group("files", window.files_panel.findings())
    _show_cached(window, files)
    if listed:
        return added
    window.pages.setCurrentWidget(window.files_panel)
    window.show_message(f"Added {added} file(s); 'Validate files' checks them, "
                        "'Create SDRF rows' describes them in the grid.")
    return added


def _show_cached(window: MainWindow, files: list[Path]) -> None:
    """Results the validators' cache holds for these files (unchanged since), read in a worker."""
    from depositdesk.app.workers import launch, make_task, simple_task
    from depositdesk.widgets.files_view import cached_reports

    project, panel, profile = window.project, window.files_panel, window.settings.profile
    if not files or project is None:
        return
    worker = make_task(simple_task(lambda: cached_reports(files, profile), "reading cached results"))

    def show(reports: list) -> None:  # type: ignore[type-arg]
        if window.project is project and panel.take_cached(reports):
            window.findings_panel.set_group("files", panel.findings())

    worker.signals.finished.connect(show)
    launch(worker)


def add_files_dialog(window: MainWindow) -> None:
    paths = dialogs.open_files(window, "Add data files")
    if paths:
        add_files(window, [Path(p) for p in paths])


def rows_from_files(window: MainWindow) -> int:
    """Files to the rows of their samples (by name, R1/R2 mates together), previewed, as one undo step.

    Files outside the project folder are linked or copied into its data/ folder first (the
    person's choice in the preview); the SDRF names every file relative to the folder.
    Returns how many files were written into the grid (copies: once they are done).
    """
    from depositdesk import progress
    from depositdesk.widgets.file_bring_in import bring_in_all
    from depositdesk.widgets.file_rows_plan import make_plan
    from depositdesk.widgets.files_to_rows import FilesToRowsDialog

    grid, project = window.current_grid(), window.project
    if grid is None or project is None:
        return 0
    plan = make_plan(grid.model.sdrf, project.folder, [e.path for e in window.files_panel.model.entries])
    if plan is None:
        dialogs.tell(window, "No file column", "Add a file column (e.g. Array Data File) to the SDRF first.")
        return 0
    if not plan.choices:
        window.show_message("Every listed file is named in the grid already." if plan.already else
                            "No files listed: add files (or drop them on the window) first.")
        return 0
    if not dialogs.run_dialog(FilesToRowsDialog(plan, window)):
        return 0
    moves = [(c.path, c.bring) for c in plan.choices if c.outside and not c.left_out]
    if not any(how == "copy" for _, how in moves):
        return _file_rows_done(window, grid, plan, progress.run(bring_in_all(moves, project.folder)))
    from depositdesk.app.workers import launch, make_task

    worker = make_task(lambda _emit: bring_in_all(moves, project.folder))
    worker.signals.progress.connect(lambda tick: window.show_message(f"{tick.message} …"))
    worker.signals.finished.connect(
        lambda brought: window.project is project and _file_rows_done(window, grid, plan, brought))
    worker.signals.failed.connect(lambda msg: window.show_message(f"Copying failed: {msg}"))
    window.file_copy_worker = launch(worker)  # type: ignore[attr-defined]
    window.show_message(f"Copying {sum(how == 'copy' for _, how in moves)} file(s) into the project …")
    return 0


def _file_rows_done(window: MainWindow, grid: Any, plan: Any, brought: list) -> int:  # type: ignore[type-arg]
    from depositdesk.widgets.files_to_rows import apply_plan

    written, problems, summary = apply_plan(plan, grid, window.files_panel.model, brought)
    window.findings_panel.set_group("files", [*window.files_panel.findings(), *problems])
    if written:
        window.pages.setCurrentWidget(window.sdrf_page)
    note = f"; {len(problems)} file(s) could not be brought in: {problems[0].message}" if problems else ""
    window.show_message(f"Wrote {written} file(s) into the grid ({summary}){note}.")
    return written


def _relative_names(window: MainWindow, paths: list[Path]) -> dict[Path, str]:
    """How the SDRF names each file: relative to the project folder with '/' (else its absolute path)."""
    from depositdesk.widgets.file_rows_plan import relative_name

    assert window.project is not None
    folder = window.project.folder
    return {path: relative_name(path, folder) or path.as_posix() for path in paths}


def validate_files(window: MainWindow) -> None:
    paths = [e.path for e in window.files_panel.model.entries if e.path.is_file()]
    if not paths:
        window.show_message("No files to validate: add files or name them in the SDRF.")
        return
    worker = window.checker.validate(paths, window.settings.profile, window.settings.jobs,
                                     window.files_panel.on_report, window.files_panel.on_progress)
    if worker is not None:
        window.files_panel.set_running(True)
        window.show_message(f"Validating {len(paths)} file(s) in the background …")


def fill_md5(window: MainWindow) -> int:
    """Copy validated md5 sums into a Comment[MD5] column when the grid has one."""
    grid = window.current_grid()
    if grid is None:
        return 0
    sdrf = grid.model.sdrf
    md5_cols = sdrf.find_columns("comment", "MD5")
    file_cols = sdrf.find_columns("file")
    if not md5_cols or not file_cols:
        return 0
    with_md5 = [e for e in window.files_panel.model.entries if e.md5]
    names = _relative_names(window, [e.path for e in with_md5])
    sums = {names[e.path]: e.md5 for e in with_md5}
    changes = [(r, md5_cols[0], sums[row[file_cols[0]]]) for r, row in enumerate(sdrf.rows)
               if row[file_cols[0]] in sums and row[md5_cols[0]] != sums[row[file_cols[0]]]]
    if changes:
        grid.model.apply(SetCells(sdrf, changes, text="Fill MD5 sums"))
    return len(changes)
