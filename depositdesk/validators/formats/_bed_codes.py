"""Finding codes of the BED / bedGraph / narrowPeak / broadPeak validator.

Severities under ``spec`` follow the BED specification (hts-specs BEDv1) where
bedtools and UCSC ``validateFiles`` agree; where they differ (score range,
sort order) the rule is a WARNING: one tool would take the file.
"""

from __future__ import annotations

from depositdesk.findings import Severity, define
from depositdesk.validators.base import profile_rule

PART = "validators/bed"
E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _d(code: str, severity: Severity, title: str, suggestion: str) -> str:
    return define(code, severity, title, suggestion, part=PART)


TRUNCATED = _d("BED-TRUNCATED", E, "The BED file ends early (truncated compressed file)",
               "Copy or download the file again; the compressed stream stops in the middle.")
UNREADABLE = _d("BED-UNREADABLE", E, "The BED file could not be read to its end",
                "The file is damaged or not really gzip; re-create it from its source.")
EMPTY = _d("BED-EMPTY", W, "The BED file holds no records",
           "Check that the right file was exported; an empty BED file says nothing.")
NOT_TAB = _d("BED-NOT-TAB", W, "Fields are separated by spaces instead of TAB characters",
             "The BED specification allows spaces between fields, but bedtools, bedToBigBed and many browsers "
             "need TABs: convert with e.g. \"tr ' ' '\\t'\" when no name holds a space.")
COLUMN_COUNT = _d("BED-COLUMN-COUNT", E, "A line has fewer than 3 columns or not as many as the first record",
                  "Every record of a BED file has the same number of columns (3 to 12, or a fixed BED+ layout); "
                  "look for a stray or missing TAB.")
EMPTY_FIELD = _d("BED-EMPTY-FIELD", E, "A field is empty (two TABs in a row or a TAB at the end of the line)",
                 "Remove the extra TAB, or put '.' in a column that has no value.")
COORD_NOT_INTEGER = _d("BED-COORD-NOT-INTEGER", E, "chromStart or chromEnd is not a whole number",
                       "Columns 2 and 3 are 0-based positions written as plain integers.")
COORD_NEGATIVE = _d("BED-COORD-NEGATIVE", E, "A position is negative",
                    "BED positions start at 0; a negative start usually comes from extending a feature "
                    "past the chromosome start - clip it to 0.")
START_AFTER_END = _d("BED-START-AFTER-END", E, "chromStart is larger than chromEnd",
                     "Swap the two values; the strand column, not the order, tells the direction.")
SCORE_INVALID = _d("BED-SCORE-INVALID", E, "The score is not a number",
                   "Column 5 is an integer score 0-1000; use 0 when there is no score.")
SCORE_RANGE = _d("BED-SCORE-RANGE", W, "The score is not an integer between 0 and 1000",
                 "BED scores are integers 0-1000 (UCSC shades by them); put other values in a bedGraph or "
                 "an extra column.")
STRAND_INVALID = _d("BED-STRAND-INVALID", E, "The strand is not one of + - .",
                    "Column 6 is '+', '-', or '.' when the strand is unknown.")
THICK_INVALID = _d("BED-THICK-INVALID", E, "thickStart/thickEnd are not whole numbers inside chromStart..chromEnd",
                   "thickStart and thickEnd (columns 7 and 8) must satisfy chromStart <= thickStart <= "
                   "thickEnd <= chromEnd; use chromStart for both when nothing is thick.")
RGB_INVALID = _d("BED-RGB-INVALID", E, "itemRgb is not 0 or R,G,B with values 0-255",
                 "Column 9 is '0' or three numbers 0-255 separated by commas, e.g. 255,0,0.")
BLOCKS_INVALID = _d("BED-BLOCKS-INVALID", E, "The BED12 blocks (exons) are inconsistent",
                    "blockCount must match the number of blockSizes and blockStarts; the first blockStart is 0, "
                    "blocks do not overlap, and the last block ends at chromEnd.")
PEAK_FIELD = _d("BED-PEAK-FIELD", E, "A narrowPeak/broadPeak column has a value of the wrong type",
                "signalValue, pValue and qValue are numbers (-1 when unknown); the peak offset is an integer "
                "from 0 to the peak width, or -1.")
VALUE_INVALID = _d("BED-VALUE-INVALID", E, "A bedGraph value is not a number",
                   "Column 4 of a bedGraph holds the data value as a number.")
UNSORTED = _d("BED-UNSORTED", W, "Records are not sorted by chromosome and start",
              "Sort with 'sort -k1,1 -k2,2n' or 'bedtools sort'; indexing and bigBed/bigWig conversion need it.")
OVERLAP = _d("BED-OVERLAP", W, "bedGraph intervals overlap",
             "A bedGraph gives one value per base; overlapping intervals are rejected by bedGraphToBigWig.")
CHROM_UNKNOWN = _d("BED-CHROM-UNKNOWN", E, "The chromosome is not in the genome's chromosome sizes",
                   "Use the assembly's chromosome names (e.g. 'chr1' for UCSC, '1' for Ensembl) or pick the "
                   "genome the file was made for.")
END_BEYOND_CHROM = _d("BED-END-BEYOND-CHROM", E, "A record ends beyond the end of its chromosome",
                      "Clip records to the chromosome length (bedtools slop/clip do this) or check the genome build.")
HEADER_LINE = _d("BED-HEADER-LINE", W, "A column-heading line without '#' comes before the records",
                 "Start heading lines with '#' so that every tool skips them.")
CRLF = _d("BED-CRLF", W, "Lines end with Windows CR LF",
          "Save the file with Unix line endings (LF only); some tools read the CR as part of the last column.")
BLANK_LINE = _d("BED-BLANK-LINE", INFO, "The file has blank lines", "Blank lines are skipped; remove them to be tidy.")
NOT_UTF8 = _d("BED-NOT-UTF8", W, "The file holds bytes that are not ASCII/UTF-8 text",
              "Names should be plain ASCII; save the file as UTF-8.")
COORD_RANGE = _d("BED-COORD-RANGE", E, "chromStart or chromEnd is a number too large for any genome",
                 "Positions must fit in 64 bits (below 9,223,372,036,854,775,807); the column likely holds "
                 "something else, or digits ran together.")

# hts-specs BEDv1: the field separator is "one or more horizontal whitespace characters (space or
# tab)", so spaces are legal BED (a WARNING under ``spec``); modENCODE/ENCODE pipelines want TABs.
profile_rule("strict-modencode", NOT_TAB, E)
