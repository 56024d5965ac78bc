"""Icons drawn in code (severity marks, file states), so no image files have to match a theme.

Colour is never the only signal: each severity has its own shape and letter
(a red disc with "!", an amber triangle, a blue "i"), for people who do not
tell red from green.
"""

from __future__ import annotations

from functools import cache
from importlib import resources

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QIcon, QPainter, QPainterPath, QPixmap, QPolygonF

from depositdesk.findings import Severity

SEVERITY_INK = {
    Severity.ERROR: QColor(200, 30, 30),
    Severity.WARNING: QColor(215, 140, 0),
    Severity.INFO: QColor(30, 110, 200),
}
_GLYPH = {Severity.ERROR: "!", Severity.WARNING: "!", Severity.INFO: "i"}


def _shape(painter: QPainter, severity: Severity, size: int) -> None:
    rect = QRectF(1, 1, size - 2, size - 2)
    painter.setBrush(SEVERITY_INK[severity])
    painter.setPen(Qt.PenStyle.NoPen)
    if severity == Severity.WARNING:
        painter.drawPolygon(QPolygonF([QPointF(size / 2, 1), QPointF(size - 1, size - 1), QPointF(1, size - 1)]))
    elif severity == Severity.ERROR:
        path = QPainterPath()
        path.addEllipse(rect)
        painter.drawPath(path)
    else:
        painter.drawRoundedRect(rect, 3, 3)


@cache
def severity_icon(severity: Severity, size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    _shape(painter, severity, size)
    font = QFont("DejaVu Sans", max(6, size // 2))
    font.setBold(True)
    painter.setFont(font)
    painter.setPen(QColor("white"))
    box = QRectF(0, 2 if severity == Severity.WARNING else 0, size, size)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, _GLYPH[severity])
    painter.end()
    return QIcon(pixmap)


@cache
def ok_icon(size: int = 16) -> QIcon:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setBrush(QColor(40, 150, 70))
    painter.setPen(Qt.PenStyle.NoPen)
    painter.drawEllipse(QRectF(1, 1, size - 2, size - 2))
    painter.setPen(QColor("white"))
    painter.drawPolyline(QPolygonF([QPointF(size * 0.28, size * 0.52), QPointF(size * 0.45, size * 0.7),
                                    QPointF(size * 0.74, size * 0.32)]))
    painter.end()
    return QIcon(pixmap)


@cache
def app_icon() -> QIcon:
    """The window icon (resources/icons/depositdesk.png, drawn from depositdesk.svg)."""
    icon = QIcon()
    for name in ("depositdesk.png", "depositdesk.svg"):
        ref = resources.files("depositdesk.resources") / "icons" / name
        if ref.is_file():
            icon.addFile(str(ref))
    return icon
