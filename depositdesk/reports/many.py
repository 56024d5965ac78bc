"""Many projects at once: `depositdesk check PROJECTS_DIR --all` and `depositdesk status PROJECTS_DIR --all`.

One line per project found under the folder: title, targets, status, errors/warnings and the bytes of
its data files. A project that cannot be read is a line too (status "unreadable", the reason), never
a traceback and never left out.
"""

from __future__ import annotations

import csv
import io
import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from depositdesk.findings import Finding, Severity, counted, severity_counts
from depositdesk.progress import human_bytes
from depositdesk.reports.counting import find_projects

COLUMNS = ("project", "title", "targets", "status", "errors", "warnings", "files", "bytes")


@dataclass
class ProjectLine:
    project: str          # the folder, as found under the folder given
    title: str
    targets: str          # "geo,zenodo" or "" (none chosen)
    status: str           # "draft", the furthest upload state, "changed since packaged", "unreadable"
    errors: int | None    # None: not checked (status --all) or unreadable
    warnings: int | None
    files: int            # distinct local data files named in the SDRFs
    bytes: int            # of those that exist
    problem: str = ""     # why the project could not be read


def _state(folder: Path) -> str:
    from depositdesk.packaging.status import changed_since_packaged, read_status

    try:
        records = read_status(folder)["targets"]
    except (OSError, ValueError, KeyError):
        return "draft"
    if not records:
        return "draft"
    states = []
    for name, record in records.items():
        state = "changed since packaged" if changed_since_packaged(record) else record.get("state", "draft")
        states.append(f"{name}: {state}")
    return "; ".join(states)


def _size(paths: Sequence[Path]) -> int:
    total = 0
    for path in paths:
        try:
            total += path.stat().st_size
        except OSError:
            continue
    return total


def summarise(folder: Path, check: bool, targets: Sequence[str] = ()) -> ProjectLine:
    """The line of one project; ``check`` runs the structural checks (and ``targets``, or the project's own)."""
    from depositdesk.magetab.errors import ProjectError
    from depositdesk.magetab.project import Project
    from depositdesk.magetab.rules import check_project
    from depositdesk.packaging.targets import check_targets
    from depositdesk.packaging.targets.base import folder_targets

    shown = str(folder)
    base = folder if folder.is_dir() else folder.parent
    try:
        project = Project.open(folder)
    except (ProjectError, OSError, ValueError) as exc:
        return ProjectLine(shown, "", "", "unreadable", None, None, 0, 0, problem=str(exc))
    chosen = list(targets) or folder_targets(project.folder)
    data = project.data_files()
    line = ProjectLine(shown, project.idf.first("Investigation Title"), ",".join(chosen),
                       _state(base), None, None, len(data), _size(data))
    if check:
        findings: list[Finding] = check_project(project)
        if chosen:
            findings += check_targets(project, chosen)
        counts = severity_counts(findings)
        line.errors, line.warnings = counts[Severity.ERROR], counts[Severity.WARNING]
    return line


def summarise_all(folder: Path, check: bool, targets: Sequence[str] = (),
                  progress: Callable[[int, int, str], None] | None = None) -> list[ProjectLine]:
    projects = find_projects([folder])
    lines = []
    for n, path in enumerate(projects, 1):
        if progress is not None:
            progress(n, len(projects), str(path))
        lines.append(summarise(path, check, targets))
    return lines


def render(lines: Sequence[ProjectLine], fmt: str, root: Path) -> str:
    if fmt == "json":
        return json.dumps([asdict(line) for line in lines], indent=1, ensure_ascii=False)
    if fmt == "tsv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter="\t", lineterminator="\n")
        writer.writerow(COLUMNS)
        for line in lines:
            writer.writerow(["" if getattr(line, c) is None else getattr(line, c) for c in COLUMNS])
        return out.getvalue().rstrip("\n")
    text = []
    for line in lines:
        where = _relative(line.project, root)
        if line.problem:
            text.append(f"{where}: unreadable - {line.problem}")
            continue
        checked = ("" if line.errors is None or line.warnings is None
                   else f", {counted(line.errors, 'error')}, {counted(line.warnings, 'warning')}")
        title = line.title or "(no title)"
        targets = line.targets or "no target"
        text.append(f"{where}: {title} [{targets}] {line.status}{checked}, "
                    f"{counted(line.files, 'file')}, {human_bytes(line.bytes)}")
    errors = sum(line.errors or 0 for line in lines)
    unreadable = sum(bool(line.problem) for line in lines)
    text.append(counted(len(lines), "project") + (f", {counted(errors, 'error')}" if any(
        line.errors is not None for line in lines) else "") + (f", {unreadable} unreadable" if unreadable else ""))
    return "\n".join(text)


def _relative(path: str, root: Path) -> str:
    try:
        return str(Path(path).relative_to(root)) or "."
    except ValueError:
        return path


def run_all(folder: Path, fmt: str, check: bool, targets: Sequence[str] = ()) -> int:
    """Print the summary; exit 0 (1 when a checked project has errors or one is unreadable, 2 no projects)."""
    if not folder.is_dir():
        return _fail(fmt, f"{folder}: not a folder")
    show = sys.stderr.isatty() and fmt == "text"

    def progress(n: int, total: int, path: str) -> None:
        if show:
            print(f"\r{n}/{total} {path[-60:]:60}", end="", file=sys.stderr, flush=True)

    lines = summarise_all(folder, check, targets, progress)
    if show:
        print("\r" + " " * 70 + "\r", end="", file=sys.stderr)
    if not lines:
        return _fail(fmt, f"{folder}: no project (a folder holding an *.idf.txt) found under it")
    print(render(lines, fmt, folder))
    bad = any(line.problem for line in lines) or any((line.errors or 0) > 0 for line in lines)
    return 1 if bad else 0


def _fail(fmt: str, message: str) -> int:
    if fmt == "json":
        print(json.dumps({"error": message}))
    print(f"depositdesk: {message}", file=sys.stderr)
    return 2
