"""Finding codes of the GFF3 validator, and how the strict-modencode profile changes them.

Kept in one module because the column checks (`_gff3_columns`), the feature
graph (`_gff3_graph`) and the validator (`gff3`) all raise them. Severities
follow plain ``gt gff3validator`` under the ``spec`` profile: what it rejects
is an ERROR here, what it lets pass but the GFF3 specification frowns upon is
a WARNING.
"""

from __future__ import annotations

from depositdesk.findings import Severity, define
from depositdesk.validators.base import profile_rule

PART = "validators/gff3"
E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _d(code: str, severity: Severity, title: str, suggestion: str) -> str:
    return define(code, severity, title, suggestion, part=PART)


TRUNCATED = _d("GFF3-TRUNCATED", E, "The GFF3 file ends early (truncated compressed file)",
               "Copy or download the file again; the compressed stream stops in the middle.")
UNREADABLE = _d("GFF3-UNREADABLE", E, "The GFF3 file could not be read to its end",
                "The file is damaged or not really gzip; re-create it from its source.")
EMPTY = _d("GFF3-EMPTY", E, "The GFF3 file is empty",
           "Export the annotation again; a GFF3 file needs at least the '##gff-version 3' line.")
NOT_UTF8 = _d("GFF3-NOT-UTF8", W, "The file holds bytes that are not UTF-8 text",
              "Save the file as UTF-8 (or escape the characters as %XX).")
VERSION_MISSING = _d("GFF3-VERSION-MISSING", E, "The first line is not '##gff-version 3'",
                     "Add '##gff-version 3' as the very first line of the file.")
VERSION_WRONG = _d("GFF3-VERSION-WRONG", E, "The ##gff-version pragma does not say version 3",
                   "This validator checks GFF3; convert GFF2/GTF files to GFF3 (e.g. with 'gt gtf_to_gff3').")
VERSION_REPEATED = _d("GFF3-VERSION-REPEATED", E, "A second ##gff-version line appears inside the file",
                      "Files were probably concatenated; merge them with 'gt gff3 -sort' instead.")
COLUMN_COUNT = _d("GFF3-COLUMN-COUNT", E, "A feature line does not have 9 tab-separated columns",
                  "Each feature line needs exactly 9 columns separated by TAB characters (not spaces).")
COORD_NOT_INTEGER = _d("GFF3-COORD-NOT-INTEGER", E, "A start or end is not a whole number",
                       "Columns 4 and 5 hold 1-based positions as plain integers; '.' is not allowed there.")
COORD_ZERO = _d("GFF3-COORD-ZERO", E, "A position is 0 or negative (GFF3 counts from 1)",
                "GFF3 is 1-based: add 1 to coordinates taken from a 0-based format such as BED.")
START_AFTER_END = _d("GFF3-START-AFTER-END", E, "The start is larger than the end",
                     "Swap the two values; the strand column, not the order, tells the direction.")
SCORE_INVALID = _d("GFF3-SCORE-INVALID", E, "The score is neither a number nor '.'",
                   "Put a number in column 6, or '.' when there is no score.")
STRAND_INVALID = _d("GFF3-STRAND-INVALID", E, "The strand is not one of + - . ?",
                    "Use '+' or '-', '.' when strand does not apply, '?' when it is unknown.")
PHASE_INVALID = _d("GFF3-PHASE-INVALID", E, "The phase is not one of 0 1 2 .",
                   "Phase (column 8) is 0, 1 or 2 for CDS features and '.' otherwise.")
PHASE_WRONG = _d("GFF3-PHASE-WRONG", E, "A CDS has the wrong phase for the CDS parts before it",
                 "Phase = number of bases to skip to reach the next codon; recompute it from the "
                 "lengths of the preceding CDS parts of the same transcript.")
PHASE_MISSING = _d("GFF3-PHASE-MISSING", W, "A CDS has no phase",
                   "CDS features must have phase 0, 1 or 2 in column 8.")
TYPE_UNKNOWN = _d("GFF3-TYPE-UNKNOWN", W, "The feature type is not a Sequence Ontology term",
                  "Use a Sequence Ontology term name (e.g. gene, mRNA, exon, CDS) or accession (SO:0000704).")
TYPE_SYNONYM = _d("GFF3-TYPE-SYNONYM", W, "The feature type is a synonym, not the Sequence Ontology name",
                  "Use the SO term name given in the message.")
ATTRIBUTE_SYNTAX = _d("GFF3-ATTRIBUTE-SYNTAX", E, "An attribute is not written tag=value",
                      "Column 9 is 'tag=value' pairs separated by ';'; write '=' inside a value as %3D.")
ATTRIBUTE_EMPTY = _d("GFF3-ATTRIBUTE-EMPTY", E, "An attribute has no tag or no value",
                     "Remove the attribute or give it a value.")
