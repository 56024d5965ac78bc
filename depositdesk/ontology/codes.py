"""Finding codes raised by depositdesk.ontology (declared once here, listed in the catalogue)."""

from __future__ import annotations

from depositdesk.findings import Severity, define

PART = "ontology"

TERM_UNKNOWN = define(
    "ONT-TERM-UNKNOWN", Severity.ERROR, "The term accession does not exist in its ontology",
    "Pick the term again with the completer, or check the accession for typing errors.", part=PART)
TERM_ALT_ID = define(
    "ONT-TERM-ALT-ID", Severity.WARNING, "The accession is a secondary (merged) ID of another term",
    "Use the term's primary accession.", part=PART)
LABEL_CASE = define(
    "ONT-LABEL-CASE", Severity.WARNING, "The term name differs from the ontology's label only in case or spacing",
    "Replace the text by the ontology's label (a one-click fix).", part=PART)
LABEL_SYNONYM = define(
    "ONT-LABEL-SYNONYM", Severity.INFO, "The term name is a synonym, not the ontology's label",
    "Repositories prefer the primary label; replace the text by it.", part=PART)
LABEL_MISMATCH = define(
    "ONT-LABEL-MISMATCH", Severity.ERROR, "The term name and the accession name different terms",
    "Choose the term again so that name and accession agree.", part=PART)
LABEL_UNKNOWN = define(
    "ONT-LABEL-UNKNOWN", Severity.WARNING, "No term of the allowed ontologies has this name",
    "Pick a term with the completer, or add its accession and Term Source REF.", part=PART)
TERM_OBSOLETE = define(
    "ONT-TERM-OBSOLETE", Severity.WARNING, "The term is obsolete in its ontology",
    "Use the replacement term the ontology names.", part=PART)
OUTSIDE_BRANCH = define(
    "ONT-TERM-OUTSIDE-BRANCH", Severity.ERROR, "The term is not in the branch of the ontology this column allows",
    "Choose a term below the branch the column asks for.", part=PART)
ONTOLOGY_NOT_ALLOWED = define(
    "ONT-ONTOLOGY-NOT-ALLOWED", Severity.ERROR, "The term comes from an ontology this column does not allow",
    "Choose a term from one of the ontologies the column allows.", part=PART)
SOURCE_MISMATCH = define(
    "ONT-SOURCE-MISMATCH", Severity.WARNING, "The Term Source REF does not name the term's ontology",
    "Set the Term Source REF to the ontology the accession belongs to.", part=PART)
NOT_INDEXED = define(
    "ONT-NOT-INDEXED", Severity.INFO, "The term's ontology is not indexed here, so the term was not checked",
    "Add the ontology file (Add ontology file…) or build the index: depositdesk ontology build.", part=PART)
FILE_SKIPPED = define(
    "ONT-FILE-SKIPPED", Severity.WARNING, "Parts of the ontology file could not be read and were skipped",
    "The other terms are usable; report the file's syntax problems to its maintainers.", part=PART)
FILE_UNREADABLE = define(
    "ONT-FILE-UNREADABLE", Severity.ERROR, "The ontology file could not be read",
    "Check that the file is an OBO or OWL (RDF/XML) ontology and is complete.", part=PART)
DOWNLOAD_FAILED = define(
    "ONT-DOWNLOAD-FAILED", Severity.ERROR, "The ontology could not be downloaded",
    "Check the network and the address; the last good copy stays in use.", part=PART)

