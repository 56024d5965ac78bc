"""Every real OBO/OWL file of the corpus is indexed (the four pronto rejects too) and its known terms found."""

from __future__ import annotations

import pytest

from depositdesk.ontology.service import TermService

KNOWN_TERMS = [
    ("obi.obo", "OBI", "OBI:0000716", "ChIP-seq assay"),
    ("so.obo", "SO", "SO:0000704", "gene"),
    ("fbbi.owl", "FBbi", "FBbi:00000246", "fluorescence microscopy"),
    ("wbls.obo", "WBls", "WBls:0000035", "L3 larva Ce"),
    ("fbdv.obo", "FBdv", "FBdv:00005289", "embryonic stage"),
    ("bto.obo", "BTO", "BTO:0000759", "liver"),
    ("life-stages.obo", "life-stages", "HsapDv:0000002", "embryonic stage"),
    ("pato.obo", "PATO", "PATO:0000460", "abnormal"),
    ("uo.obo", "UO", "UO:0000010", "second"),
    ("wbbt.obo", "WBbt", "WBbt:0003679", "neuron"),
    ("EDAM.owl", "EDAM", "EDAM:topic_3169", "ChIP-seq"),
]

# term counts from the corpus README ("terms (obsolete)"), i.e. every [Term] stanza / owl:Class made it in
EXPECTED_COUNTS = {"so.obo": 2615, "obi.obo": 5218, "bto.obo": 6566, "life-stages.obo": 1328,
                   "pato.obo": 2785, "uo.obo": 574, "fbdv.obo": 217, "wbls.obo": 777, "wbbt.obo": 7192}


@pytest.mark.parametrize(("filename", "ontology", "accession", "label"), KNOWN_TERMS)
def test_known_term_is_found_by_accession_and_by_name(corpus_service, filename, ontology, accession, label):
    service, summaries = corpus_service
    assert summaries[filename].name == ontology
    hit = service.lookup(accession)
    assert hit is not None and hit.label == label and hit.ontology == ontology
    words = label.split()
    typed = " ".join([*words[:-1], words[-1][: max(2, len(words[-1]) - 2)]])
    found = service.search(typed, [ontology], limit=10)
    assert accession in [h.accession for h in found]


@pytest.mark.parametrize(("filename", "count"), sorted(EXPECTED_COUNTS.items()))
def test_every_term_of_each_obo_file_is_indexed(corpus_service, filename, count):
    _, summaries = corpus_service
    assert summaries[filename].terms == count


@pytest.mark.filterwarnings("ignore::UnicodeWarning")
def test_pronto_rejects_are_still_indexed_whole(corpus_service, shared):
    """so/life-stages/bto raise SyntaxError and obi a KeyError in pronto; the scanner still reads them."""
    import pronto

    for name in ("so.obo", "bto.obo", "life-stages.obo", "obi.obo"):
        with pytest.raises((SyntaxError, KeyError, ValueError)):
            pronto.Ontology(str(shared / "ontologies" / "obo" / name))
    service, _ = corpus_service
    assert service.lookup("SO:0000772").label == "genomic_island"  # the stanza before the bad escape
    assert service.lookup("BTO:0006296").label == "celiac ganglion"  # the term with the bad def xref


def test_accession_forms_iri_and_underscore(corpus_service):
    service, _ = corpus_service
    assert service.lookup("http://purl.obolibrary.org/obo/OBI_0000716").accession == "OBI:0000716"
    assert service.lookup("OBI_0000716").accession == "OBI:0000716"
    assert service.lookup("obi:0000716").accession == "OBI:0000716"
    assert service.lookup("http://edamontology.org/topic_3169").accession == "EDAM:topic_3169"


def test_obsolete_terms_are_marked_with_replacement(corpus_service):
    service: TermService = corpus_service[0]
    old = service.lookup("SO:0000053")
    assert old.obsolete and old.replaced_by == "SO:0001556"
    assert service.lookup(old.replaced_by).label == "increased_translational_product_level"
    hits = service.search("sequence_variant_affecting_reg", ["SO"])
    assert hits[0].accession == "SO:0000053" and hits[0].obsolete


def test_ranking_prefers_exact_label_then_prefix_then_synonym(corpus_service):
    service, _ = corpus_service
    hits = service.search("gene", ["SO"], limit=10)
    assert hits[0].accession == "SO:0000704"
    assert all(not h.obsolete for h in hits[:5])
    lengths = [len(h.label) for h in hits if h.matched == h.label and h.label.lower().startswith("gene")]
    assert lengths == sorted(lengths)


def test_under_restricts_to_a_branch_through_part_of(corpus_service):
    service, _ = corpus_service
    hits = service.search("stage", ["FBdv"], under="FBdv:00005289", limit=50)
    assert hits and all(service.is_under(h.accession, "FBdv:00005289") for h in hits)
    assert "FBdv:00005333" in [h.accession for h in hits]  # late embryonic stage: "substage of"
    assert "FBdv:00005336" not in [h.accession for h in hits]  # larval stage is not embryonic
    assert service.is_under("FBdv:00005336", "FBdv:00005289") is False
    assert service.is_under("FBdv:00005333", "FBdv:00005289") is True


def test_imported_terms_do_not_shadow_their_own_ontology(corpus_service):
    """OBI imports GO/UBERON terms; a search over all returns each accession once."""
    service, _ = corpus_service
    hits = service.search("chip-seq", limit=20)
    accessions = [h.accession for h in hits]
    assert len(accessions) == len(set(accessions))
    assert "OBI:0000716" in accessions and "EDAM:topic_3169" in accessions
