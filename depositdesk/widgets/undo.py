"""The thin bridge from plain edit commands to Qt's `QUndoStack`.

`depositdesk.widgets.edit_commands` holds the edits (rows, columns, values);
this wraps one in a `QUndoCommand` so the stack drives ``redo``/``undo`` and
the Edit menu shows its text ("Undo Paste 3×4 cells").
"""

from __future__ import annotations

from PySide6.QtGui import QUndoCommand, QUndoStack

from depositdesk.widgets.edit_commands import EditCommand


class UndoBridge(QUndoCommand):
    def __init__(self, command: EditCommand) -> None:
        super().__init__(command.text)
        self.command = command

    def redo(self) -> None:
        self.command.redo()

    def undo(self) -> None:
        self.command.undo()


def push(stack: QUndoStack, command: EditCommand) -> None:
    """Do ``command`` now, as one undo step."""
    stack.push(UndoBridge(command))
