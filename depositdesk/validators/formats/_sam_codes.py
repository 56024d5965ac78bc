"""Finding codes of the SAM/BAM/CRAM validators (declared once; see depositdesk.findings).

Kept apart from ``sam.py`` so that the header, text and binary checkers can
all import them without an import cycle. Severities follow the SAM
specification (v1.6) and its conformance suite (hts-specs ``test/sam``):
what the spec forbids is an ERROR; what its suite files as "permitted, if
illogical" (``*.warn.sam``) is a WARNING.
"""

from __future__ import annotations

from depositdesk.findings import Severity, define
from depositdesk.validators.base import profile_rule

PART = "validators/sam"
E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

# -- the file as a whole ------------------------------------------------------
TRUNCATED = define(
    "SAM-TRUNCATED", E, "The file ends early: it was cut off while being copied or written",
    "Copy the file again from its source and compare checksums; a complete BAM/CRAM ends with an end-of-file marker.",
    part=PART)
UNREADABLE = define(
    "SAM-UNREADABLE", E, "The file could not be read as SAM/BAM/CRAM",
    "Check that the file really is SAM/BAM/CRAM and not damaged: `samtools quickcheck -v FILE` tells the same.",
    part=PART)
NO_RECORDS = define(
    "SAM-NO-RECORDS", W, "The file holds a header but no reads",
    "An empty alignment file is usually a failed pipeline step; ENA/SRA reject files without reads.",
    part=PART)
CRAM_NO_REFERENCE = define(
    "SAM-CRAM-NO-REFERENCE", INFO, "CRAM read without its reference: sequences were not decoded",
    "Header, container structure and every record's fields were checked; bases need the reference FASTA to decode.",
    part=PART)

# -- header -----------------------------------------------------------------------
HEADER_NOT_UTF8 = define(
    "SAM-HEADER-NOT-UTF8", E, "The header text holds bytes that are not UTF-8",
    "SAM headers are UTF-8 text; re-create the header (samtools reheader) with the odd characters fixed.",
    part=PART)
HEADER_LINE = define(
    "SAM-HEADER-LINE", E, "A header line is malformed",
    "Header lines are '@XX' then TAB-separated TAG:VALUE fields (two-letter tags); spaces are not separators.",
    part=PART)
HEADER_TYPE = define(
    "SAM-HEADER-TYPE", E, "Unknown header record type",
    "Only @HD, @SQ, @RG, @PG and @CO header lines exist; put free text in @CO lines.", part=PART)
HEADER_TAG_DUP = define(
    "SAM-HEADER-TAG-DUP", E, "A tag appears twice in one header line",
    "Keep one value per tag on each header line.", part=PART)
HEADER_HD = define(
    "SAM-HEADER-HD", E, "The @HD line is invalid",
    "@HD must be the first line, once, with VN:<major>.<minor>; SO is unknown/unsorted/queryname/coordinate.",
    part=PART)
HEADER_SQ = define(
    "SAM-HEADER-SQ", E, "An @SQ (reference sequence) line is invalid",
    "Each @SQ needs SN:<name> and LN:<length 1..2^31-1>; M5 is 32 lowercase hex digits. Re-create the header from the reference's .dict/.fai.",
    part=PART)
HEADER_SQ_DUP = define(
    "SAM-HEADER-SQ-DUP", E, "Two @SQ lines name the same reference sequence",
    "Each reference sequence must be declared once; the header was probably merged from two sources.",
    part=PART)
HEADER_NO_SQ = define(
    "SAM-HEADER-NO-SQ", INFO, "No @SQ lines: an unaligned (unmapped) file",
    "Unaligned BAMs are accepted by SRA/ENA; an aligned submission needs @SQ lines for its reference.",
    part=PART)
HEADER_RG = define(
    "SAM-HEADER-RG", E, "An @RG (read group) line is invalid",
    "Each @RG needs a unique ID; DT is an ISO 8601 date, PI an integer insert size.", part=PART)
HEADER_RG_DUP = define(
    "SAM-HEADER-RG-DUP", E, "Two @RG lines have the same ID",
    "Read-group IDs must be unique; when merging files rename one of them (samtools merge -r / addreplacerg).",
    part=PART)
HEADER_RG_PLATFORM = define(
    "SAM-HEADER-RG-PLATFORM", W, "Read group platform (PL) is not one the SAM spec lists",
    "Use one of CAPILLARY, DNBSEQ, ELEMENT, HELICOS, ILLUMINA, IONTORRENT, LS454, ONT, PACBIO, SINGULAR, SOLID, ULTIMA.",
    part=PART)
HEADER_RG_NO_PLATFORM = define(
    "SAM-HEADER-RG-NO-PLATFORM", INFO, "Read group has no platform (PL)",
    "Add PL:<platform> to the @RG line; repositories and GATK/Picard use it.", part=PART)
HEADER_PG = define(
    "SAM-HEADER-PG", E, "An @PG (program) line is invalid",
    "Each @PG needs a unique ID; PP must name the ID of another @PG line.", part=PART)

