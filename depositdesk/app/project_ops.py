"""Opening, creating, saving and autosaving projects; adding data files. Functions over the window.

Questions to the person go through `depositdesk.app.dialogs` (replaceable in
tests). A project that cannot be opened gives one clear sentence
(`ProjectError`), never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from depositdesk.app import dialogs
from depositdesk.magetab.project import Project, ProjectError
from depositdesk.widgets.edit_commands import InsertRows, SetCells
from depositdesk.widgets.sheet_ops import pair_read_files
from depositdesk.widgets.term_bindings import save_bindings

if TYPE_CHECKING:
    from depositdesk.app.main_window import MainWindow


def open_project(window: MainWindow, path: str | Path) -> bool:
    """Open a folder, IDF, SDRF or workbook; offer to restore an autosave journal left by a crash."""
    try:
        project = Project.open(Path(path))
    except (ProjectError, OSError, ValueError) as exc:
        dialogs.tell(window, "Cannot open project", str(exc), error=True)
        return False
    if project.has_journal():
        answer = dialogs.ask(window, "Restore unsaved work?",
                             "DepositDesk was closed without saving this project. Restore the changes "
                             "that were autosaved?", ("yes", "no"))
        if answer == "yes":
            project.recover_journal()
        elif answer == "no":
            project.discard_journal()
    window.set_project(project)
    if project.dirty:
        window.update_title()
    window.settings.add_recent(project.folder)
    window.show_message(f"Opened {project.folder}")
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
    dialog = NewProjectDialog(window, template_name)
    if not dialogs.run_dialog(dialog):
        return False
    folder, title, template = dialog.choice()
    idf, sdrf = template.build(title)
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
    try:
        project.save()
        if window.models:
            save_bindings(project.folder, window.models[0].term_bindings())
    except (ProjectError, OSError) as exc:
        dialogs.tell(window, "Not saved", str(exc), error=True)
        return False
    window.undo_stack.setClean()
    window.update_title()
    window.show_message(f"Saved {project.idf_path.name} and {len(project.sdrfs)} SDRF file(s).")
    return True


def autosave(window: MainWindow) -> bool:
    """Write the journal when there are unsaved edits (every 30 s and when the window loses focus)."""
    project = window.project
    if project is None or not window.is_modified():
        return False
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


def add_files(window: MainWindow, paths: list[Path]) -> int:
    files = expand(paths)
    added = window.files_panel.model.add_files(files)
    window.pages.setCurrentWidget(window.files_panel)
    window.show_message(f"Added {added} file(s); 'Validate files' checks them, "
                        "'Create SDRF rows' describes them in the grid.")
    return added


def add_files_dialog(window: MainWindow) -> None:
    paths = dialogs.open_files(window, "Add data files")
    if paths:
        add_files(window, [Path(p) for p in paths])


def rows_from_files(window: MainWindow) -> int:
    """One SDRF row per file not yet named in the grid; FASTQ mates share their sample's name."""
    grid = window.current_grid()
    if grid is None or window.project is None:
        return 0
    sdrf = grid.model.sdrf
    file_cols = sdrf.find_columns("file")
    if not file_cols:
        dialogs.tell(window, "No file column", "Add a file column (e.g. Array Data File) to the SDRF first.")
        return 0
    named = {v for c in file_cols for v in sdrf.column_values(c)}
    relative = _relative_names(window, [e.path for e in window.files_panel.model.entries])
    files = [path for path, name in relative.items() if name not in named]
    node_cols = [c for c in range(len(sdrf.header)) if sdrf.column(c).kind == "node"]
    rows = []
    for stem, group in pair_read_files(files):
        for path in group:
            row = [""] * len(sdrf.header)
            for c in node_cols:
                row[c] = stem
            row[file_cols[0]] = relative[path]
            rows.append(row)
    if rows:
        at = len(sdrf.rows)
        grid.model.apply(InsertRows(sdrf, at, rows, text=f"Create {len(rows)} rows from files"))
        window.pages.setCurrentWidget(window.sdrf_page)
        grid.select_cell(at, file_cols[0])
    window.show_message(f"Created {len(rows)} row(s) from files.")
    return len(rows)


def _relative_names(window: MainWindow, paths: list[Path]) -> dict[Path, str]:
    """How the SDRF names each file: relative to the project folder when inside it (folder resolved once)."""
    assert window.project is not None
    folder = window.project.folder.resolve()
    out = {}
    for path in paths:
        try:
            out[path] = str(path.resolve().relative_to(folder))
        except ValueError:
            out[path] = str(path)
    return out


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
