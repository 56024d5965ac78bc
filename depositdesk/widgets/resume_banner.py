"""The offer to resume an upload that stopped: a bar in the main window's status bar when a
project opens with an upload recorded as 'uploading' and not every file verified (the app was quit
or killed, the machine went down, the upload was paused). Not a modal question: the person may
ignore it, and "Resume" opens the Submission view on that target and continues from the journal."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton

from depositdesk.widgets.upload_options import Unfinished, unfinished_uploads

if TYPE_CHECKING:
    from depositdesk.app.main_window import MainWindow


def offer_text(up: Unfinished) -> str:
    where = up.where.split("://", 1)[-1].split("/", 1)[0] or up.where
    return (f"An upload of {up.target} to {where} stopped at {up.verified} of {up.files} files. "
            "Resume?")


class ResumeBanner(QFrame):
    """'An upload of zenodo stopped at 3 of 5 files. Resume?' with Resume and Not now."""

    def __init__(self, window: MainWindow, up: Unfinished) -> None:
        super().__init__(window)
        self.window_, self.unfinished = window, up
        self.setObjectName("resume-banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#resume-banner { background: palette(alternate-base); }")
        self.label = QLabel(offer_text(up))
        self.resume_button = QPushButton("Resume upload")
        self.resume_button.setToolTip("Open the Submission view and continue: files already "
                                      "verified are not sent again")
        self.dismiss_button = QPushButton("Not now")
        self.dismiss_button.setToolTip("The upload stays resumable from the Submission view")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 2)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.resume_button)
        layout.addWidget(self.dismiss_button)
        self.resume_button.clicked.connect(self.resume)
        self.dismiss_button.clicked.connect(self.dismiss)

    def resume(self) -> None:
        from depositdesk.app.actions import open_submission

        self.dismiss()
        view = open_submission(self.window_)
        if view is not None:
            view.resume_upload(self.unfinished.target, self.unfinished.where)

    def dismiss(self) -> None:
        self.window_.statusBar().removeWidget(self)
        if getattr(self.window_, "resume_banner", None) is self:
            self.window_.resume_banner = None  # type: ignore[attr-defined]
        self.deleteLater()


def offer(window: MainWindow) -> ResumeBanner | None:
    """Show the offer for the open project's first stopped upload (the previous offer goes)."""
    old = getattr(window, "resume_banner", None)
    if old is not None:
        old.dismiss()
    if window.project is None:
        return None
    found = unfinished_uploads(window.project.folder)
    if not found:
        return None
    banner = ResumeBanner(window, found[0])
    window.statusBar().addPermanentWidget(banner, 1)
    window.resume_banner = banner  # type: ignore[attr-defined]
    return banner
