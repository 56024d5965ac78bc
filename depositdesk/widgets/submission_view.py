"""The Submission view (File > Submission…): one target's way from draft to accession.

- **Status**: the state, its history, the DOI/share link, the accession once the repository gives it
  (checked offline by the identifier rules).
- **Checklist**: what a curator asks a person to confirm (depositdesk.packaging.checklist), ticked
  with who and when.
- **Package**: Build package into a folder (progress, Cancel, the findings that block it, Force,
  Open folder) - the same build as ``depositdesk package``, on a snapshot of the saved project.
- **Upload**: depositdesk.widgets.upload_panel.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from depositdesk.findings import Severity
from depositdesk.packaging import checklist
from depositdesk.widgets.upload_panel import UploadPanel

if TYPE_CHECKING:
    from depositdesk.app.main_window import MainWindow


def default_package_folder(project_folder: Path, target: str) -> Path:
    """Beside the project, never inside it (a package inside would count as the project's data)."""
    return project_folder.parent / f"{project_folder.name}-{target}-package"


class SubmissionDialog(QDialog):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        from depositdesk.packaging.targets import all_targets
        from depositdesk.packaging.targets.base import project_targets

        assert window.project is not None
        self.window_ = window
        self.folder = window.project.folder
        self.setWindowTitle(f"Submission — {self.folder.name}")
        self.build_worker: Any = None
        self.last_build: Any = None
        self.target = QComboBox()
        chosen = project_targets(window.project)
        for target in sorted(all_targets(), key=lambda t: (t.name not in chosen, t.title)):
            self.target.addItem(f"{target.title}" + ("  (chosen)" if target.name in chosen else ""), target.name)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._status_tab(), "&Status")
        self.tabs.addTab(self._checklist_tab(), "C&hecklist")
        self.tabs.addTab(self._package_tab(), "&Package")
        self.upload = UploadPanel(window.settings)
        self.upload.folder = self.folder
        self.upload.finished.connect(lambda _code: self.refresh_status(with_upload=False))
        self.tabs.addTab(self.upload, "&Upload")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.close)
        top = QHBoxLayout()
        top.addWidget(QLabel("Target:"))
        top.addWidget(self.target, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.target.currentIndexChanged.connect(lambda _i: self.show_target())
        QShortcut(QKeySequence("Ctrl+B"), self, self.build)
        self.resize(860, 620)
        self.show_target()

    @property
    def target_name(self) -> str:
        return str(self.target.currentData())

    # --- tabs ------------------------------------------------------------------------------
    def _status_tab(self) -> QWidget:
        page = QWidget()
        self.state = QLabel()
        self.state.setTextFormat(Qt.TextFormat.PlainText)
        font = self.state.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.state.setFont(font)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.history = QListWidget()
        self.accession = QLineEdit()
        self.accession.setPlaceholderText("the accession the repository gave (GSE…, E-MTAB-…, S-BIAD…, a DOI)")
        record = QPushButton("&Record accession")
        record.clicked.connect(self.record_accession)
        self.accession.returnPressed.connect(self.record_accession)
        row = QHBoxLayout()
        row.addWidget(self.accession, 1)
        row.addWidget(record)
        layout = QVBoxLayout(page)
        layout.addWidget(self.state)
        layout.addWidget(self.details)
        layout.addWidget(QLabel("History:"))
        layout.addWidget(self.history, 1)
        layout.addLayout(row)
        return page

    def _checklist_tab(self) -> QWidget:
        page = QWidget()
        self.checks = QListWidget()
        self.checks.setWordWrap(True)
        self.checks.setSpacing(3)
        self.checks.itemChanged.connect(self._ticked)
        self.checks_note = QLabel()
        layout = QVBoxLayout(page)
        layout.addWidget(QLabel("Confirm each point before submitting (a curator will ask):"))
        layout.addWidget(self.checks, 1)
        layout.addWidget(self.checks_note)
        return page

    def _package_tab(self) -> QWidget:
        page = QWidget()
        self.out_dir = QLineEdit()
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        self.force = QCheckBox("Build although the checks report errors (the findings go into its README)")
        self.build_button = QPushButton("&Build package")
        self.build_button.setToolTip("Ctrl+B")
        self.build_button.clicked.connect(self.build)
        self.cancel_build = QPushButton("Cancel")
        self.cancel_build.setEnabled(False)
        self.cancel_build.clicked.connect(lambda: self.build_worker and self.build_worker.cancel())
        self.open_button = QPushButton("&Open folder")
        self.open_button.setEnabled(False)
        self.open_button.clicked.connect(
            lambda: QDesktopServices.openUrl(QUrl.fromLocalFile(self.out_dir.text())))
        self.build_progress = QProgressBar()
        self.build_progress.setVisible(False)
        self.build_note = QLabel()
        self.build_note.setWordWrap(True)
        self.build_findings = QListWidget()
        where = QHBoxLayout()
        where.addWidget(self.out_dir, 1)
        where.addWidget(browse)
        form = QFormLayout()
        form.addRow("Package folder:", where)
        form.addRow(self.force)
        buttons = QHBoxLayout()
        for button in (self.build_button, self.cancel_build, self.open_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.build_progress)
        layout.addWidget(self.build_note)
        layout.addWidget(self.build_findings, 1)
        layout.addStretch(0)
        return page

    # --- showing one target ------------------------------------------------------------------
    def show_target(self) -> None:
        target = self.target_name
        self.out_dir.setText(str(default_package_folder(self.folder, target)))
        self.build_findings.clear()
        self.build_findings.setVisible(False)
        self.build_note.setText("")
        self.open_button.setEnabled(Path(self.out_dir.text(), "MANIFEST.tsv").is_file())
        self.refresh_status()
        self._fill_checklist()

    def refresh_status(self, with_upload: bool = True) -> None:
        from depositdesk.packaging.status import changed_since_packaged, read_status
        from depositdesk.packaging.upload_commands import transport_of

        target = self.target_name
        record = read_status(self.folder)["targets"].get(target, {})
        state = "changed since packaged" if record and changed_since_packaged(record) else \
            record.get("state", "draft")
        extra = [f"{k.replace('_', ' ')}: {record[k]}" for k in ("accession", "doi", "share_link") if record.get(k)]
        self.state.setText(f"{target}: {state}")
        self.details.setText("\n".join(extra))
        self.details.setVisible(bool(extra))
        self.history.clear()
        for line in reversed(record.get("history", [])):
            self.history.addItem(f"{line['when']}  {line['state']:<10}  {line['what']}")
        if not with_upload:      # the upload panel shows its own run's result
            return
        package = Path(record["package"]) if record.get("package") else Path(self.out_dir.text())
        built = package if (package / "MANIFEST.tsv").is_file() else None
        self.upload.set_package(target, built, transport_of(target))

    def _fill_checklist(self) -> None:
        target = self.target_name
        ticks = checklist.read_ticks(self.folder, target)
        self.checks.blockSignals(True)
        self.checks.clear()
        for item in checklist.items_for(target):
            entry = QListWidgetItem(item.text)
            entry.setData(Qt.ItemDataRole.UserRole, item.key)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            tick = ticks.get(item.key)
            entry.setCheckState(Qt.CheckState.Checked if tick else Qt.CheckState.Unchecked)
            entry.setToolTip(item.why + (f"\nTicked by {tick['by']} on {tick['when']}" if tick else ""))
            self.checks.addItem(entry)
        self.checks.blockSignals(False)
        self._checklist_note()

    def _checklist_note(self) -> None:
        left = checklist.open_items(self.folder, self.target_name)
        total = len(checklist.items_for(self.target_name))
        self.checks_note.setText(f"{total - len(left)} of {total} confirmed."
                                 + ("" if left else " Ready to submit."))

    def _ticked(self, entry: QListWidgetItem) -> None:
        key = str(entry.data(Qt.ItemDataRole.UserRole))
        record = checklist.tick(self.folder, self.target_name, key,
                                entry.checkState() == Qt.CheckState.Checked)
        self.checks.blockSignals(True)
        why = next(i.why for i in checklist.ITEMS if i.key == key)
        entry.setToolTip(why + (f"\nTicked by {record['by']} on {record['when']}" if record else ""))
        self.checks.blockSignals(False)
        self._checklist_note()

    # --- actions -----------------------------------------------------------------------------
    def record_accession(self) -> None:
        from depositdesk.packaging.status import StatusError, record_accession

        text = self.accession.text().strip()
        if not text:
            return
        try:
            record_accession(self.folder, self.target_name, text)
        except StatusError as exc:
            QMessageBox.warning(self, "Not an accession", str(exc))
            return
        self.accession.clear()
        self.refresh_status()

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Package folder", str(Path(self.out_dir.text()).parent))
        if folder:
            self.out_dir.setText(folder)

    def build(self) -> None:
        from depositdesk.app import project_ops
        from depositdesk.app.checking import snapshot
        from depositdesk.app.workers import launch, make_task
        from depositdesk.progress import Cancelled, Progress

        window = self.window_
        if self.build_worker is not None or window.project is None:
            return
        if window.is_modified():
            answer = QMessageBox.question(self, "Save first?", "The package is built from the saved project. "
                                          "Save your changes now?",
                                          QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel)
            if answer != QMessageBox.StandardButton.Save or not project_ops.save(window):
                return
        project, target = snapshot(window.project), self.target_name
        out_dir, force = Path(self.out_dir.text()), self.force.isChecked()

        def factory(emit: Any) -> Any:
            from depositdesk.packaging.packages.build import build_package

            last = [0.0]

            def on_file(i: int, n: int, name: str) -> None:   # on the pool thread
                if worker.token.cancelled:
                    raise Cancelled()
                if time.monotonic() - last[0] >= 0.1:        # at most ten ticks a second
                    last[0] = time.monotonic()
                    emit((i, n, name))

            yield Progress(0, None, "checking the project against the target", unit="")
            return build_package(project, target, out_dir, force=force, progress=on_file)

        worker = make_task(factory)
        worker.signals.item.connect(self._placing)
        worker.signals.finished.connect(self._built)
        worker.signals.failed.connect(lambda text: self.build_note.setText(f"The package was not built: {text}"))
        worker.signals.cancelled.connect(lambda: self.build_note.setText(
            "Cancelled. Building again finishes the package without redoing the files already placed."))
        worker.signals.done.connect(self._build_done)
        self.build_worker = worker
        self.build_button.setEnabled(False)
        self.cancel_build.setEnabled(True)
        self.build_progress.setVisible(True)
        self.build_progress.setRange(0, 0)
        self.build_note.setText("Checking and building…")
        self.build_findings.clear()
        self.build_findings.setVisible(False)
        launch(worker)

    def _placing(self, tick: tuple[int, int, str]) -> None:
        i, n, name = tick
        self.build_progress.setRange(0, max(n, 1))
        self.build_progress.setValue(i)
        self.build_note.setText(f"Placing data files: {i + 1:,} of {n:,} ({name})")

    def _built(self, result: Any) -> None:
        from depositdesk.findings import summarize
        from depositdesk.packaging.package_commands import record_packaged

        self.last_build = result
        shown = [f for f in result.findings if f.severity >= (Severity.WARNING if result.built else Severity.ERROR)]
        for item in shown:
            self.build_findings.addItem(item.describe().splitlines()[0])
        self.build_findings.setVisible(bool(shown))
        if not result.built:
            self.build_note.setText(f"Not built: {summarize(result.findings)}. Fix the errors below (double-click "
                                    "one in the main window's findings), or tick Force.")
            return
        try:
            record_packaged(self.folder, result)
        except OSError as exc:
            self.build_note.setText(f"Built, but the status could not be recorded: {exc}")
        data = sum(1 for e in result.entries if e.role == "data")
        self.build_note.setText(f"Built in {result.out_dir}: {len(result.entries)} files ({data} data: "
                                f"{result.linked} linked, {result.copied} copied, {result.reused} already "
                                f"there); {summarize(result.findings)}.")
        self.open_button.setEnabled(True)
        self.refresh_status()

    def resume_upload(self, target: str, where: str = "") -> None:
        """Show ``target``'s Upload tab and resume its stopped upload to ``where`` (credential from
        the keyring; none there: the panel says so and Resume upload asks for it)."""
        index = self.target.findData(target)
        if index >= 0:
            self.target.setCurrentIndex(index)
        self.tabs.setCurrentWidget(self.upload)
        if where:                   # the journal's upload: the same server and folder
            self.upload.server.setText(where)
        if self.upload.upload_button.isEnabled():
            self.upload.start(ask=False)
            if not self.upload.running() and self.upload.message.text().startswith("No credential"):
                self.upload.message.setText(f"No {target} credential in the keyring: press Resume "
                                            "upload to give it.")

    def _build_done(self) -> None:
        self.build_worker = None
        self.build_button.setEnabled(True)
        self.cancel_build.setEnabled(False)
        self.build_progress.setVisible(False)

    def closeEvent(self, event: Any) -> None:
        if self.upload.running():
            answer = QMessageBox.question(
                self, "Upload running", "An upload is running. Stop it? (It resumes where it stopped the "
                "next time you upload.)", QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No)
            if answer != QMessageBox.StandardButton.Yes:
                event.ignore()
                return
            self.upload.cancel()
        super().closeEvent(event)