ATTRIBUTE_REPEATED = _d("GFF3-ATTRIBUTE-REPEATED", E, "An attribute tag appears twice on one line",
                        "Give one tag once with several values separated by commas: Dbxref=a,b.")
ATTRIBUTE_RESERVED = _d("GFF3-ATTRIBUTE-RESERVED", E, "An attribute tag starts with a capital letter but is not a GFF3 tag",
                        "Tags starting with an uppercase letter are reserved by GFF3; write your own in lowercase.")
ATTRIBUTE_VALUE = _d("GFF3-ATTRIBUTE-VALUE", E, "A reserved attribute has a value GFF3 does not allow",
                     "See the GFF3 specification for the form of Is_circular and Target values.")
GAP_INVALID = _d("GFF3-GAP-INVALID", W, "A Gap alignment does not read right or does not fit its feature",
                 "Gap lists edit operations such as 'M301 D499 M201'; the matched and deleted bases must add up "
                 "to the feature's length (amino acids times 3 for protein matches).")
ESCAPE = _d("GFF3-ESCAPE", W, "A character that GFF3 reserves is not percent-escaped",
            "Write reserved characters as %XX (e.g. ';' as %3B, '&' as %26, space in seqids as %20).")
SEQID_MD5 = _d("GFF3-SEQID-MD5", E, "An md5: sequence ID is malformed",
               "Write 'md5:<32 hex digits>:<sequence name>'.")
REGION_SYNTAX = _d("GFF3-REGION-SYNTAX", E, "A ##sequence-region line lacks its name, start or end",
                   "Write '##sequence-region <seqid> <start> <end>' with whole numbers.")
REGION_REPEATED = _d("GFF3-REGION-REPEATED", E, "A sequence region is defined twice",
                     "Keep one ##sequence-region line per sequence.")
REGION_AFTER_FEATURE = _d("GFF3-REGION-AFTER-FEATURE", E, "A ##sequence-region comes after features on that sequence",
                          "Move the ##sequence-region lines to the top of the file.")
OUTSIDE_REGION = _d("GFF3-OUTSIDE-REGION", E, "A feature lies outside its ##sequence-region",
                    "Fix the feature's coordinates or the region's bounds.")
PARENT_UNDEFINED = _d("GFF3-PARENT-UNDEFINED", E, "A Parent is not the ID of any feature (in the same ### block)",
                      "Add the parent feature with that ID, fix the spelling, or remove the '###' line between them.")
PARENT_AFTER_CHILD = _d("GFF3-PARENT-AFTER-CHILD", E, "A parent feature comes after its child",
                        "Sort the file so that genes come before mRNAs and mRNAs before exons (e.g. 'gt gff3 -sort').")
DERIVES_UNDEFINED = _d("GFF3-DERIVES-UNDEFINED", W, "A Derives_from is not the ID of any feature",
                       "Add the feature with that ID or fix the spelling.")
PARENT_SELF = _d("GFF3-PARENT-SELF", E, "A feature names itself as its Parent",
                 "Parent must be the ID of another feature.")
PARENT_CYCLE = _d("GFF3-PARENT-CYCLE", E, "Parent links form a cycle",
                  "A feature cannot be its own ancestor; check the Parent attributes named in the message.")
CHILD_SEQID = _d("GFF3-CHILD-SEQID", E, "A feature lies on another sequence than its parent or its other parts",
                 "A child and its parent, and all lines of one multi-line feature, must share the seqid.")
MULTI_INCONSISTENT = _d("GFF3-MULTI-INCONSISTENT", E, "Lines sharing one ID disagree on type or Parent",
                        "Lines with the same ID are parts of one feature: give them the same type and Parent, "
                        "or give different features different IDs.")
FASTA_INVALID = _d("GFF3-FASTA-INVALID", E, "The ##FASTA section is not FASTA",
                   "After ##FASTA every sequence starts with a '>name' line.")
BLANK_LINE = _d("GFF3-BLANK-LINE", INFO, "The file has blank lines",
                "Blank lines are ignored; remove them to be tidy.")
CRLF = _d("GFF3-CRLF", W, "Lines end with Windows CR LF",
          "Save the file with Unix line endings (LF only); some tools misread the trailing CR.")
GENOME_BUILD_MISSING = _d("GFF3-GENOME-BUILD-MISSING", E, "No ##genome-build line says which assembly the coordinates refer to",
                          "Add '##genome-build <source> <build name>' near the top (modENCODE submissions require it).")

# strict-modencode: the modENCODE validator's stricter reading of GFF3.
profile_rule("spec", PARENT_AFTER_CHILD, None)
profile_rule("spec", GENOME_BUILD_MISSING, None)
profile_rule("strict-modencode", TYPE_UNKNOWN, Severity.ERROR)
profile_rule("strict-modencode", TYPE_SYNONYM, Severity.ERROR)
profile_rule("strict-modencode", GAP_INVALID, Severity.ERROR)  # as gt -typecheck
