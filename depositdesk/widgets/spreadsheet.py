"""Spreadsheet operations on an `SdrfGrid`: each builds one edit command (one undo step).

Copy/paste of rectangular blocks (tab-separated, as Excel and LibreOffice
exchange them), fill-down, fill-series, clear, insert/delete/move rows and
columns. Positions are converted from the view (sorted/filtered) to the
document once, here; commands hold only document row/column numbers.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication

from depositdesk.widgets.edit_commands import (
    EditCommand,
    InsertColumns,
    InsertRows,
    Macro,
    MoveColumn,
    MoveRows,
    RemoveColumns,
    RemoveRows,
    SetBlock,
    SetCells,
)
from depositdesk.widgets.sdrf_grid import SdrfGrid
from depositdesk.widgets.sheet_ops import fill_series, parse_tsv, same_pattern, to_tsv

CELLS_PER_STEP = 5_000
"""A bigger edit (fill-down of 50,000 rows, a paste of 10,000) is applied in steps of this many cells,
one per turn of the event loop, as one undo step; the sheet refuses other edits meanwhile."""


def _do(grid: SdrfGrid, command: EditCommand | None) -> bool:
    if command is None:
        return False
    if grid.model.busy:
        grid.sig_message.emit("Wait a moment: the previous edit is still being applied.")
        return False
    parts = _steps(command)
    if len(parts) == 1:
        grid.model.apply(command)
    else:
        _apply_in_steps(grid, parts, command.text)
    return True


def _steps(command: EditCommand) -> list[EditCommand]:
    """The parts of a big edit, each of at most about CELLS_PER_STEP cells; [command] for a small one."""
    commands = command.commands if isinstance(command, Macro) else [command]
    out: list[EditCommand] = []
    cells = 0
    for part in commands:
        if isinstance(part, SetCells) and len(part.changes) > CELLS_PER_STEP:
            out.extend(SetCells(part.sdrf, part.changes[i:i + CELLS_PER_STEP], text=part.text)
                       for i in range(0, len(part.changes), CELLS_PER_STEP))
        elif isinstance(part, SetBlock) and part.cell_count() > CELLS_PER_STEP:
            n = max(1, CELLS_PER_STEP // max(1, part.width))
            out.extend(SetBlock(part.sdrf, part.rows[i:i + n], part.values[i:i + n], part.left, part.width,
                                text=part.text) for i in range(0, len(part.rows), n))
        else:
            out.append(part)
        cells += len(part.changes) if isinstance(part, SetCells) else \
            part.cell_count() if isinstance(part, SetBlock) else 0
    return out if len(out) > 1 and cells > CELLS_PER_STEP else [command]


def _apply_in_steps(grid: SdrfGrid, parts: list[EditCommand], text: str) -> None:
    """One undo macro filled a step per event-loop turn; the window answers in between."""
    model = grid.model
    stack = model.undo_stack
    stack.beginMacro(text)
    model.busy = True
    left = list(reversed(parts))

    def step() -> None:
        try:
            model.apply_now(left.pop())
            if left:
                done = len(parts) - len(left)
                grid.sig_message.emit(f"{text}: {done * 100 // len(parts)} % …")
                QTimer.singleShot(0, step)
                return
            stack.endMacro()
            model.busy = False
            grid.sig_message.emit(f"{text}: done.")
        except RuntimeError:   # the window (and its undo stack) went away meanwhile
            model.busy = False

    QTimer.singleShot(0, step)   # the first step in a turn of its own, not after the paste's parsing


# -- clipboard ---------------------------------------------------------------------


def copy_text(grid: SdrfGrid) -> str:
    block = grid.selected_block()
    if block is None:
        return ""
    top, left, bottom, right = block
    rows = grid.model.sdrf.rows
    cells = [rows[r][left:right + 1] for r in grid.source_rows(top, bottom)]
    return to_tsv(cells)


def copy(grid: SdrfGrid) -> None:
    text = copy_text(grid)
    if text:
        QGuiApplication.clipboard().setText(text)
        block = grid.selected_block()
        assert block is not None
        grid.sig_message.emit(f"Copied {block[2] - block[0] + 1}×{block[3] - block[1] + 1} cells.")


def paste_command(grid: SdrfGrid, text: str) -> EditCommand | None:
    """Paste a block at the current cell; rows are added at the end of the file when it runs out."""
    block = parse_tsv(text)
    start_row, start_col = grid.current_proxy_cell()
    if not block or start_row < 0:
        return None
    sdrf = grid.model.sdrf
    width = len(sdrf.header)
    visible = grid.proxy.rowCount()
    extra = max(0, start_row + len(block) - visible)
    commands: list[EditCommand] = []
    if extra:
        commands.append(InsertRows(sdrf, len(sdrf.rows), [[""] * width for _ in range(extra)]))
    first_new = len(sdrf.rows)
    targets = grid.source_rows(start_row, start_row + len(block) - 1)
    targets += range(first_new, first_new + len(block) - len(targets))
    fits = width - start_col
    clipped = max((len(v) for v in block), default=0) - fits
    if clipped > 0:
        grid.sig_message.emit(f"{clipped} pasted column(s) did not fit and were left out.")
    label = f"Paste {len(block)}×{max(len(v) for v in block)} cells"
    per_step = max(1, CELLS_PER_STEP // max(1, min(fits, max(len(v) for v in block))))
    commands.extend(SetBlock(sdrf, targets[i:i + per_step], block[i:i + per_step], start_col, fits, text=label)
                    for i in range(0, len(block), per_step))
    return Macro(commands, text=label) if len(commands) > 1 else commands[0]


def paste(grid: SdrfGrid, text: str | None = None) -> bool:
    return _do(grid, paste_command(grid, QGuiApplication.clipboard().text() if text is None else text))


# -- fills and clearing ------------------------------------------------------------


def _columns_of_selection(grid: SdrfGrid) -> list[tuple[int, list[int]]]:
    """[(column, [source rows top to bottom])] for each selected column."""
    block = grid.selected_block()
    if block is None:
        return []
    top, left, bottom, right = block
    rows = grid.source_rows(top, bottom)
    return [(c, rows) for c in range(left, right + 1)]


def fill_down_command(grid: SdrfGrid) -> EditCommand | None:
    """Ctrl+D: copy the top cell of the selection down; a single cell copies the one above."""
    sdrf = grid.model.sdrf
    singles: list[tuple[int, int, str]] = []
    commands: list[EditCommand] = []
    for col, rows in _columns_of_selection(grid):
        if len(rows) == 1:
            above = grid.current_proxy_cell()[0] - 1
            if above < 0:
                continue
            singles.append((rows[0], col, sdrf.rows[grid.source_row(above)][col]))
            continue
        value = sdrf.rows[rows[0]][col]   # its cells are made when each step runs (50,000 rows)
        commands.append(SetBlock(sdrf, rows[1:], [[value]] * (len(rows) - 1), col, 1, text="Fill down"))
    if singles:
        commands.append(SetCells(sdrf, singles, text="Fill down"))
    if not commands:
        return None
    return commands[0] if len(commands) == 1 else Macro(commands, text="Fill down")


def fill_series_command(grid: SdrfGrid) -> EditCommand | None:
    """Continue the top cells of each selected column as a series: rep1, rep2, ... / 1, 3, 5 ..."""
    sdrf = grid.model.sdrf
    changes: list[tuple[int, int, str]] = []
    for col, rows in _columns_of_selection(grid):
        values = [sdrf.rows[r][col] for r in rows]
        seeds = []
        for v in values:
            if not v:
                break
            seeds.append(v)
        if len(seeds) == len(values):  # all filled: renumber from the top (two seeds if they form a step)
            seeds = seeds[:2] if len(seeds) > 2 and same_pattern(seeds[0], seeds[1]) else seeds[:1]
        if not seeds:
            continue
        series = fill_series(seeds, len(rows))
        changes.extend((r, col, v) for r, v in zip(rows, series) if sdrf.rows[r][col] != v)
    return SetCells(sdrf, changes, text="Fill series") if changes else None


def clear_command(grid: SdrfGrid) -> EditCommand | None:
    sdrf = grid.model.sdrf
    changes: list[tuple[int, int, str]] = []
    selection = grid.view.selectionModel().selection()
    for i in range(selection.count()):
        part = selection.at(i)
        for row in grid.source_rows(part.top(), part.bottom()):
            cells = sdrf.rows[row]
            changes.extend((row, c, "") for c in range(part.left(), part.right() + 1) if cells[c])
    changes = list(dict.fromkeys(changes))  # overlapping ranges: each cell once (undo restores it)
    return SetCells(sdrf, changes, text="Clear cells") if changes else None


# -- rows -------------------------------------------------------------------------------


def insert_rows_command(grid: SdrfGrid, below: bool = False) -> EditCommand:
    """Insert as many empty rows as are selected (at least one), above or below the selection."""
    sdrf = grid.model.sdrf
    rows = grid.selected_source_rows()
    count = max(1, len(rows))
    at = (rows[-1] + 1 if below else rows[0]) if rows else len(sdrf.rows)
    return InsertRows(sdrf, at, [[""] * len(sdrf.header) for _ in range(count)],
                      text=f"Insert {count} row{'s' if count > 1 else ''}")


def _runs(rows: list[int]) -> list[tuple[int, int]]:
    """[(first, count)] of contiguous runs in sorted rows."""
    runs: list[tuple[int, int]] = []
    for r in rows:
        if runs and runs[-1][0] + runs[-1][1] == r:
            runs[-1] = (runs[-1][0], runs[-1][1] + 1)
        else:
            runs.append((r, 1))
    return runs


def delete_rows_command(grid: SdrfGrid) -> EditCommand | None:
    rows = grid.selected_source_rows()
    if not rows:
        return None
    sdrf = grid.model.sdrf
    commands: list[EditCommand] = [RemoveRows(sdrf, first, count) for first, count in reversed(_runs(rows))]
    return Macro(commands, text=f"Delete {len(rows)} row{'s' if len(rows) > 1 else ''}")


def move_rows_command(grid: SdrfGrid, step: int) -> EditCommand | None:
    """Move the selected rows (one contiguous run in the file) one row up (-1) or down (+1)."""
    rows = grid.selected_source_rows()
    runs = _runs(rows)
    if len(runs) != 1:
        return None
    first, count = runs[0]
    total = len(grid.model.sdrf.rows)
    if step < 0 and first > 0:
        return MoveRows(grid.model.sdrf, first, count, first - 1, text="Move rows up")
    if step > 0 and first + count < total:
        return MoveRows(grid.model.sdrf, first, count, first + count + 1, text="Move rows down")
    return None


# -- columns -------------------------------------------------------------------------------


def insert_columns_command(grid: SdrfGrid, headers: list[str], at: int | None = None) -> EditCommand:
    if at is None:
        col = grid.current_cell()[1]
        at = col + 1 if col >= 0 else len(grid.model.sdrf.header)
    return InsertColumns(grid.model.sdrf, at, headers, text=f"Add column {headers[0]}")


def delete_columns_command(grid: SdrfGrid) -> EditCommand | None:
    block = grid.selected_block()
    if block is None:
        return None
    left, right = block[1], block[3]
    return RemoveColumns(grid.model.sdrf, left, right - left + 1,
                         text=f"Delete column{'s' if right > left else ''}")


def move_column_command(grid: SdrfGrid, step: int) -> EditCommand | None:
    col = grid.current_cell()[1]
    to = col + step
    if col < 0 or not 0 <= to < len(grid.model.sdrf.header):
        return None
    return MoveColumn(grid.model.sdrf, col, to, text="Move column " + ("left" if step < 0 else "right"))


def run(grid: SdrfGrid, command: EditCommand | None) -> bool:
    """Apply a command built above (no-op for None); returns whether anything was done."""
    return _do(grid, command)
