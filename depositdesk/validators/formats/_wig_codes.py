"""Finding codes of the WIG (wiggle) validator, and the strict-modencode differences."""

from __future__ import annotations

from depositdesk.findings import Severity, define
from depositdesk.validators.base import profile_rule

PART = "validators/wig"
E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def _d(code: str, severity: Severity, title: str, suggestion: str) -> str:
    return define(code, severity, title, suggestion, part=PART)


TRUNCATED = _d("WIG-TRUNCATED", E, "The WIG file ends early (truncated compressed file)",
               "Copy or download the file again; the compressed stream stops in the middle.")
UNREADABLE = _d("WIG-UNREADABLE", E, "The WIG file could not be read to its end",
                "The file is damaged or not really gzip; re-create it from its source.")
EMPTY = _d("WIG-EMPTY", W, "The WIG file holds no data values",
           "Check that the right file was exported.")
NOT_TEXT = _d("WIG-NOT-TEXT", E, "The file holds bytes that are not ASCII text",
              "A wiggle file is plain text; re-export it.")
DATA_BEFORE_DECLARATION = _d("WIG-DATA-BEFORE-DECLARATION", E, "Data lines come before any variableStep/fixedStep line",
                             "Each block of values starts with a declaration such as "
                             "'variableStep chrom=chr1 span=25' or 'fixedStep chrom=chr1 start=1 step=25'.")
DECLARATION_INVALID = _d("WIG-DECLARATION-INVALID", E, "A variableStep/fixedStep line has a setting that is not key=value",
                         "Write declarations as 'fixedStep chrom=chr1 start=1 step=10 span=10' (only chrom, start, "
                         "step and span are allowed).")
CHROM_MISSING = _d("WIG-CHROM-MISSING", E, "A declaration has no chrom=",
                   "Add chrom=<chromosome name> to every variableStep and fixedStep line.")
START_MISSING = _d("WIG-START-MISSING", E, "A fixedStep declaration has no start=",
                   "fixedStep needs start=<first position, 1-based>.")
STEP_MISSING = _d("WIG-STEP-MISSING", E, "A fixedStep declaration has no step=",
                  "fixedStep needs step=<distance between values>.")
POSITION_INVALID = _d("WIG-POSITION-INVALID", E, "A position or start is not a whole number of at least 1",
                      "Wiggle positions are 1-based: the first base of a chromosome is 1, not 0.")
STEP_INVALID = _d("WIG-STEP-INVALID", E, "step= or span= is not a whole number of at least 1",
                  "step and span count bases and are at least 1.")
DATA_LINE = _d("WIG-DATA-LINE", E, "A data line does not have the fields its section needs",
               "variableStep lines are 'position value'; fixedStep lines are 'value'; "
               "bedGraph-style lines are 'chrom start end value'.")
VALUE_INVALID = _d("WIG-VALUE-INVALID", E, "A data value is not a number",
                   "Values are decimal numbers such as 12, 0.5 or -1.2e-3.")
VALUE_STYLE = _d("WIG-VALUE-STYLE", W, "A value or separator is written in a way the modENCODE validator rejects",
                 "Write values with a leading digit (0.5, not .5) and separate fields with TAB or spaces only.")
UNSORTED = _d("WIG-UNSORTED", E, "Positions go backwards within a chromosome",
              "Sort the data by position within each chromosome; wigToBigWig rejects unsorted input.")
OVERLAP = _d("WIG-OVERLAP", W, "A value's span overlaps the next value",
             "With span=N a value covers N bases; make the next position at least N bases further.")
CHROM_REVISITED = _d("WIG-CHROM-REVISITED", W, "A chromosome's data comes back after other chromosomes",
                     "Keep all sections of one chromosome together.")
CHROM_UNKNOWN = _d("WIG-CHROM-UNKNOWN", E, "The chromosome is not in the genome's chromosome sizes",
                   "Use the assembly's chromosome names or pick the genome the file was made for.")
END_BEYOND_CHROM = _d("WIG-END-BEYOND-CHROM", E, "Data runs past the end of its chromosome",
                      "Drop or clip values past the chromosome end, or check the genome build.")
CRLF = _d("WIG-CRLF", W, "Lines end with Windows CR LF", "Save the file with Unix line endings (LF only).")
BLANK_LINE = _d("WIG-BLANK-LINE", INFO, "The file has blank lines", "Blank lines are skipped; remove them to be tidy.")

# modENCODE's WIG.pm reads values with ^[-+]?\d+\.?\d*(?:[Ee][-+]?\d+)?$ only.
profile_rule("strict-modencode", VALUE_STYLE, Severity.ERROR)
LINE_TOO_LONG = _d("WIG-LINE-TOO-LONG", E, "A line is longer than any wiggle line can be",
                   "The line was skipped unread; it is usually damage (lost line breaks) - re-create the file.")
