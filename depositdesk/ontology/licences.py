"""Who made each ontology and under which licence: the attribution page of the About dialog and `ontology list`.

The licences were read from each ontology's release header or repository
(see ../shared/ontologies/README.md for the evidence); EDAM is share-alike
(CC BY-SA 4.0), which matters if a package redistributes its terms.
"""

from __future__ import annotations

from dataclasses import dataclass

from depositdesk.ontology.service import TermService

CC_BY_4 = "CC BY 4.0"
CC_BY_3 = "CC BY 3.0"


@dataclass(frozen=True)
class OntologyLicence:
    title: str
    licence: str
    home: str


LICENCES: dict[str, OntologyLicence] = {
    "CL": OntologyLicence("Cell Ontology", CC_BY_4, "https://obophenotype.github.io/cell-ontology/"),
    "EFO": OntologyLicence("Experimental Factor Ontology", "Apache 2.0", "https://www.ebi.ac.uk/efo/"),
    "UBERON": OntologyLicence("Uberon multi-species anatomy ontology", CC_BY_3, "http://uberon.org"),
    "NCBITaxon": OntologyLicence("NCBI organismal classification (animals) + DepositDesk model organisms",
                                 "CC0 1.0 (NCBI Taxonomy is public domain)", "https://www.ncbi.nlm.nih.gov/taxonomy"),
    "CVCL": OntologyLicence("Cellosaurus", CC_BY_4, "https://www.cellosaurus.org"),
    "MONDO": OntologyLicence("Mondo Disease Ontology", CC_BY_4, "https://mondo.monarchinitiative.org"),
    "CHEBI": OntologyLicence("Chemical Entities of Biological Interest", CC_BY_4, "https://www.ebi.ac.uk/chebi/"),
    "FBbt": OntologyLicence("Drosophila gross anatomy", CC_BY_4, "https://github.com/FlyBase/drosophila-anatomy-developmental-ontology"),
    "FBdv": OntologyLicence("Drosophila development", CC_BY_4, "https://github.com/FlyBase/drosophila-developmental-ontology"),
    "WBbt": OntologyLicence("C. elegans gross anatomy", CC_BY_4, "https://github.com/obophenotype/c-elegans-gross-anatomy-ontology"),
    "WBls": OntologyLicence("C. elegans development", CC_BY_4, "https://github.com/obophenotype/c-elegans-development-ontology"),
    "ZFA": OntologyLicence("Zebrafish anatomy and development", CC_BY_4, "https://github.com/ZFIN/zebrafish-anatomical-ontology"),
    "PATO": OntologyLicence("Phenotype And Trait Ontology", CC_BY_3, "https://github.com/pato-ontology/pato"),
    "HsapDv": OntologyLicence("Human developmental stages", CC_BY_4, "https://github.com/obophenotype/developmental-stage-ontologies"),
    "MmusDv": OntologyLicence("Mouse developmental stages", CC_BY_4, "https://github.com/obophenotype/developmental-stage-ontologies"),
    "HANCESTRO": OntologyLicence("Human Ancestry Ontology", CC_BY_4, "https://github.com/EBISPOT/hancestro"),
    "UO": OntologyLicence("Units of measurement ontology", CC_BY_4, "https://github.com/bio-ontology-research-group/unit-ontology"),
    "GO": OntologyLicence("Gene Ontology", CC_BY_4, "http://geneontology.org"),
    "MS": OntologyLicence("PSI Mass Spectrometry CV", CC_BY_4, "https://github.com/HUPO-PSI/psi-ms-CV"),
    "MOD": OntologyLicence("PSI protein modifications", CC_BY_4, "https://github.com/HUPO-PSI/psi-mod-CV"),
    "OBI": OntologyLicence("Ontology for Biomedical Investigations", CC_BY_4, "http://obi-ontology.org"),
    "SO": OntologyLicence("Sequence Ontology", CC_BY_4, "http://www.sequenceontology.org"),
    "BTO": OntologyLicence("BRENDA Tissue Ontology", CC_BY_4, "https://github.com/BRENDA-Enzymes/BTO"),
    "FBbi": OntologyLicence("Biological Imaging Methods Ontology", CC_BY_4, "https://github.com/CRBS/Biological_Imaging_Methods_Ontology"),
    "EDAM": OntologyLicence("EDAM (data analysis and management)", "CC BY-SA 4.0 (share-alike)", "https://edamontology.org"),
    "NCIT": OntologyLicence("NCI Thesaurus", CC_BY_4, "https://ncit.nci.nih.gov"),
    "life-stages": OntologyLicence("Developmental stages of many species", CC_BY_4, "https://github.com/obophenotype/developmental-stage-ontologies"),
}

_LICENCE_IRIS = {
    "creativecommons.org/licenses/by/4.0": CC_BY_4, "creativecommons.org/licenses/by/3.0": CC_BY_3,
    "creativecommons.org/licenses/by-sa/4.0": "CC BY-SA 4.0",
    "creativecommons.org/publicdomain/zero/1.0": "CC0 1.0",
}


@dataclass(frozen=True)
class Attribution:
    name: str
    title: str
    version: str
    licence: str
    home: str
    status: str      # ready | building | missing
    origin: str      # starter | user | download


def licence_name(text: str) -> str:
    """A licence IRI from an ontology header as a short name people know."""
    for iri, name in _LICENCE_IRIS.items():
        if iri in text:
            return name
    return text


def attributions(service: TermService) -> list[Attribution]:
    """One line per known ontology: name, title, version, licence (starter set and the user's own)."""
    status = service.available()
    out = []
    for name, source in sorted(service.sources().items(), key=lambda kv: kv[0].lower()):
        known = LICENCES.get(name)
        meta = service.index_meta(name)
        licence = known.licence if known else licence_name(meta.get("licence", "")) or "not stated in the file"
        title = known.title if known else meta.get("title", "") or name
        out.append(Attribution(name, title, meta.get("version") or source.version, licence,
                               known.home if known else source.url, status.get(name, "missing"), source.origin))
    return out


def attribution_text(service: TermService) -> str:
    """Plain text for the About dialog."""
    lines = ["Ontology terms are used under their licences:"]
    for a in attributions(service):
        version = f" {a.version}" if a.version else ""
        lines.append(f"  {a.name} — {a.title}{version}: {a.licence}" + (f" <{a.home}>" if a.home else ""))
    return "\n".join(lines)


INDEX_STATE_WORDS = {"ready": "ready", "building": "being built …", "missing": "not built yet"}
"""How an index's state is said to people (About page, settings, CLI)."""