# -- records ----------------------------------------------------------------------
FIELDS = define(
    "SAM-FIELDS", E, "An alignment line has fewer than the 11 mandatory fields",
    "Each alignment line has 11 TAB-separated fields (QNAME..QUAL); the line was probably cut or edited.",
    part=PART)
QNAME = define("SAM-QNAME", E, "Invalid read name (QNAME)",
               "Read names are 1-254 printable characters without '@' or spaces.", part=PART)
FLAG = define("SAM-FLAG", E, "Invalid FLAG",
              "FLAG is a decimal integer from 0 to 4095 (bits 0x1..0x800).", part=PART)
FLAG_ODD = define(
    "SAM-FLAG-ODD", W, "FLAG bits contradict each other or the record",
    "Permitted by the spec but illogical (e.g. mate bits on an unpaired read); check the aligner's settings.",
    part=PART)
RNAME = define("SAM-RNAME", E, "Invalid reference name (RNAME/RNEXT)",
               "Reference names cannot start with '*' or '=' and cannot hold spaces, commas, quotes or brackets.",
               part=PART)
RNAME_UNKNOWN = define(
    "SAM-RNAME-UNKNOWN", E, "A read names a reference sequence that no @SQ line declares",
    "Add the reference's @SQ line to the header (samtools reheader), or align against the declared reference.",
    part=PART)
POS = define("SAM-POS", E, "Invalid position (POS/PNEXT)",
             "Positions are integers from 0 (unmapped) to 2^31-1.", part=PART)
POS_BEYOND_REF = define(
    "SAM-POS-BEYOND-REF", W, "A read starts beyond the end of its reference sequence",
    "The header's @SQ LN does not match the reference the reads were aligned to.", part=PART)
END_BEYOND_REF = define(
    "SAM-END-BEYOND-REF", W, "An alignment runs past the end of its reference sequence",
    "Usual only on circular genomes (chrM); elsewhere the header and the alignments disagree.", part=PART)
MAPQ = define("SAM-MAPQ", E, "Invalid mapping quality (MAPQ)", "MAPQ is an integer from 0 to 255.", part=PART)
CIGAR = define("SAM-CIGAR", E, "Invalid CIGAR",
               "CIGAR is '*' or <length><op> pairs with ops MIDNSHP=X; H only at the ends, S only next to them.",
               part=PART)
CIGAR_SEQ = define(
    "SAM-CIGAR-SEQ-LENGTH", E, "CIGAR and sequence disagree on the read length",
    "The sum of M/I/S/=/X lengths must equal the length of SEQ; the record was corrupted or edited.", part=PART)
TLEN = define("SAM-TLEN", E, "Invalid template length (TLEN)",
              "TLEN is a signed integer between -(2^31-1) and 2^31-1.", part=PART)
SEQ = define("SAM-SEQ", E, "Invalid sequence (SEQ)", "SEQ is '*' or letters A-Z/a-z, '=' or '.'.", part=PART)
QUAL = define("SAM-QUAL", E, "Invalid base qualities (QUAL)",
              "QUAL is '*' or one printable character ('!'..'~') per base of SEQ.", part=PART)
TAG = define("SAM-TAG", E, "Invalid optional field (TAG:TYPE:VALUE)",
             "Optional fields are TAG:TYPE:VALUE with a two-character tag, type AcCsSiIfZHB, each tag once per read.",
             part=PART)
RG_UNKNOWN = define(
    "SAM-RG-UNKNOWN", E, "A read's RG tag names a read group the header does not declare",
    "Add the @RG line for this ID to the header (samtools addreplacerg) or fix the reads' RG tags.",
    part=PART)
SORT_ORDER = define(
    "SAM-SORT-ORDER", E, "Records are not in the order the @HD SO tag claims",
    "Sort the file (samtools sort, or sort -n for queryname) or set SO:unsorted in the header.", part=PART)
MATE_SAME_END = define(
    "SAM-MATE-SAME-END", E, "Two primary records for the same end of one read",
    "Each read end has exactly one primary alignment; the file holds duplicated records.", part=PART)
MATE_MISSING = define(
    "SAM-MATE-MISSING", W, "A paired read's mate is not in the file",
    "Expected when a file is a subset; for a full submission both mates should be present.", part=PART)

# -- profile differences --------------------------------------------------------------
# modENCODE-style submissions are aligned and complete: an unaligned BAM, a missing
# platform or mate is an error there; the SAM spec allows all three.
profile_rule("strict-modencode", HEADER_NO_SQ, E)
profile_rule("strict-modencode", HEADER_RG_NO_PLATFORM, E)
profile_rule("strict-modencode", MATE_MISSING, E)
profile_rule("strict-modencode", NO_RECORDS, E)
# hts-specs files a read placed past its @SQ length under passed/ (pnext.pair-2nd.sam).
profile_rule("strict-modencode", POS_BEYOND_REF, E)
