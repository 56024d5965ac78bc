"""Checks of single cells as they are typed (no Qt): is a term column holding a term?

Runs in the GUI thread right after an edit, so it must stay cheap: one exact
label lookup (and one accession lookup) in the offline index per edited cell.
Uses the ontology part's `check_term` (free text where a term is expected is
ONT-LABEL-UNKNOWN; a name that does not match its accession, an obsolete
term ... are flagged too).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from depositdesk.findings import Finding, Location
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.ontology.check import check_term


def _ready(service: Any, ontologies: Sequence[str]) -> list[str]:
    status = {k.lower(): v for k, v in service.available().items()}
    return [o for o in ontologies if status.get(o.lower()) == "ready"]


def check_cell(service: Any, sdrf: Sdrf, row: int, column: int, ontologies: Sequence[str],
               file: str | None = None) -> list[Finding]:
    """Findings of one cell of a term column (0-based row/column in, 1-based locations out)."""
    text = sdrf.rows[row][column].strip()
    if not text or not ontologies or service is None:
        return []
    allowed = _ready(service, ontologies)
    if not allowed:
        return []
    source_col, accession_col = sdrf.companions(column)
    accession = sdrf.rows[row][accession_col].strip() if accession_col is not None else ""
    source = sdrf.rows[row][source_col].strip() if source_col is not None else ""
    where = Location(file=file, row=row + 1, column=column + 1, column_name=sdrf.header[column])
    return check_term(service, text, accession, source, allowed_ontologies=allowed, location=where)
