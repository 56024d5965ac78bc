"""Checks of a term already in a sheet: does it exist, do name and accession agree, is it current, allowed.

Used by the metadata validator for every ontology-valued SDRF/IDF cell. The
service answers from local indexes only; when the term's ontology is not
indexed the cell is reported as not checked (INFO), never as wrong.
"""

from __future__ import annotations

from collections.abc import Sequence

from depositdesk.findings import Finding, Location, code_info, finding
from depositdesk.ontology import codes
from depositdesk.ontology.model import TermHit, curie, fold, prefix_of
from depositdesk.ontology.service import TermService

# Term Source REF names seen in MAGE-TAB files for ontologies indexed under another name
SOURCE_ALIASES = {
    "ncbi taxonomy": "ncbitaxon", "ncbi_taxonomy": "ncbitaxon", "ncbitaxonomy": "ncbitaxon", "taxonomy": "ncbitaxon",
    "cellosaurus": "cvcl", "experimental factor ontology": "efo", "cell ontology": "cl", "uberon": "uberon",
    "gene ontology": "go", "psi-ms": "ms", "psi-mod": "mod", "unit ontology": "uo", "unit": "uo",
}


def _same_ontology(hit: TermHit, name: str) -> bool:
    name = name.strip().lower()
    name = SOURCE_ALIASES.get(name, name)
    return name in (hit.ontology.lower(), prefix_of(curie(hit.accession)).lower())


def _indexed(service: TermService, names: Sequence[str]) -> bool:
    ready = {k.lower() for k, v in service.available().items() if v == "ready"}
    return any(n.lower() in ready for n in names if n)


def check_term(
    service: TermService,
    text: str,
    accession: str | None,
    term_source: str | None,
    allowed_ontologies: Sequence[str] | None = None,
    under: str | None = None,
    location: Location | None = None,
) -> list[Finding]:
    """Findings for one term cell: ``text`` (the name), its accession and Term Source REF."""
    text, accession, term_source = (text or "").strip(), (accession or "").strip(), (term_source or "").strip()
    where = location or Location()
    if not accession:
        return _check_label_only(service, text, term_source, allowed_ontologies, under, where) if text else []
    hit = service.lookup(accession)
    if hit is None:
        owners = [prefix_of(curie(accession)), SOURCE_ALIASES.get(term_source.lower(), term_source)]
        if not _indexed(service, owners):
            return [finding(codes.NOT_INDEXED, f"{accession}: {term_source or prefix_of(curie(accession)) or 'its ontology'} "
                            "is not indexed here, so this term was not checked", where)]
        return [finding(codes.TERM_UNKNOWN, f"{accession} does not exist in {term_source or prefix_of(curie(accession))}",
                        where, _suggest_by_name(service, text, term_source))]
    found = []
    if curie(accession).lower() != curie(hit.accession).lower():
        found.append(finding(codes.TERM_ALT_ID, f"{accession} is a secondary ID of {hit.accession} ({hit.label})",
                             where, f"Use {hit.accession}."))
    found += _check_name(service, text, hit, where)
    found += _check_standing(service, hit, term_source, allowed_ontologies, under, where)
    return found


def _check_name(service: TermService, text: str, hit: TermHit, where: Location) -> list[Finding]:
    if not text or text == hit.label:
        return []
    if fold(text) == fold(hit.label):
        return [finding(codes.LABEL_CASE, f"'{text}' is written '{hit.label}' in {hit.ontology}", where,
                        f"Replace by '{hit.label}'.")]
    details = service.details(hit.accession)
    synonyms = details.synonyms if details else []
    if any(fold(text) == fold(s) for s in synonyms):
        return [finding(codes.LABEL_SYNONYM, f"'{text}' is a synonym of {hit.accession}, whose label is "
                        f"'{hit.label}'", where, f"Replace by '{hit.label}'.")]
    named = [h for h in service.exact(text) if h.accession != hit.accession]
    other = f"; '{text}' is {named[0].accession}" if named else ""
    return [finding(codes.LABEL_MISMATCH, f"{hit.accession} is '{hit.label}', not '{text}'{other}", where,
                    "Choose the term again so that name and accession agree.")]


def _check_standing(service: TermService, hit: TermHit, term_source: str,
                    allowed: Sequence[str] | None, under: str | None, where: Location) -> list[Finding]:
    found = []
    if hit.obsolete:
        repl = service.lookup(hit.replaced_by) if hit.replaced_by else None
        advice = (f"Use {repl.accession} ({repl.label})." if repl else
                  f"Use {hit.replaced_by}." if hit.replaced_by else "Choose a current term.")
        found.append(finding(codes.TERM_OBSOLETE, f"{hit.accession} ({hit.label}) is obsolete", where, advice))
    if term_source and not _same_ontology(hit, term_source):
        found.append(finding(codes.SOURCE_MISMATCH, f"{hit.accession} belongs to {prefix_of(hit.accession) or hit.ontology}, "
                             f"but the Term Source REF is '{term_source}'", where,
                             f"Set the Term Source REF to {prefix_of(hit.accession) or hit.ontology}."))
    if allowed and not any(_same_ontology(hit, a) for a in allowed):
        found.append(finding(codes.ONTOLOGY_NOT_ALLOWED, f"{hit.accession} is from {hit.ontology}; this column allows "
                             f"{', '.join(allowed)}", where))
    if under and service.is_under(hit.accession, under) is False:
        root = service.lookup(under)
        found.append(finding(codes.OUTSIDE_BRANCH, f"{hit.accession} ({hit.label}) is not under {under}"
                             + (f" ({root.label})" if root else ""), where))
    return found


def _check_label_only(service: TermService, text: str, term_source: str, allowed: Sequence[str] | None,
                      under: str | None, where: Location) -> list[Finding]:
    scope = list(allowed) if allowed else ([term_source] if term_source else None)
    if scope and not _indexed(service, scope):
        return []
    hits = service.exact(text, scope)
    if not hits:
        return [finding(codes.LABEL_UNKNOWN, f"No term of {', '.join(scope) if scope else 'the indexed ontologies'} "
                        f"is named '{text}'", where,
                        _suggest_by_name(service, text, term_source, scope, codes.LABEL_UNKNOWN))]
    found = _check_name(service, text, hits[0], where) if fold(text) == fold(hits[0].label) else []
    return found + _check_standing(service, hits[0], term_source, allowed, under, where)


def _suggest_by_name(service: TermService, text: str, term_source: str,
                     scope: Sequence[str] | None = None, code: str = codes.TERM_UNKNOWN) -> str:
    """'Did you mean ...' from the best search hit for the cell's text, else the code's advice."""
    hits = service.search(text, scope or ([term_source] if term_source else None), limit=1) if text else []
    if hits:
        return f"Did you mean {hits[0].accession} ({hits[0].label})?"
    return code_info(code).suggestion
