"""Package data of the validators (the Sequence Ontology term list for GFF3 types, made by build_so_terms.py)."""
