"""Finding codes raised by depositdesk.ontology (declared once here, listed in the catalogue)."""

from __future__ import annotations

from depositdesk.findings import Severity, define  # noqa: F401

PART = "ontology"
