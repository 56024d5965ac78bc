"""`SettingsDialog`: ontology sources (status, add a file, build), validation profile, jobs, Dask scheduler."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QComboBox as Combo
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from depositdesk.app import dialogs
from depositdesk.app.settings import AppSettings
from depositdesk.app.workers import TaskWorker, launch, make_task
from depositdesk.ontology.licences import INDEX_STATE_WORDS
from depositdesk.validators.base import PROFILES

STATE_TEXT = {**INDEX_STATE_WORDS, "missing": f"{INDEX_STATE_WORDS['missing']} (Build starter index)"}
PROFILE_HELP = {"spec": "each format's specification", "strict-modencode": "stricter, as modENCODE's checkers"}


class SettingsDialog(QDialog):
    def __init__(self, settings: AppSettings, service: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        self.service = service
        self.worker: TaskWorker | None = None
        self.sources = QListWidget()
        self.add_button = QPushButton("Add OBO/OWL file…")
        self.build_button = QPushButton("Build starter index")
        self.progress = QProgressBar()
        self.progress.setVisible(False)
        self.profile = Combo()
        for name in PROFILES:
            self.profile.addItem(f"{name} — {PROFILE_HELP.get(name, '')}", name)
        self.profile.setCurrentIndex(max(0, self.profile.findData(settings.profile)))
        self.jobs = QSpinBox()
        self.jobs.setRange(1, 64)
        self.jobs.setValue(settings.jobs)
        self.jobs.setSuffix(" at a time")
        self.scheduler = QLineEdit(settings.scheduler)
        self.scheduler.setPlaceholderText("this computer — or local:4, or tcp://host:8786")
        self.scheduler.setToolTip("A Dask scheduler: file validation then runs as Dask tasks on its workers "
                                  "(the files must be on a folder they share). local:N starts N worker "
                                  "processes here. Empty: this computer's processes.")
        self.scheduler_note = QLabel("")
        self.scheduler_note.setWordWrap(True)
        self.scheduler.textChanged.connect(lambda _text: self._check_scheduler())
        self._layout()
        self.add_button.clicked.connect(self._add_file)
        self.build_button.clicked.connect(lambda: self._run(self.service.build(), "Building the term index"))
        self.refresh()
        self.resize(620, 480)

    def _layout(self) -> None:
        onto = QGroupBox("Ontology sources")
        box = QVBoxLayout(onto)
        box.addWidget(self.sources)
        row = QHBoxLayout()
        row.addWidget(self.add_button)
        row.addWidget(self.build_button)
        row.addStretch(1)
        box.addLayout(row)
        box.addWidget(self.progress)
        checks = QGroupBox("Validation")
        form = QFormLayout(checks)
        form.addRow("Profile:", self.profile)
        form.addRow("Run in parallel:", self.jobs)
        form.addRow("Dask scheduler:", self.scheduler)
        form.addRow(self.scheduler_note)
        form.addRow(QLabel("Results of unchanged files come from the cache."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(onto, 1)
        layout.addWidget(checks)
        layout.addWidget(buttons)

    def refresh(self) -> None:
        self.sources.clear()
        if self.service is None:
            self.sources.addItem("Term completion is off (no term service).")
            return
        for name, state in sorted(self.service.available().items(), key=lambda kv: kv[0].lower()):
            self.sources.addItem(f"{name}: {STATE_TEXT.get(state, state)}")

    def _add_file(self) -> None:
        paths = dialogs.open_files(self, "Add an ontology file (OBO or OWL)")
        if paths and self.service is not None:
            self._run(self.service.add_file(Path(paths[0])), f"Indexing {Path(paths[0]).name}")

    def _run(self, task: Any, label: str) -> None:
        if self.worker is not None or self.service is None:
            return
        self.progress.setVisible(True)
        self.progress.setFormat(f"{label} … %p%")
        self.worker = make_task(lambda _emit: task)
        self.worker.signals.progress.connect(
            lambda tick: self.progress.setValue(int((tick.fraction or 0) * 100)))
        self.worker.signals.done.connect(self._done)
        launch(self.worker)

    def _done(self) -> None:
        self.worker = None
        self.progress.setVisible(False)
        if self.service is not None:
            self.service.forget_sources()
        self.refresh()

    def _check_scheduler(self) -> str | None:
        """The scheduler as typed, or None (and a note under the field saying why) when it is not one."""
        from depositdesk.validators.dask_runner import SchedulerError, parse_scheduler

        text = self.scheduler.text().strip()
        try:
            if text:
                parse_scheduler(text)
        except SchedulerError as exc:
            self.scheduler_note.setText(f"⚠ {exc}")
            return None
        self.scheduler_note.setText("Validation runs on this computer." if not text else
                                    f"Validation runs on the Dask scheduler {text}.")
        return text

    def accept(self) -> None:
        scheduler = self._check_scheduler()
        if scheduler is None:
            self.scheduler.setFocus()
            return
        self.settings.profile = self.profile.currentData()
        self.settings.jobs = self.jobs.value()
        self.settings.scheduler = scheduler
        super().accept()
