"""depositdesk.ontology: offline term completion and term checks over many ontologies.

Public API: `TermService` (search, lookup, exact, build, add_file), `TermHit`,
`check_term` (in `depositdesk.ontology.check`). No Qt here.
"""

from depositdesk.ontology.model import TermHit
from depositdesk.ontology.service import TermService

__all__ = ["TermHit", "TermService"]
