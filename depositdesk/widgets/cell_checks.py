"""Checks of single cells (no Qt): is a term column holding a term?

Runs in the GUI thread — after an edit is committed (`check_cell`) and, while
the person types, on the open editor's text (`check_cell_text`, debounced by
`depositdesk.widgets.live_check`) — so it must stay cheap: one exact label
lookup (and, for free text, one search for a "did you mean") in the offline
index. Measured on the full CL index: well under a millisecond per call.
Uses the ontology part's `check_term` (free text where a term is expected is
ONT-LABEL-UNKNOWN; a name that does not match its accession, an obsolete
term ... are flagged too). Both paths use the same function, so the editor's
mark and the committed cell's mark never disagree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from depositdesk.findings import Finding, Location, code_info, finding
from depositdesk.magetab.completeness import TERM_NO_ACCESSION
from depositdesk.magetab.sdrf import Sdrf
from depositdesk.ontology import codes
from depositdesk.ontology.check import check_term
from depositdesk.ontology.model import TermHit, fold

SHOWN_CANDIDATES = 3


def _ready(service: Any, ontologies: Sequence[str]) -> list[str]:
    status = {k.lower(): v for k, v in service.available().items()}
    return [o for o in ontologies if status.get(o.lower()) == "ready"]


def check_cell(service: Any, sdrf: Sdrf, row: int, column: int, ontologies: Sequence[str],
               file: str | None = None) -> list[Finding]:
    """Findings of one cell of a term column (0-based row/column in, 1-based locations out)."""
    return check_cell_text(service, sdrf, row, column, sdrf.rows[row][column], ontologies, file)


def check_cell_text(service: Any, sdrf: Sdrf, row: int, column: int, text: str, ontologies: Sequence[str],
                    file: str | None = None) -> list[Finding]:
    """What `check_cell` would say if the cell held ``text`` (the editor's text, not yet committed).

    The companions (Term Source REF, Term Accession Number) are read from the
    row as they are, since committing the typed text leaves them as they are.
    """
    return assess_cell_text(service, sdrf, row, column, text, ontologies, file)[0]


def assess_cell_text(service: Any, sdrf: Sdrf, row: int, column: int, text: str, ontologies: Sequence[str],
                     file: str | None = None) -> tuple[list[Finding], TermHit | None]:
    """The cell's findings, and the term to fill in when ``text`` is one term's label and has no accession."""
    text = text.strip()
    if not text or not ontologies or service is None:
        return [], None
    allowed = _ready(service, ontologies)
    if not allowed:
        return [], None
    source_col, accession_col = sdrf.companions(column)
    accession = sdrf.rows[row][accession_col].strip() if accession_col is not None else ""
    source = sdrf.rows[row][source_col].strip() if source_col is not None else ""
    where = Location(file=file, row=row + 1, column=column + 1, column_name=sdrf.header[column])
    found = check_term(service, text, accession, source, allowed_ontologies=allowed, location=where)
    if accession or accession_col is None:
        return found, None
    hits = service.exact(text, allowed)
    if len(hits) == 1 and fold(hits[0].label) == fold(text) and not hits[0].obsolete \
            and (not source or fold(source) == fold(hits[0].ontology)):
        return [f for f in found if f.code != codes.LABEL_CASE], hits[0]   # the fill writes the label
    if hits:
        found.append(finding(TERM_NO_ACCESSION, _no_accession_message(text, hits, allowed), where))
    return found, None


def _no_accession_message(text: str, hits: Sequence[TermHit], allowed: Sequence[str]) -> str:
    def named(hit: TermHit) -> str:
        return f"{hit.accession} ({hit.label})"

    if len(hits) == 1:
        how = "a synonym of" if fold(hits[0].label) != fold(text) else "the label of"
        return f"'{text}' has no Term Accession Number; it is {how} {named(hits[0])}"
    shown = ", ".join(named(h) for h in hits[:SHOWN_CANDIDATES])
    more = f" and {len(hits) - SHOWN_CANDIDATES} more" if len(hits) > SHOWN_CANDIDATES else ""
    return (f"'{text}' has no Term Accession Number and names {len(hits)} terms of "
            f"{', '.join(allowed)}: {shown}{more}")


def editor_advice(text: str, found: Sequence[Finding], ontologies: Sequence[str]) -> str:
    """The editor's tooltip: what is wrong with the typed ``text`` and how to fix it ('' when nothing is)."""
    lines = []
    for item in found:
        if item.code == codes.LABEL_UNKNOWN:
            lines.append(f"'{text.strip()}' is not a term of {', '.join(ontologies)} — choose one from the list, "
                         "or keep it as free text.")
            if item.suggestion and item.suggestion != code_info(item.code).suggestion:
                lines.append(item.suggestion)  # a "did you mean", not the general advice said just above
            continue
        lines.append(item.message + ".")
        if item.suggestion:
            lines.append(item.suggestion)
    return "\n".join(lines)
