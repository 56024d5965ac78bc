"""Cross-target rules: checks that several repositories share, each module exposing ``findings(project)``.

- `identifiers`: accessions, DOIs, PubMed ids, ORCIDs and RRIDs checked with bioregistry's offline data.
- `excel_damage`: values a spreadsheet has already mangled (gene symbols as dates, scientific notation ...).
- `privacy`: HIPAA Safe Harbor identifiers, and human individual-level data headed to a public target.

Targets list the functions they want in their ``rules`` (`public.PUBLIC_TARGET_RULES` for a public
target); the codes are declared in `codes`.
"""
