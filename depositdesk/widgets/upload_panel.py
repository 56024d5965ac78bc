"""The Upload part of the Submission view: a built package sent to its repository.

The upload runs as its own process (``python -m depositdesk.packaging.upload_commands upload ...``,
the command line's own code), so it keeps running while the person edits and a crash of either side
costs nothing: the transfer journal in the project's state folder says what arrived, and the next
upload continues from it. The credential comes from the keyring or is asked for once; it reaches the
process only through its environment (never a file, an argument or a log). Progress comes back as
JSON lines on the process's stderr: per file and overall, with speed and time left.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import QProcess, QProcessEnvironment, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from depositdesk.packaging.manifest import PackageError, read_manifest
from depositdesk.progress import human_bytes
from depositdesk.widgets import upload_options

PAUSE_KEY = "Ctrl+Shift+P"

COLUMNS = ("File", "Size", "Sent", "State")


def _clock(seconds: float) -> str:
    seconds = max(0, int(seconds))
    return f"{seconds // 3600}:{seconds // 60 % 60:02d}:{seconds % 60:02d}" if seconds >= 3600 else \
        f"{seconds // 60}:{seconds % 60:02d}"


class UploadPanel(QWidget):
    """Server, user, jobs; Upload/Cancel; overall and per-file progress; the result."""

    finished = Signal(int)        # the process's exit code (0 every file verified, 1 not all, 2 not started)

    def __init__(self, settings: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.folder: Path | None = None       # the project (its upload options are kept there)
        self.paused = False
        self._pausing = False
        self.target = ""
        self.package: Path | None = None
        self.process: QProcess | None = None
        self.result: dict | None = None
        self.rows: dict[str, int] = {}
        self.sizes: dict[str, int] = {}
        self._stderr = b""
        self.server = QLineEdit()
        self.user = QLineEdit()
        self.jobs = QSpinBox()
        self.jobs.setRange(1, 16)
        self.jobs.setValue(2)
        self.share_link = QCheckBox("Make a reviewer share link (Zenodo)")
        self.publish = QCheckBox("Publish when every file is verified (Zenodo; cannot be undone)")
        self.upload_button = QPushButton("&Upload")
        self.cancel_button = QPushButton("Cancel upload")
        self.cancel_button.setEnabled(False)
        self.cancel_button.setToolTip("Stop now; what is verified stays verified, Resume sends the rest")
        self.pause_button = QPushButton("&Pause")
        self.pause_button.setShortcut(QKeySequence(PAUSE_KEY))
        self.pause_button.setEnabled(False)
        self._pause_tips()
        self.parent_id = QLineEdit()
        self.parent_id.setPlaceholderText("syn12345 (the Synapse project or folder the files go into)")
        self.parent_id.setToolTip("The Synapse id shown on your project's or folder's page")
        self.version_of = QLineEdit()
        self.version_of.setPlaceholderText("empty: a new record; or 1234567 / 10.5281/zenodo.1234567")
        self.version_of.setToolTip("Upload as a new version of this published Zenodo record (its id, "
                                   "DOI or address); unchanged files are linked, not sent again")
        self.overall = QProgressBar()
        self.overall.setFormat("%p%")
        self.speed = QLabel("")
        self.message = QLabel("Build the package first, then upload it.")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.link = QLineEdit()
        self.link.setReadOnly(True)
        self.copy_button = QPushButton("Copy")
        self.copy_button.clicked.connect(lambda: QGuiApplication.clipboard().setText(self.link.text()))
        self._layout()
        self.upload_button.clicked.connect(self.start)
        self.cancel_button.clicked.connect(self.cancel)
        self.pause_button.clicked.connect(self.toggle_pause)

    def _layout(self) -> None:
        form = QFormLayout()
        form.addRow("Server:", self.server)
        form.addRow("User:", self.user)
        form.addRow("Files at a time:", self.jobs)
        form.addRow("Synapse parent:", self.parent_id)
        form.addRow("New version of:", self.version_of)
        self._form = form
        form.addRow(self.share_link)
        form.addRow(self.publish)
        buttons = QHBoxLayout()
        buttons.addWidget(self.upload_button)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.overall, 1)
        buttons.addWidget(self.speed)
        link = QHBoxLayout()
        link.addWidget(QLabel("DOI / share link:"))
        link.addWidget(self.link, 1)
        link.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addLayout(link)

    # --- what to upload ---------------------------------------------------------------------
    def set_package(self, target: str, package: Path | None, transport: str) -> None:
        """Show ``package`` (a built package folder, or None) of ``target``; its files in the table."""
        self.target, self.package = target, package
        from depositdesk.packaging.transfer import figshare
        from depositdesk.packaging.transfer import zenodo as zenodo_transport

        zenodo = transport == "zenodo"
        default = {"zenodo": zenodo_transport.DEFAULT_SERVER, "figshare": figshare.DEFAULT_SERVER}.get(transport, "")
        self.server.setText(str(self.settings.q.value(f"upload/{target}/server", default) or default))
        self.server.setPlaceholderText(f"{default} (or a sandbox)" if default else
                                       "ftp://host/your/personal/folder (from the repository's instructions)")
        self.user.setText(str(self.settings.q.value(f"upload/{target}/user", "") or ""))
        self.user.setEnabled(transport == "ftp")
        for box in (self.share_link, self.publish):
            box.setEnabled(zenodo)
        remembered = upload_options.load(self._project(), target)
        self.parent_id.setText(remembered.get("parent", ""))
        self.version_of.setText(remembered.get("new_version_of", ""))
        self._form.setRowVisible(self.parent_id, transport == "synapse")
        for zenodo_only in (self.version_of, self.share_link, self.publish):
            self._form.setRowVisible(zenodo_only, zenodo)
        self.paused = False
        self.upload_button.setVisible(True)
        self.pause_button.setText("&Pause")
        self.pause_button.setShortcut(QKeySequence(PAUSE_KEY))
        self.pause_button.setEnabled(False)
        self._pause_tips()
        self.table.setRowCount(0)
        self.rows.clear()
        self.sizes.clear()
        self.speed.setText("")
        self.upload_button.setEnabled(False)
        if not transport:
            self.message.setText(f"{target} has no upload here: submit its package as the repository asks.")
            return
        if package is None:
            self.message.setText("Build the package first, then upload it.")
            return
        try:
            _info, entries = read_manifest(package)
        except PackageError as exc:
            self.message.setText(f"The package cannot be uploaded: {exc}")
            return
        self.table.setRowCount(len(entries))
        for r, entry in enumerate(entries):
            self.rows[entry.path] = r
            self.sizes[entry.path] = entry.size
            for c, text in enumerate((entry.path, human_bytes(entry.size), "", "waiting")):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.upload_button.setEnabled(True)
        self.overall.setValue(0)
        self.message.setText(f"{len(entries)} files, {human_bytes(sum(e.size for e in entries))}, ready to upload.")
        self._show_journal()

    def _project(self) -> Path | None:
        if self.folder is not None:
            return self.folder
        try:
            info, _ = read_manifest(self.package) if self.package is not None else ({}, [])
        except PackageError:
            return None
        return Path(str(info["project"])) if info.get("project") else None

    def _pause_tips(self) -> None:
        self.pause_button.setToolTip(
            f"Resume: continue from the journal, only what is not verified is sent ({PAUSE_KEY})"
            if self.paused else
            f"Pause: stop cleanly; Resume continues where it stopped, FTP from the byte ({PAUSE_KEY})")

    def verified_count(self) -> int:
        return len(self.verified_paths())

    def _sections(self) -> dict[str, dict[str, Any]]:
        """This target's sections of the package's transfer journal (where the upload writes it)."""
        from depositdesk.packaging.transfer.journal import journal_path, read_sections

        if self.package is None:
            return {}
        try:
            info, _ = read_manifest(self.package)
        except (PackageError, OSError):
            return {}
        return {k: v for k, v in read_sections(journal_path(self.package, info)).items()
                if k.startswith(f"{self.target} ")}

    def verified_paths(self) -> set[str]:
        """Files of the package the journal calls verified (on the server it says most are)."""
        from depositdesk.packaging.transfer.journal import verified_files

        found = [verified_files(section) & set(self.rows) for section in self._sections().values()]
        return max(found, key=len, default=set())

    def _show_journal(self) -> None:
        """An earlier upload of this package that stopped: say so, and offer to resume."""
        from depositdesk.packaging.transfer.journal import verified_files

        for key, section in self._sections().items():
            files = section.get("files", {})
            verified = verified_files(section)
            for path in verified:
                self._set_row(path, "100 %", "verified (earlier)")
            if files and len(verified) < len(self.rows):
                self.upload_button.setText("&Resume upload")
                self.message.setText(f"An earlier upload to {key.split(' ', 1)[1]} stopped with "
                                     f"{len(verified)} of {len(self.rows)} files verified; Resume "
                                     "sends only what is missing.")
            remote = section.get("remote", {})
            if remote.get("doi") or remote.get("share_link"):
                self.link.setText(str(remote.get("share_link") or remote.get("doi")))

    def _set_row(self, path: str, sent: str | None = None, state: str | None = None) -> None:
        r = self.rows.get(path)
        if r is None:
            return
        for column, text in ((2, sent), (3, state)):
            item = self.table.item(r, column)
            if text is not None and item is not None:
                item.setText(text)

    # --- running -----------------------------------------------------------------------------
    def running(self) -> bool:
        return self.process is not None

    def credential(self, transport: str) -> str | None:
        """The secret for this run: the keyring's, or asked for (and kept in the keyring if there is one)."""
        from depositdesk.packaging.transfer import credentials

        user = self.user.text().strip() if transport == "ftp" else ""
        found = credentials.find(self.target, transport, user)
        if found is not None:
            return found.secret
        label = f"FTP password of {user}" if transport == "ftp" else f"{self.target} API token"
        secret, ok = QInputDialog.getText(self, "Credential", f"{label}:", QLineEdit.EchoMode.Password)
        if not ok or not secret.strip():
            return None
        if credentials.keyring_usable():
            credentials.store(self.target, user, secret.strip())
        return secret.strip()

    def _options(self, transport: str) -> list[str] | None:
        """The parent / new-version arguments, checked and remembered in the project; None (and
        the reason shown) when one is malformed."""
        parent, record = self.parent_id.text().strip(), self.version_of.text().strip()
        problem = (upload_options.check_parent(parent) if transport == "synapse" else None) or \
            (upload_options.check_record(record) if transport == "zenodo" else None)
        if problem:
            self.message.setText(problem)
            return None
        if transport == "synapse" and not parent and "Synapse:syn" not in self.server.text():
            self.message.setText("Give the Synapse parent: the id (syn12345) of the project or "
                                 "folder the files go into.")
            return None
        values = {"parent": parent} if transport == "synapse" else \
            {"new_version_of": record} if transport == "zenodo" else {}
        if values:
            upload_options.save(self._project(), self.target, values)
        if transport == "synapse" and parent:
            return ["--parent", parent]
        if transport == "zenodo" and record:
            return ["--new-version-of", record]
        return []

    def toggle_pause(self) -> None:
        """Pause a running upload (SIGTERM: the command records the pause and stops), or resume a
        paused one (the same upload again: the journal says what is left)."""
        if self.process is not None:
            self._pausing = True
            self.pause_button.setEnabled(False)
            self.message.setText("Pausing… (the file in flight stops; what is verified stays)")
            self.process.terminate()
            process = self.process

            def stuck() -> None:           # no SIGTERM handler (Windows) or none in time
                if self.process is process:
                    process.kill()
            QTimer.singleShot(5000, stuck)
        elif self.paused:
            self.start()

    def start(self, ask: bool = True) -> None:
        """Upload (or resume); ``ask`` False: a credential not in the keyring is not asked for."""
        from depositdesk.packaging.transfer import credentials
        from depositdesk.packaging.upload_commands import transport_of

        if self.package is None or self.process is not None:
            return
        transport = transport_of(self.target)
        server, user = self.server.text().strip(), self.user.text().strip()
        if transport == "ftp" and (not server or not user):
            self.message.setText("Give the FTP server with your folder (ftp://host/folder) and the user name.")
            return
        options = self._options(transport)
        if options is None:
            return
        secret = self.credential(transport) if ask else self._keyring_secret(transport)
        if secret is None:
            self.message.setText("No credential given: nothing was sent.")
            return
        self.settings.q.setValue(f"upload/{self.target}/server", server)
        self.settings.q.setValue(f"upload/{self.target}/user", user)
        args = ["-m", "depositdesk.packaging.upload_commands", "upload", str(self.package),
                "--jobs", str(self.jobs.value()), "--format", "json", "--progress-json"]
        if server:
            args += ["--server", server]
        if user:
            args += ["--user", user]
        if self.share_link.isChecked() and self.share_link.isEnabled():
            args.append("--share-link")
        if self.publish.isChecked() and self.publish.isEnabled():
            args.append("--publish")
        args += options
        env = QProcessEnvironment.systemEnvironment()
        env.insert(credentials.ENV[credentials.kind_of(transport)], secret)
        process = QProcess(self)
        process.setProcessEnvironment(env)
        process.readyReadStandardError.connect(self._read_progress)
        process.finished.connect(self._ended)
        self.process, self.result, self._stderr = process, None, b""
        self.upload_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.paused, self._pausing = False, False
        self.upload_button.setVisible(True)
        self.pause_button.setText("&Pause")
        self.pause_button.setShortcut(QKeySequence(PAUSE_KEY))
        self.pause_button.setEnabled(True)
        self._pause_tips()
        self.message.setText("Uploading… (you can keep editing; a stopped upload resumes where it stopped)")
        process.start(sys.executable, args)

    def _keyring_secret(self, transport: str) -> str | None:
        from depositdesk.packaging.transfer import credentials

        user = self.user.text().strip() if transport == "ftp" else ""
        found = credentials.find(self.target, transport, user)
        return found.secret if found is not None else None

    def cancel(self) -> None:
        """Stop the upload now. The journal keeps what was verified; the next upload resumes from it."""
        if self.process is not None:
            self.process.kill()

    def _read_progress(self) -> None:
        if self.process is None:
            return
        self._stderr += bytes(self.process.readAllStandardError().data())
        *lines, self._stderr = self._stderr.split(b"\n")
        for line in lines:
            try:
                tick = json.loads(line)
            except ValueError:
                continue
            if not isinstance(tick, dict) or "file" not in tick:
                continue
            size = max(int(tick["size"]), 1)
            done = int(tick["done"])
            self._set_row(str(tick["file"]), f"{100 * done // size} %", "sent, verifying" if done >= size
                          else "sending")
            self.overall.setValue(int(100 * int(tick["sent"]) / max(int(tick["total"]), 1)))
            self.speed.setText(f"{human_bytes(float(tick['speed']))}/s, {_clock(float(tick['left']))} left")

    def _ended(self, code: int, _status: Any) -> None:
        process, self.process = self.process, None
        out = bytes(process.readAllStandardOutput().data()) if process is not None else b""
        rest = (self._stderr + (bytes(process.readAllStandardError().data()) if process is not None else b""))
        self.upload_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.pause_button.setEnabled(False)
        if self._pausing:
            self._pausing, self.paused = False, True
            self.pause_button.setText("R&esume")
            self.pause_button.setShortcut(QKeySequence(PAUSE_KEY))
            self.pause_button.setEnabled(True)
            self._pause_tips()
            self.upload_button.setText("&Resume upload")
            self.upload_button.setVisible(False)        # the one way on is Resume
            self.speed.setText("paused")
            verified = self.verified_paths()
            done = sum(self.sizes.get(p, 0) for p in verified)
            self.overall.setValue(int(100 * done / max(sum(self.sizes.values()), 1)))
            for path, r in self.rows.items():
                item = self.table.item(r, 3)
                if path in verified:
                    self._set_row(path, "100 %", "verified")
                elif item is not None and item.text() in ("sending", "sent, verifying"):
                    self._set_row(path, "part", "paused")     # how much arrived: the server says
            self.message.setText(f"Paused — {len(verified)} of {len(self.rows)} files "
                                 "verified. Resume sends only what is not verified.")
            self.finished.emit(1)
            return
        try:
            self.result = json.loads(out.decode("utf-8"))
        except ValueError:
            self.result = None
        if isinstance(self.result, dict) and "error" in self.result and "files" not in self.result:
            rest = str(self.result["error"]).encode("utf-8")
            self.result = None
        if self.result is None:
            lines = [ln for ln in rest.decode("utf-8", "replace").splitlines()
                     if ln.strip() and not ln.startswith("{")]
            why = lines[-1] if lines else "the upload was stopped"
            self.message.setText(f"Upload stopped: {why}. What was verified stays verified; "
                                 "Upload again to resume.")
            self.upload_button.setText("&Resume upload")
            self.finished.emit(code if code in (0, 1, 2) else 1)
            return
        self._show_result(self.result)
        self.finished.emit(code)

    def _show_result(self, result: dict) -> None:
        for item in result.get("files", []):
            self._set_row(item["path"], "100 %" if item.get("verified") else None,
                          "verified" if item.get("verified") else "not verified")
        for path, error in result.get("errors", {}).items():
            self._set_row(path, None, f"error: {error}")
        verified = sum(bool(f.get("verified")) for f in result.get("files", []))
        remote = result.get("remote", {})
        if remote.get("share_link") or remote.get("doi"):
            self.link.setText(str(remote.get("share_link") or remote.get("doi")))
        if result.get("ok"):
            self.overall.setValue(100)
            self.speed.setText(f"{human_bytes(sum(self.sizes.values()))} verified")
            self.upload_button.setText("&Upload")
            self.message.setText(f"All {verified} files are verified on the server.")
        else:
            errors = "; ".join(f"{p}: {e}" for p, e in list(result.get("errors", {}).items())[:3])
            self.upload_button.setText("&Resume upload")
            self.message.setText(f"{verified} of {len(result.get('files', []))} files verified. {errors}")
