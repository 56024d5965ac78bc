"""The About page: version, and the attributions the ontologies' licences ask for."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from depositdesk import __version__


def attributions(service: Any) -> list[tuple[str, str, str, str]]:
    """(ontology, version, licence, status) for every term source the service knows."""
    if service is None:
        return []
    from depositdesk.ontology.licences import INDEX_STATE_WORDS
    from depositdesk.ontology.licences import attributions as ontology_attributions

    def state(status: str, origin: str) -> str:
        words = INDEX_STATE_WORDS.get(status, status)
        return words if origin == "starter" else f"{words} ({origin})"

    return [(f"{a.name} — {a.title}" if a.title and a.title != a.name else a.name, a.version, a.licence,
             state(a.status, a.origin))
            for a in ontology_attributions(service)]


def about_html(service: Any) -> str:
    rows = "".join(f"<tr><td><b>{escape(n)}</b></td><td>{escape(v)}</td><td>{escape(lic)}</td>"
                   f"<td>{escape(o)}</td></tr>" for n, v, lic, o in attributions(service))
    return (
        f"<h2>DepositDesk {escape(__version__)}</h2>"
        "<p>Prepare, validate and package public data submissions (GEO/SRA, BioImage Archive, Zenodo) "
        "offline. MIT licence.</p>"
        "<h3>Ontologies</h3><p>Term completion uses these ontologies. Their authors ask to be credited:</p>"
        "<table cellspacing='0' cellpadding='3' border='1'>"
        "<tr><th>Ontology</th><th>Version</th><th>Licence</th><th>Index</th></tr>"
        f"{rows or '<tr><td colspan=4>No term index yet.</td></tr>'}</table>"
        "<h3>Software</h3><p>Qt for Python (PySide6, LGPLv3), pysam (MIT), pyBigWig (MIT), pronto (MIT), "
        "openpyxl (MIT), cellxgene-ontology-guide (MIT), psims (Apache 2.0), DejaVu fonts.</p>"
    )


class AboutDialog(QDialog):
    def __init__(self, service: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("About DepositDesk")
        browser = QTextBrowser()
        browser.setHtml(about_html(service))
        browser.setOpenExternalLinks(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(browser)
        layout.addWidget(buttons)
        self.resize(780, 600)
