"""Model organisms that the animal-only NCBITaxon of the starter set lacks, and common taxa to rank first.

cellxgene-ontology-guide ships NCBITaxon for Metazoa only, yet SDRFs name
Arabidopsis, yeast, E. coli and SARS-CoV-2 every day. These entries (taxon IDs
from the NCBI Taxonomy) are added to the starter NCBITaxon index, each with its
genus and a kingdom-level parent linked into the animal tree's upper nodes
(``NCBITaxon:2759`` Eukaryota, ``NCBITaxon:33154`` Opisthokonta,
``NCBITaxon:131567`` cellular organisms, ``NCBITaxon:1`` root — named as
ancestors in the JSON but not present as entries, so added here too), so that
"under Fungi" or "under Viridiplantae" works. Intermediate ranks are left out on
purpose: the list stays short and checkable.
"""

from __future__ import annotations

import re

from depositdesk.ontology.model import TermRecord, iri_for

# Taxa named only by a specimen or barcode code ("Caloptilia sp. A10", "Ligula sp. CA2Sa",
# "BOLD:AAA1234", environmental samples): 60 % of the animal NCBITaxon. They stay in the index
# for lookup and checks by accession, but are not offered by name: nobody types them, and they
# would crowd out real names and triple the search index.
UNNAMED_TAXON = re.compile(r"\s(?:sp|cf|aff|nr|gen|n)\.\s.*\d|environmental samples?\b|BOLD:")

# (taxon id, scientific name, parent taxon id, synonyms)
EXTRA_TAXA: tuple[tuple[int, str, int | None, tuple[str, ...]], ...] = (
    # the upper nodes the animal tree hangs from (named as ancestors but absent as entries)
    (1, "root", None, ("all",)),
    (131567, "cellular organisms", 1, ("biota",)),
    (2759, "Eukaryota", 131567, ("eukaryotes",)),
    (33154, "Opisthokonta", 2759, ()),
    (33208, "Metazoa", 33154, ("animals", "metazoans")),
    (2, "Bacteria", 131567, ("eubacteria",)),
    (2157, "Archaea", 131567, ()),
    (10239, "Viruses", 1, ()),
    (4751, "Fungi", 33154, ()),
    (33090, "Viridiplantae", 2759, ("green plants",)),
    (554915, "Amoebozoa", 2759, ()),
    # plants
    (3701, "Arabidopsis", 33090, ()),
    (3702, "Arabidopsis thaliana", 3701, ("thale cress", "mouse-ear cress")),
    (4527, "Oryza", 33090, ()),
    (4530, "Oryza sativa", 4527, ("rice",)),
    (4575, "Zea", 33090, ()),
    (4577, "Zea mays", 4575, ("maize", "corn")),
    (4085, "Nicotiana", 33090, ()),
    (4097, "Nicotiana tabacum", 4085, ("common tobacco",)),
    (3052, "Chlamydomonas", 33090, ()),
    (3055, "Chlamydomonas reinhardtii", 3052, ()),
    # fungi
    (4930, "Saccharomyces", 4751, ()),
    (4932, "Saccharomyces cerevisiae", 4930, ("baker's yeast", "brewer's yeast")),
    (559292, "Saccharomyces cerevisiae S288C", 4932, ("Saccharomyces cerevisiae strain S288C",)),
    (4895, "Schizosaccharomyces", 4751, ()),
    (4896, "Schizosaccharomyces pombe", 4895, ("fission yeast",)),
    # amoebae
    (5782, "Dictyostelium", 554915, ()),
    (44689, "Dictyostelium discoideum", 5782, ()),
    # bacteria
    (561, "Escherichia", 2, ()),
    (562, "Escherichia coli", 561, ("E. coli",)),
    (83333, "Escherichia coli K-12", 562, ()),
    (1386, "Bacillus", 2, ()),
    (1423, "Bacillus subtilis", 1386, ()),
    # viruses
    (694002, "Betacoronavirus", 10239, ()),
    (694009, "Severe acute respiratory syndrome-related coronavirus", 694002, ()),
    (2697049, "Severe acute respiratory syndrome coronavirus 2", 694009, ("SARS-CoV-2", "2019-nCoV")),
)

# Taxa people put in SDRFs most; ranked before other names that match as well.
COMMON_TAXA: frozenset[int] = frozenset({
    9606, 10090, 10116, 7227, 6239, 7955, 9031, 8355, 8364, 9823, 9913, 9615, 9544, 9541,
    9598, 9940, 9796, 9986, 9685, 10029, 7460, 7165, 7159, 8090, 7091, 7070, 9483,
    3702, 4530, 4577, 4097, 3055, 4932, 559292, 4896, 44689, 562, 83333, 1423, 2697049,
})


def extra_taxa() -> list[TermRecord]:
    records = []
    for taxon, name, parent, synonyms in EXTRA_TAXA:
        accession = f"NCBITaxon:{taxon}"
        records.append(TermRecord(
            accession=accession, label=name, synonyms=list(synonyms), iri=iri_for(accession),
            parents=[f"NCBITaxon:{parent}"] if parent else [],
            definition="Added by DepositDesk: not in the animal-only NCBITaxon of the starter set.",
        ))
    return records


def common_taxa_accessions() -> frozenset[str]:
    return frozenset(f"NCBITaxon:{t}" for t in COMMON_TAXA)
