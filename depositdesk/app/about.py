"""The About page: version, and the attributions the ontologies' licences ask for."""

from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from depositdesk import __version__

# Licences of the starter ontologies, as their publishers state them (OBO Foundry registry).
KNOWN_LICENCES = {
    "CL": "CC BY 4.0", "UBERON": "CC BY 3.0", "NCBITaxon": "CC0 1.0", "EFO": "Apache 2.0",
    "MONDO": "CC BY 4.0", "PATO": "CC BY 3.0", "HsapDv": "CC BY 4.0", "MmusDv": "CC BY 4.0",
    "FBbt": "CC BY 4.0", "FBdv": "CC BY 4.0", "WBls": "CC BY 4.0", "WBbt": "CC BY 4.0",
    "ZFA": "CC BY 3.0", "UO": "CC BY 3.0", "GO": "CC BY 4.0", "MS": "CC BY 4.0", "MOD": "CC BY 4.0",
    "OBI": "CC BY 4.0", "FBbi": "CC BY 4.0", "HANCESTRO": "CC BY 4.0", "DOID": "CC0 1.0",
}


def attributions(service: Any) -> list[tuple[str, str, str, str]]:
    """(ontology, version, licence, where from) for every term source the index knows."""
    try:
        from depositdesk.ontology import attributions as from_ontology  # type: ignore[attr-defined]
    except ImportError:
        from_ontology = None
    if from_ontology is not None:
        return list(from_ontology(service))
    if service is None:
        return []
    rows = []
    for name, source in sorted(service.sources().items(), key=lambda kv: kv[0].lower()):
        origin = "bundled starter set" if source.origin == "starter" else source.origin
        rows.append((name, source.version or "", KNOWN_LICENCES.get(name, "see the source file"), origin))
    return rows


def about_html(service: Any) -> str:
    rows = "".join(f"<tr><td><b>{escape(n)}</b></td><td>{escape(v)}</td><td>{escape(lic)}</td>"
                   f"<td>{escape(o)}</td></tr>" for n, v, lic, o in attributions(service))
    return (
        f"<h2>DepositDesk {escape(__version__)}</h2>"
        "<p>Prepare, validate and package public data submissions (GEO/SRA, BioImage Archive, Zenodo) "
        "offline. MIT licence.</p>"
        "<h3>Ontologies</h3><p>Term completion uses these ontologies. Their authors ask to be credited:</p>"
        "<table cellspacing='0' cellpadding='3' border='1'>"
        "<tr><th>Ontology</th><th>Version</th><th>Licence</th><th>From</th></tr>"
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
        self.resize(640, 560)
